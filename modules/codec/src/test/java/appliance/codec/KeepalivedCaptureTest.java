package appliance.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import appliance.codec.arp.ArpPacket;
import appliance.codec.ip.Ipv4Header;
import appliance.codec.ip.Ipv6Header;
import appliance.codec.pcap.PcapReader;
import appliance.codec.vrrp.VrrpAdvertisement;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The captures in src/test/resources/captures are keepalived 2.2.7 starting as master with the
 * .conf beside each; these tests hold our codec to what it put on the wire.
 */
class KeepalivedCaptureTest {

    private static final String V2 = "v2-ipv4-pass-auth-2vips.pcap";
    private static final String V3_IPV4 = "v3-ipv4.pcap";
    private static final String V3_IPV6 = "v3-ipv6.pcap";
    private static final String V3_UNICAST = "v3-unicast.pcap";

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERNET_HEADER = 14;
    private static final int ICMPV6 = 58;

    record Vrrp(int frame, InetAddress source, InetAddress destination, int ttl, byte[] message,
                VrrpAdvertisement advert) {
    }

    record Arp(int frame, byte[] bytes, ArpPacket packet) {
    }

    record Walk(List<Vrrp> vrrp, List<Arp> arp, int icmpv6) {
    }

    @ParameterizedTest
    @ValueSource(strings = {V2, V3_IPV4, V3_IPV6, V3_UNICAST})
    void decodesEveryFrameInEveryCapture(String capture) throws Exception {
        Walk walk = walk(capture);

        assertEquals(PcapReader.readCapture(capture).size(), walk.vrrp().size() + walk.arp().size() + walk.icmpv6());
    }

    @Test
    void capturesHoldTheAdvertsAndAnnouncementsKeepalivedSentOnBecomingMaster() throws Exception {
        assertMix(V2, 1, 5, 0);
        assertMix(V3_IPV4, 1, 7, 0);
        assertMix(V3_IPV6, 3, 0, 5);
        assertMix(V3_UNICAST, 4, 0, 0);
    }

    @Test
    void v2AdvertWithSimplePasswordMatchesCaptureByteForByte() throws Exception {
        // auth_pass secret12 fills all 8 bytes, so the capture shows no zero padding.
        VrrpAdvertisement expected = VrrpAdvertisement.v2(51, 150, 1, "secret12",
                List.of(ip("10.99.0.100"), ip("10.99.0.101")));

        assertEveryAdvertIs(expected, walk(V2).vrrp());
    }

    @Test
    void v3Ipv4AdvertWithHalfSecondIntervalMatchesCaptureByteForByte() throws Exception {
        VrrpAdvertisement expected = VrrpAdvertisement.v3(7, 200, 50,
                List.of(ip("10.99.0.100"), ip("10.99.0.101"), ip("10.99.0.102")));

        assertEveryAdvertIs(expected, walk(V3_IPV4).vrrp());
    }

    @Test
    void v3Ipv6AdvertFromLinkLocalSourceMatchesCaptureByteForByte() throws Exception {
        VrrpAdvertisement expected = VrrpAdvertisement.v3(9, 120, 100, List.of(ip("fd00:99::100")));
        List<Vrrp> adverts = walk(V3_IPV6).vrrp();

        assertEquals(ip("fe80::e4b9:18ff:fe56:7aac"), adverts.get(0).source());
        assertEquals(ip("ff02::12"), adverts.get(0).destination());
        assertEveryAdvertIs(expected, adverts);
    }

    @Test
    void v3UnicastAdvertsUseThePeerInThePseudoHeaderAndEndWithPriorityZero() throws Exception {
        VrrpAdvertisement master = VrrpAdvertisement.v3(33, 110, 100, List.of(ip("10.99.0.100")));
        List<Vrrp> adverts = walk(V3_UNICAST).vrrp();

        for (Vrrp v : adverts) {
            assertEquals(ip("10.99.0.1"), v.source());
            assertEquals(ip("10.99.0.2"), v.destination());
        }
        assertEveryAdvertIs(master, adverts.subList(0, 3));
        // keepalived was stopped before the fourth: it resigns with priority 0 (RFC 5798 §6.4.3).
        assertEveryAdvertIs(master.withPriority(0), adverts.subList(3, 4));
    }

    @Test
    void advertsLeaveWithTtlOrHopLimit255() throws Exception {
        for (String capture : List.of(V2, V3_IPV4, V3_IPV6, V3_UNICAST)) {
            for (Vrrp v : walk(capture).vrrp()) {
                assertEquals(255, v.ttl(), capture + " frame " + v.frame());
            }
        }
    }

    @Test
    void everyArpFrameIsTheGratuitousRequestForAVirtualAddressInConfigOrder() throws Exception {
        assertGratuitousArps(V2, "10.99.0.100", "10.99.0.101", "10.99.0.100", "10.99.0.101", "10.99.0.100");
        assertGratuitousArps(V3_IPV4, "10.99.0.100", "10.99.0.101", "10.99.0.102",
                "10.99.0.100", "10.99.0.101", "10.99.0.102", "10.99.0.100");
    }

    private static void assertGratuitousArps(String capture, String... vips) throws Exception {
        List<Arp> arps = walk(capture).arp();
        assertEquals(vips.length, arps.size(), capture);
        for (int i = 0; i < vips.length; i++) {
            Arp arp = arps.get(i);
            byte[] mac = Arrays.copyOfRange(arp.bytes(), 6, 12);
            ArpPacket expected = ArpPacket.gratuitousRequest(mac, (Inet4Address) ip(vips[i]));
            assertArrayEquals(expected.toEthernetFrame(), arp.bytes(), capture + " frame " + arp.frame());
            assertEquals(expected, arp.packet());
        }
    }

    private static void assertEveryAdvertIs(VrrpAdvertisement expected, List<Vrrp> adverts) {
        assertTrue(!adverts.isEmpty());
        for (Vrrp v : adverts) {
            assertEquals(expected, v.advert(), "decoded frame " + v.frame());
            assertArrayEquals(v.message(), expected.encode(v.source(), v.destination()), "encoded frame " + v.frame());
        }
    }

    private static void assertMix(String capture, int vrrp, int arp, int icmpv6) throws Exception {
        Walk walk = walk(capture);
        assertEquals(vrrp, walk.vrrp().size(), capture + " VRRP");
        assertEquals(arp, walk.arp().size(), capture + " ARP");
        assertEquals(icmpv6, walk.icmpv6(), capture + " ICMPv6");
    }

    /** Decodes each frame down to VRRP or ARP; any frame that does not decode fails the test. */
    private static Walk walk(String capture) throws Exception {
        List<Vrrp> vrrp = new ArrayList<>();
        List<Arp> arp = new ArrayList<>();
        int icmpv6 = 0;
        for (PcapReader.Frame frame : PcapReader.readCapture(capture)) {
            byte[] b = frame.data();
            int etherType = (b[12] & 0xff) << 8 | b[13] & 0xff;
            int ip = ETHERNET_HEADER;
            switch (etherType) {
                case ETHERTYPE_IPV4 -> {
                    Ipv4Header h = Ipv4Header.decode(b, ip, b.length - ip);
                    assertEquals(VrrpAdvertisement.IP_PROTOCOL, h.protocol(), capture + " frame " + frame.index());
                    vrrp.add(vrrp(frame.index(), b, ip + h.headerLength(), h.payloadLength(),
                            h.source(), h.destination(), h.ttl()));
                }
                case ETHERTYPE_IPV6 -> {
                    Ipv6Header h = Ipv6Header.decode(b, ip, b.length - ip);
                    if (h.nextHeader() == ICMPV6) {
                        icmpv6++;
                    } else {
                        assertEquals(VrrpAdvertisement.IP_PROTOCOL, h.nextHeader(), capture + " frame " + frame.index());
                        vrrp.add(vrrp(frame.index(), b, ip + h.headerLength(), h.payloadLength(),
                                h.source(), h.destination(), h.hopLimit()));
                    }
                }
                case ArpPacket.ETHERTYPE -> arp.add(new Arp(frame.index(), b, ArpPacket.fromEthernetFrame(b, 0, b.length)));
                default -> fail(String.format("%s frame %d: unexpected EtherType 0x%04x", capture, frame.index(), etherType));
            }
        }
        return new Walk(vrrp, arp, icmpv6);
    }

    private static Vrrp vrrp(int index, byte[] b, int off, int len, InetAddress src, InetAddress dst, int ttl)
            throws Exception {
        VrrpAdvertisement advert = VrrpAdvertisement.decode(b, off, len, src, dst);
        return new Vrrp(index, src, dst, ttl, Arrays.copyOfRange(b, off, off + len), advert);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
