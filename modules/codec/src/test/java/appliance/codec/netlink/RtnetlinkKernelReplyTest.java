package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decoding datagrams a real kernel sent (see {@link KernelCaptures}). */
class RtnetlinkKernelReplyTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "captures are little-endian");
    }

    @Test
    void linkDumpListsLoopbackAndVethWithTheirMacs() throws Exception {
        List<NetlinkMessage> messages = decode(KernelCaptures.LINK_DUMP_LO_VB);
        assertEquals(2, messages.size());

        IfInfoMessage lo = assertInstanceOf(IfInfoMessage.class, messages.get(0));
        assertEquals("lo", lo.name());
        assertEquals(1, lo.interfaceIndex());
        assertEquals(IfInfoMessage.ARPHRD_LOOPBACK, lo.type());
        assertEquals(65536, lo.mtu());
        assertEquals("00:00:00:00:00:00", lo.hardwareAddressText());
        assertTrue(lo.isUp());
        assertTrue(lo.header().has(NetlinkHeader.NLM_F_MULTI));
        assertEquals(1, lo.header().sequence());

        IfInfoMessage vb = assertInstanceOf(IfInfoMessage.class, messages.get(1));
        assertEquals("vb", vb.name());
        assertEquals(IfInfoMessage.ARPHRD_ETHER, vb.type());
        assertEquals(1500, vb.mtu());
        assertEquals("02:00:00:00:00:0b", vb.hardwareAddressText());
        assertEquals(IfInfoMessage.IF_OPER_UP, vb.operState());
    }

    @Test
    void linkDumpEndsWithDone() throws Exception {
        List<NetlinkMessage> messages = decode(KernelCaptures.LINK_DUMP_VA);
        IfInfoMessage va = assertInstanceOf(IfInfoMessage.class, messages.get(0));
        assertEquals("va", va.name());
        assertEquals("02:00:00:00:00:0a", va.hardwareAddressText());

        NetlinkDone done = assertInstanceOf(NetlinkDone.class, decode(KernelCaptures.LINK_DUMP_DONE).get(0));
        assertEquals(0, done.error());
        assertEquals(1, done.header().sequence());
    }

    @Test
    void addressDumpHoldsEveryAddressWithItsInterfaceAndScope() throws Exception {
        Map<InetAddress, IfAddrMessage> byAddress = decode(KernelCaptures.ADDRESS_DUMP).stream()
                .map(IfAddrMessage.class::cast)
                .collect(Collectors.toMap(IfAddrMessage::interfaceAddress, m -> m));

        IfAddrMessage loopback = byAddress.get(InetAddress.getByName("127.0.0.1"));
        assertEquals(8, loopback.prefixLength());
        assertEquals(1, loopback.interfaceIndex());
        assertEquals(254, loopback.scope(), "RT_SCOPE_HOST");
        assertEquals("lo", loopback.label());

        IfAddrMessage v4 = byAddress.get(InetAddress.getByName("192.0.2.1"));
        assertEquals(Rtnetlink.AF_INET, v4.family());
        assertEquals(24, v4.prefixLength());
        assertEquals("va", v4.label());
        assertEquals(v4.address(), v4.local());
        assertTrue((v4.flags() & IfAddrMessage.IFA_F_PERMANENT) != 0);

        IfAddrMessage v6 = byAddress.get(InetAddress.getByName("2001:db8::1"));
        assertEquals(Rtnetlink.AF_INET6, v6.family());
        assertEquals(64, v6.prefixLength());
        assertNull(v6.local(), "IPv6 sends IFA_ADDRESS alone");
        assertTrue((v6.flags() & IfAddrMessage.IFA_F_NODAD) != 0);
        assertEquals(v4.interfaceIndex(), v6.interfaceIndex());
    }

    @Test
    void ackNamesTheAcknowledgedRequest() throws Exception {
        NetlinkAck ack = assertInstanceOf(NetlinkAck.class, decode(KernelCaptures.ACK).get(0));
        assertEquals(3, ack.header().sequence());
        assertEquals(Rtnetlink.RTM_NEWADDR, ack.request().type());
        assertEquals(3, ack.request().sequence());
    }

    @Test
    void errorCarriesThePositiveErrnoAndTheFailedRequest() throws Exception {
        NetlinkError exists = assertInstanceOf(NetlinkError.class, decode(KernelCaptures.EEXIST).get(0));
        assertEquals(17, exists.errno());
        assertEquals(4, exists.request().sequence());
        assertEquals(Rtnetlink.RTM_NEWADDR, exists.request().type());

        NetlinkError absent = assertInstanceOf(NetlinkError.class, decode(KernelCaptures.EADDRNOTAVAIL).get(0));
        assertEquals(99, absent.errno());
        assertEquals(Rtnetlink.RTM_DELADDR, absent.request().type());
    }

    @Test
    void decodingHonoursOffsetAndLength() throws Exception {
        byte[] ack = KernelCaptures.ACK;
        byte[] framed = new byte[ack.length + 11];
        java.util.Arrays.fill(framed, (byte) 0x5a);
        System.arraycopy(ack, 0, framed, 5, ack.length);
        assertEquals(decode(ack), Rtnetlink.decode(framed, 5, ack.length));
    }

    @Test
    void severalMessagesInOneDatagramComeOutInOrder() throws Exception {
        byte[] a = KernelCaptures.LINK_DUMP_VA;
        byte[] b = KernelCaptures.LINK_DUMP_DONE;
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        List<NetlinkMessage> messages = decode(both);
        assertEquals(2, messages.size());
        assertInstanceOf(IfInfoMessage.class, messages.get(0));
        assertInstanceOf(NetlinkDone.class, messages.get(1));
    }

    static List<NetlinkMessage> decode(byte[] datagram) throws NetlinkDecodeException {
        return Rtnetlink.decode(datagram, 0, datagram.length);
    }
}
