package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtnetlinkEncodingTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    @Test
    void newAddressMatchesWhatTheKernelAccepted() throws Exception {
        // The request that KernelCaptures.ACK acknowledges.
        assertEquals("28000000" + "1400" + "0506" + "03000000" + "00000000"
                        + "02" + "18" + "00" + "00" + "03000000"
                        + "08000200" + "c000020a"   // IFA_LOCAL 192.0.2.10
                        + "08000100" + "c000020a",  // IFA_ADDRESS 192.0.2.10
                hex(Rtnetlink.newAddress(3, 3, InetAddress.getByName("192.0.2.10"), 24)));
    }

    @Test
    void newAddressAsksForAckAndRefusesDuplicates() throws Exception {
        NetlinkHeader h = only(Rtnetlink.newAddress(7, 3, InetAddress.getByName("192.0.2.10"), 24)).header();
        assertEquals(Rtnetlink.RTM_NEWADDR, h.type());
        assertTrue(h.has(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK
                | NetlinkHeader.NLM_F_CREATE | NetlinkHeader.NLM_F_EXCL));
        assertEquals(7, h.sequence());
    }

    @Test
    void ipv4AddressRoundTripsWithItsLabel() throws Exception {
        InetAddress vip = InetAddress.getByName("198.51.100.7");
        IfAddrMessage m = (IfAddrMessage) only(Rtnetlink.newAddress(9, 4, vip, 32, "va:vip"));
        assertEquals(Rtnetlink.AF_INET, m.family());
        assertEquals(32, m.prefixLength());
        assertEquals(4, m.interfaceIndex());
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, m.scope());
        assertEquals(vip, m.local());
        assertEquals(vip, m.address());
        assertEquals(vip, m.interfaceAddress());
        assertEquals("va:vip", m.label());
        assertEquals(0, m.flags());
    }

    @Test
    void ipv6AddressSkipsDuplicateAddressDetection() throws Exception {
        InetAddress vip = InetAddress.getByName("2001:db8::7");
        IfAddrMessage m = (IfAddrMessage) only(Rtnetlink.newAddress(1, 4, vip, 64));
        assertEquals(Rtnetlink.AF_INET6, m.family());
        assertEquals(64, m.prefixLength());
        assertEquals(vip, m.interfaceAddress());
        assertEquals(IfAddrMessage.IFA_F_NODAD, m.flags());
        assertNull(m.label());
    }

    @Test
    void deleteAddressAsksForAckOnly() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.99");
        IfAddrMessage m = (IfAddrMessage) only(Rtnetlink.deleteAddress(5, 3, vip, 24));
        assertEquals(Rtnetlink.RTM_DELADDR, m.header().type());
        assertEquals(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK, m.header().flags());
        assertEquals(vip, m.interfaceAddress());
        assertEquals(24, m.prefixLength());
    }

    @Test
    void dumpRequestsAreShortAndFlaggedDump() {
        assertEquals("18000000" + "1600" + "0103" + "02000000" + "00000000" + "0a000000" + "00000000",
                hex(Rtnetlink.dumpAddresses(2, Rtnetlink.AF_INET6)));
        assertEquals("20000000" + "1200" + "0103" + "01000000" + "00000000" + "00".repeat(16),
                hex(Rtnetlink.dumpLinks(1)));
    }

    @Test
    void invalidArgumentsAreRefusedWhenEncoding() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newAddress(1, 1, v4, 33));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newAddress(1, 1, v6, 129));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newAddress(1, 0, v4, 24));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newAddress(1, 1, v4, 24, "sixteen-chars-xx"));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.dumpAddresses(1, 7));
        assertThrows(NullPointerException.class, () -> Rtnetlink.deleteAddress(1, 1, null, 24));
    }

    @Test
    void messagesAreFourByteAligned() throws Exception {
        byte[] odd = Rtnetlink.newAddress(1, 1, InetAddress.getByName("192.0.2.1"), 24, "va:x");
        assertEquals(0, odd.length % 4);
        assertEquals(odd.length, only(odd).header().length());
    }

    private static NetlinkMessage only(byte[] message) throws NetlinkDecodeException {
        List<NetlinkMessage> messages = Rtnetlink.decode(message, 0, message.length);
        assertEquals(1, messages.size());
        return messages.get(0);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
