package appliance.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.NetlinkHeader;
import appliance.codec.netlink.Rtnetlink;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceTableTest {

    static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    static final int UP = IfInfoMessage.IFF_UP | IfInfoMessage.IFF_RUNNING;
    static final Set<InetAddress> OURS = Set.of(addr("10.99.0.100"));

    final InterfaceTable table = new InterfaceTable();

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static IfInfoMessage link(int type, int index, String name, int flags) {
        return new IfInfoMessage(new NetlinkHeader(64, type, 0, 0, 0), index, IfInfoMessage.ARPHRD_ETHER, flags, name,
                MAC, 1500, IfInfoMessage.IF_OPER_UP);
    }

    static IfAddrMessage address(int type, int index, String a, int flags) {
        return new IfAddrMessage(new NetlinkHeader(64, type, 0, 0, 0), Rtnetlink.AF_INET, 24, flags, 0, index, addr(a),
                addr(a), null);
    }

    @Test
    void anInterfaceIsFollowedByNameAcrossDeletionAndReCreation() {
        table.replaceLinks(List.of(link(Rtnetlink.RTM_NEWLINK, 4, "e0", UP)));
        table.replaceAddresses(List.of(address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.1", 0)));
        InterfaceView v = table.view("e0", OURS);
        assertEquals(4, v.index());
        assertTrue(v.up());
        assertEquals(addr("10.99.0.1"), v.primaryIpv4());

        table.apply(link(Rtnetlink.RTM_DELLINK, 4, "e0", 0));
        assertFalse(table.view("e0", OURS).exists());

        table.apply(link(Rtnetlink.RTM_NEWLINK, 9, "e0", IfInfoMessage.IFF_UP));
        InterfaceView back = table.view("e0", OURS);
        assertEquals(9, back.index());
        assertFalse(back.up(), "no carrier yet");
        assertNull(back.primaryIpv4(), "the old index's addresses went with it");
        table.apply(address(Rtnetlink.RTM_NEWADDR, 9, "10.99.0.1", 0));
        table.apply(link(Rtnetlink.RTM_NEWLINK, 9, "e0", UP));
        assertEquals(new InterfaceView("e0", 9, MAC, true, (java.net.Inet4Address) addr("10.99.0.1"), null),
                table.view("e0", OURS));
    }

    @Test
    void thePrimaryAddressIsTheFirstPrimaryOneThatIsNotOurs() {
        table.replaceLinks(List.of(link(Rtnetlink.RTM_NEWLINK, 4, "e0", UP)));
        table.replaceAddresses(List.of(
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.100", 0),
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.1", 0),
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.2", IfAddrMessage.IFA_F_SECONDARY)));
        assertEquals(addr("10.99.0.1"), table.view("e0", OURS).primaryIpv4());

        // Deleted with promote_secondaries: the kernel removes the primary and re-announces the secondary as primary.
        table.apply(address(Rtnetlink.RTM_DELADDR, 4, "10.99.0.1", 0));
        table.apply(address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.2", 0));
        assertEquals(addr("10.99.0.2"), table.view("e0", OURS).primaryIpv4());

        table.apply(address(Rtnetlink.RTM_DELADDR, 4, "10.99.0.2", 0));
        assertNull(table.view("e0", OURS).primaryIpv4());
    }

    @Test
    void aRenumberedInterfaceWhoseOnlyPrimaryIsOursSendsFromItsOwnSecondary() {
        table.replaceLinks(List.of(link(Rtnetlink.RTM_NEWLINK, 4, "e0", UP)));
        table.replaceAddresses(List.of(
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.100", 0),
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.11", IfAddrMessage.IFA_F_SECONDARY)));
        assertEquals(addr("10.99.0.11"), table.view("e0", OURS).primaryIpv4());
    }

    static IfAddrMessage address6(int type, int index, String a, int scope, int flags) {
        return new IfAddrMessage(new NetlinkHeader(64, type, 0, 0, 0), Rtnetlink.AF_INET6, 64, flags, scope, index,
                addr(a), null, null);
    }

    @Test
    void theIpv6SourceIsTheFirstLinkLocalAddressOnceItIsNoLongerTentative() {
        table.replaceLinks(List.of(link(Rtnetlink.RTM_NEWLINK, 4, "e0", UP)));
        table.replaceAddresses(List.of(
                address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.1", 0),
                address6(Rtnetlink.RTM_NEWADDR, 4, "fd00:99::1", 0, 0),
                address6(Rtnetlink.RTM_NEWADDR, 4, "fe80::1", 253, IfAddrMessage.IFA_F_TENTATIVE)));
        InterfaceView v = table.view("e0", OURS);
        assertNull(v.linkLocalIpv6(), "a tentative address cannot be a source yet");
        assertEquals(addr("10.99.0.1"), v.primaryIpv4(), "IPv6 addresses never stand in for the IPv4 one");

        table.apply(address6(Rtnetlink.RTM_NEWADDR, 4, "fe80::1", 253, IfAddrMessage.IFA_F_PERMANENT));
        assertEquals(addr("fe80::1"), table.view("e0", OURS).linkLocalIpv6(), "duplicate address detection done");
        assertEquals(addr("fe80::1"), table.view("e0", OURS).source(true));
        assertEquals(addr("10.99.0.1"), table.view("e0", OURS).source(false));

        table.apply(address6(Rtnetlink.RTM_NEWADDR, 4, "fe80::1", 253, IfAddrMessage.IFA_F_DADFAILED));
        assertNull(table.view("e0", OURS).linkLocalIpv6(), "a duplicate is never used");
        table.apply(address6(Rtnetlink.RTM_DELADDR, 4, "fe80::1", 253, 0));
        assertNull(table.view("e0", OURS).linkLocalIpv6());
    }

    @Test
    void aLinkLocalVirtualAddressIsNeverTheSource() {
        table.replaceLinks(List.of(link(Rtnetlink.RTM_NEWLINK, 4, "e0", UP)));
        table.replaceAddresses(List.of(
                address6(Rtnetlink.RTM_NEWADDR, 4, "fe80::100", 253, IfAddrMessage.IFA_F_NODAD),
                address6(Rtnetlink.RTM_NEWADDR, 4, "fe80::1", 253, IfAddrMessage.IFA_F_PERMANENT)));
        assertEquals(addr("fe80::1"), table.view("e0", Set.of(addr("fe80::100"))).linkLocalIpv6());
    }

    @Test
    void anInterfaceThatNeverExistedIsAbsent() {
        assertEquals(InterfaceView.absent("e7"), table.view("e7", OURS));
    }
}
