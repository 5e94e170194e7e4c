package appliance.codec.vrrp;

import appliance.codec.pcap.PcapReader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The IP packets keepalived 2.2.7 sent in src/test/resources/captures, Ethernet header taken
 * off: the seeds of the VRRP fuzz tests (v2 with a password, v3 multicast and unicast over IPv4,
 * v3 over IPv6), so that fuzzing starts from adverts a real peer sends.
 */
final class CapturedPackets {

    private static final HexFormat HEX = HexFormat.of();
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;

    private CapturedPackets() {
    }

    /** For {@code @MethodSource}: every IPv4 packet of the IPv4 captures. */
    static Stream<byte[]> ipv4() {
        return Stream.of("v2-ipv4-pass-auth-2vips.pcap", "v3-ipv4.pcap", "v3-unicast.pcap")
                .flatMap(capture -> packets(capture, ETHERTYPE_IPV4));
    }

    /** For {@code @MethodSource}: every IPv6 packet of the IPv6 capture (adverts and ICMPv6). */
    static Stream<byte[]> ipv6() {
        return packets("v3-ipv6.pcap", ETHERTYPE_IPV6);
    }

    private static Stream<byte[]> packets(String capture, int etherType) {
        return PcapReader.readCapture(capture).stream()
                .map(PcapReader.Frame::data)
                .filter(frame -> ((frame[12] & 0xff) << 8 | frame[13] & 0xff) == etherType)
                .map(frame -> Arrays.copyOfRange(frame, ETHERNET_HEADER, frame.length))
                // The same advert comes once a second: one copy of each is enough.
                .map(HEX::formatHex).distinct().map(HEX::parseHex);
    }
}
