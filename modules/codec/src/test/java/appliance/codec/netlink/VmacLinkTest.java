package appliance.codec.netlink;

import static appliance.codec.netlink.RouteEncodingTest.hex;
import static appliance.codec.netlink.RouteEncodingTest.sameAsIproute2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * keepalived's VMAC as links: newMacvlan, setAddrGenMode, setLinkUp and deleteLink write what
 * {@code ip link} writes, and a dumped link tells its kind and base.
 */
class VmacLinkTest {

    private static final byte[] VMAC_51 = HexFormat.ofDelimiter(":").parseHex("00:00:5e:00:01:33");
    private static final int VA = 3;
    /** vrrp.51's index when iproute2 made it (Iproute2Requests). */
    private static final int VRRP_51 = 4;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    @Test
    void newMacvlanWritesWhatIpLinkAddWrites() throws Exception {
        sameAsIproute2(Iproute2Requests.MACVLAN,
                s -> Rtnetlink.newMacvlan(s, "vrrp.51", VA, VMAC_51, Rtnetlink.MACVLAN_MODE_PRIVATE));
    }

    @Test
    void linkChangesWriteWhatIpLinkSetAndDelWrite() throws Exception {
        sameAsIproute2(Iproute2Requests.ADDRGENMODE_NONE,
                s -> Rtnetlink.setAddrGenMode(s, VRRP_51, Rtnetlink.IN6_ADDR_GEN_MODE_NONE));
        sameAsIproute2(Iproute2Requests.LINK_UP, s -> Rtnetlink.setLinkUp(s, VRRP_51, true));
        sameAsIproute2(Iproute2Requests.LINK_DOWN, s -> Rtnetlink.setLinkUp(s, VRRP_51, false));
        sameAsIproute2(Iproute2Requests.DELETE_LINK, s -> Rtnetlink.deleteLink(s, VRRP_51));
    }

    @Test
    void newMacvlanRoundTripsWithItsNameMacBaseAndKind() throws Exception {
        IfInfoMessage m = only(Rtnetlink.newMacvlan(5, "vrrp.51", VA, VMAC_51, Rtnetlink.MACVLAN_MODE_PRIVATE));
        assertEquals(Rtnetlink.RTM_NEWLINK, m.header().type());
        assertEquals(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK | NetlinkHeader.NLM_F_CREATE
                | NetlinkHeader.NLM_F_EXCL, m.header().flags());
        assertEquals("vrrp.51", m.name());
        assertEquals("00:00:5e:00:01:33", m.hardwareAddressText());
        assertEquals(VA, m.linkIndex());
        assertEquals("macvlan", m.kind());
        assertEquals(0, m.interfaceIndex(), "the kernel chooses the index");
    }

    @Test
    void setLinkUpChangesOnlyIffUp() throws Exception {
        byte[] up = Rtnetlink.setLinkUp(1, 9, true);
        byte[] down = Rtnetlink.setLinkUp(1, 9, false);
        assertEquals(IfInfoMessage.IFF_UP, only(up).flags());
        assertEquals(0, only(down).flags());
        assertEquals("01000000", hex(up).substring(2 * (NetlinkHeader.SIZE + 12)), "ifi_change");
        assertEquals("01000000", hex(down).substring(2 * (NetlinkHeader.SIZE + 12)), "ifi_change");
    }

    @Test
    void kernelReportsTheVmacWithItsBaseAndKind() throws Exception {
        byte[] link = KernelCaptures.MACVLAN_LINK;
        IfInfoMessage vmac = only(link);
        assertEquals("vrrp.51", vmac.name());
        assertEquals("macvlan", vmac.kind());
        assertEquals(VA, vmac.linkIndex());
        assertEquals("00:00:5e:00:01:33", vmac.hardwareAddressText());
        assertEquals(5, vmac.interfaceIndex());
        assertEquals(IfInfoMessage.ARPHRD_ETHER, vmac.type());
    }

    @Test
    void vethReportsItsPeerAndLoopbackNeither() throws Exception {
        byte[] dump = KernelCaptures.LINK_DUMP_LO_VB;
        List<NetlinkMessage> links = Rtnetlink.decode(dump, 0, dump.length);
        IfInfoMessage lo = (IfInfoMessage) links.get(0);
        assertEquals(0, lo.linkIndex());
        assertNull(lo.kind());
        IfInfoMessage vb = (IfInfoMessage) links.get(1);
        assertEquals("veth", vb.kind());
        assertEquals(3, vb.linkIndex(), "va");
        IfInfoMessage va = only(KernelCaptures.LINK_DUMP_VA);
        assertEquals("veth", va.kind());
        assertEquals(2, va.linkIndex(), "vb");
    }

    @Test
    void deletingAGoneLinkIsEnodev() throws Exception {
        byte[] reply = KernelCaptures.LINK_ENODEV;
        NetlinkError e = assertInstanceOf(NetlinkError.class, Rtnetlink.decode(reply, 0, reply.length).get(0));
        assertEquals(19, e.errno());
        assertEquals(Rtnetlink.RTM_DELLINK, e.request().type());
    }

    @Test
    void theFirstConstructorStillBuildsALinkWithoutBaseOrKind() {
        NetlinkHeader h = new NetlinkHeader(64, Rtnetlink.RTM_NEWLINK, 0, 0, 0);
        IfInfoMessage old = new IfInfoMessage(h, 4, IfInfoMessage.ARPHRD_ETHER, 0, "e0", VMAC_51, 1500, 6);
        assertEquals(0, old.linkIndex());
        assertNull(old.kind());
        assertEquals(new IfInfoMessage(h, 4, IfInfoMessage.ARPHRD_ETHER, 0, "e0", VMAC_51, 1500, 6, 0, null), old);
    }

    @Test
    void invalidLinkRequestsAreRefused() {
        int p = Rtnetlink.MACVLAN_MODE_PRIVATE;
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "sixteen-chars-xx", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "a/b", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "va:1", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "a b", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "..", VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "vrrp.51", 0, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "vrrp.51", VA, new byte[5], p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "vrrp.51", VA, new byte[6], p));
        byte[] multicast = {1, 0, 0x5e, 0, 0, 1};
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "vrrp.51", VA, multicast, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newMacvlan(1, "vrrp.51", VA, VMAC_51, 3));
        assertThrows(NullPointerException.class, () -> Rtnetlink.newMacvlan(1, null, VA, VMAC_51, p));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.setAddrGenMode(1, VRRP_51, 4));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.setAddrGenMode(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.setLinkUp(1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.deleteLink(1, -1));
    }

    private static IfInfoMessage only(byte[] message) throws NetlinkDecodeException {
        List<NetlinkMessage> messages = Rtnetlink.decode(message, 0, message.length);
        assertEquals(1, messages.size());
        return assertInstanceOf(IfInfoMessage.class, messages.get(0));
    }
}
