package appliance.codec.netlink;

import static appliance.codec.netlink.RouteEncodingTest.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decoding the route replies a real kernel sent (see {@link KernelRouteCaptures}). */
class RouteKernelReplyTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "captures are little-endian");
    }

    @Test
    void ipv4DumpHoldsEveryTable() throws Exception {
        List<RouteMessage> routes = routes(KernelRouteCaptures.ROUTE_DUMP_IPV4);
        assertEquals(17, routes.size());
        assertTrue(routes.stream().allMatch(r -> r.header().has(NetlinkHeader.NLM_F_MULTI) && r.header().sequence() == 7));
        assertEquals(2, routes.stream().filter(r -> r.table() == 100).count());
        assertEquals(1, routes.stream().filter(r -> r.table() == 1000).count());
        assertEquals(7, routes.stream().filter(r -> r.table() == RouteMessage.RT_TABLE_MAIN).count());
        assertEquals(7, routes.stream().filter(r -> r.table() == RouteMessage.RT_TABLE_LOCAL).count());
    }

    @Test
    void routeInATableAbove255ComesWithEveryAttribute() throws Exception {
        RouteMessage r = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "203.0.113.0", 24);
        assertEquals(1000, r.table(), "from RTA_TABLE; rtm_table says RT_TABLE_COMPAT");
        assertEquals(addr("192.0.2.254"), r.gateway());
        assertEquals(3, r.outputInterface());
        assertEquals(addr("192.0.2.1"), r.preferredSource());
        assertEquals(100, r.priority());
        assertEquals(RouteMessage.RTPROT_KEEPALIVED, r.protocol());
        assertEquals(RouteMessage.RTN_UNICAST, r.type());
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, r.scope());
    }

    @Test
    void defaultRouteHasNoDestination() throws Exception {
        RouteMessage r = routes(KernelRouteCaptures.ROUTE_DUMP_IPV4).stream()
                .filter(m -> m.destinationLength() == 0).findFirst().orElseThrow();
        assertNull(r.destination());
        assertEquals(100, r.table());
        assertEquals(addr("192.0.2.254"), r.gateway());
    }

    @Test
    void routesWithoutNextHopCarryTheirType() throws Exception {
        RouteMessage blackhole = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "10.30.0.0", 16);
        assertEquals(RouteMessage.RTN_BLACKHOLE, blackhole.type());
        assertEquals(100, blackhole.table());
        assertEquals(0, blackhole.outputInterface());
        assertNull(blackhole.gateway());
        RouteMessage unreachable = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "10.31.0.0", 16);
        assertEquals(RouteMessage.RTN_UNREACHABLE, unreachable.type());
        assertEquals(5, unreachable.priority());
        assertEquals(RouteMessage.RTN_PROHIBIT, find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "10.32.0.0", 16).type());
    }

    @Test
    void multipathRouteListsItsNextHopsWithWeights() throws Exception {
        RouteMessage r = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "10.0.0.0", 8);
        assertEquals(List.of(new NextHop(addr("192.0.2.2"), 3, 1), new NextHop(addr("198.51.100.2"), 2, 3)),
                r.nextHops());
        assertNull(r.gateway());
        assertEquals(0, r.outputInterface());
    }

    @Test
    void directRoutesHaveLinkScopeAndTheKernelsOwnAreMarked() throws Exception {
        RouteMessage dev = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "198.18.0.0", 15);
        assertEquals(Rtnetlink.RT_SCOPE_LINK, dev.scope());
        assertEquals(3, dev.outputInterface());
        RouteMessage prefix = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "192.0.2.0", 24);
        assertEquals(RouteMessage.RTPROT_KERNEL, prefix.protocol());
        assertEquals(addr("192.0.2.1"), prefix.preferredSource());
        InetAddress own = addr("192.0.2.1");
        RouteMessage local = routes(KernelRouteCaptures.ROUTE_DUMP_IPV4).stream()
                .filter(m -> m.table() == RouteMessage.RT_TABLE_LOCAL && own.equals(m.destination()))
                .findFirst().orElseThrow();
        assertEquals(RouteMessage.RTN_LOCAL, local.type());
        assertEquals(Rtnetlink.RT_SCOPE_HOST, local.scope());
    }

    @Test
    void ipv6DumpHasMetricsAndAMultipathRouteInOneMessage() throws Exception {
        List<RouteMessage> routes = routes(KernelRouteCaptures.ROUTE_DUMP_IPV6);
        assertEquals(11, routes.size());
        assertTrue(routes.stream().allMatch(r -> r.family() == Rtnetlink.AF_INET6));
        RouteMessage via = find(KernelRouteCaptures.ROUTE_DUMP_IPV6, "2001:db8:1::", 48);
        assertEquals(addr("2001:db8::fe"), via.gateway());
        assertEquals(1024, via.priority(), "the kernel's default metric for IPv6");
        RouteMessage multipath = find(KernelRouteCaptures.ROUTE_DUMP_IPV6, "2001:db8:2::", 48);
        assertEquals(List.of(new NextHop(addr("2001:db8::2"), 3, 1), new NextHop(addr("2001:db8::3"), 3, 2)),
                multipath.nextHops());
        assertEquals(RouteMessage.RTPROT_KEEPALIVED, multipath.protocol());
    }

    @Test
    void dumpsEndWithDone() throws Exception {
        assertDone(KernelRouteCaptures.ROUTE_DUMP_IPV4_DONE, 7);
        assertDone(KernelRouteCaptures.ROUTE_DUMP_IPV6_DONE, 8);
    }

    @Test
    void duplicateAddIsEexistAndMissingDeleteIsEsrch() throws Exception {
        NetlinkError exists = assertInstanceOf(NetlinkError.class, decode(KernelRouteCaptures.ROUTE_EEXIST).get(0));
        assertEquals(17, exists.errno());
        assertEquals(Rtnetlink.RTM_NEWROUTE, exists.request().type());
        assertEquals(1001, exists.request().sequence());
        NetlinkError absent = assertInstanceOf(NetlinkError.class, decode(KernelRouteCaptures.ROUTE_ESRCH).get(0));
        assertEquals(3, absent.errno());
        assertEquals(Rtnetlink.RTM_DELROUTE, absent.request().type());
    }

    @Test
    void ackOfAnIpv6MultipathAddEchoesTheRequestWithoutExcl() throws Exception {
        NetlinkAck ack = assertInstanceOf(NetlinkAck.class, decode(KernelRouteCaptures.ROUTE_ACK_IPV6_MULTIPATH).get(0));
        assertEquals(1008, ack.request().sequence());
        assertEquals(Rtnetlink.RTM_NEWROUTE, ack.request().type());
        assertFalse(ack.request().has(NetlinkHeader.NLM_F_EXCL));
    }

    @Test
    void aRouteFromTheDumpGivesBackTheRequestThatAddedIt() throws Exception {
        // What a component needs to remove a route it finds after a restart.
        RouteMessage r = find(KernelRouteCaptures.ROUTE_DUMP_IPV4, "203.0.113.0", 24);
        RouteSpec spec = new RouteSpec(r.destination(), r.destinationLength(), r.gateway(), r.outputInterface(),
                r.preferredSource(), r.table(), r.priority(), r.scope(), r.type(), r.nextHops(), r.protocol());
        assertEquals(RouteEncodingTest.hex(Rtnetlink.newRoute(1, RouteEncodingTest.viaDevSrcMetricTable1000())),
                RouteEncodingTest.hex(Rtnetlink.newRoute(1, spec)));
    }

    private static RouteMessage find(byte[] dump, String destination, int length) throws Exception {
        InetAddress d = addr(destination);
        return routes(dump).stream()
                .filter(r -> d.equals(r.destination()) && r.destinationLength() == length
                        && r.table() != RouteMessage.RT_TABLE_LOCAL)
                .findFirst().orElseThrow(() -> new AssertionError(destination + "/" + length + " not in the dump"));
    }

    private static List<RouteMessage> routes(byte[] dump) throws NetlinkDecodeException {
        return decode(dump).stream().map(RouteMessage.class::cast).toList();
    }

    private static void assertDone(byte[] datagram, int sequence) throws NetlinkDecodeException {
        NetlinkDone done = assertInstanceOf(NetlinkDone.class, decode(datagram).get(0));
        assertEquals(0, done.error());
        assertEquals(sequence, done.header().sequence());
    }

    private static List<NetlinkMessage> decode(byte[] datagram) throws NetlinkDecodeException {
        return Rtnetlink.decode(datagram, 0, datagram.length);
    }
}
