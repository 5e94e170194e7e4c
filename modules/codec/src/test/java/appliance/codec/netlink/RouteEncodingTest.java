package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

/** newRoute, deleteRoute and dumpRoutes: the bytes iproute2 sends for the same routes, and back. */
class RouteEncodingTest {

    private static final int VA = 3;
    private static final int VB = 2;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    @Test
    void newRouteWritesWhatIpRouteAddWrites() throws Exception {
        sameAsIproute2(Iproute2Requests.ROUTE_VIA_DEV_SRC_METRIC_TABLE_1000, r -> Rtnetlink.newRoute(r, viaDevSrcMetricTable1000()));
        sameAsIproute2(Iproute2Requests.ROUTE_DEV, r -> Rtnetlink.newRoute(r, dev()));
        sameAsIproute2(Iproute2Requests.ROUTE_DEFAULT_TABLE_100, r -> Rtnetlink.newRoute(r, defaultTable100()));
        sameAsIproute2(Iproute2Requests.ROUTE_BLACKHOLE, r -> Rtnetlink.newRoute(r, blackhole()));
        sameAsIproute2(Iproute2Requests.ROUTE_UNREACHABLE, r -> Rtnetlink.newRoute(r, unreachable()));
        sameAsIproute2(Iproute2Requests.ROUTE_PROHIBIT, r -> Rtnetlink.newRoute(r, prohibit()));
        sameAsIproute2(Iproute2Requests.ROUTE_MULTIPATH, r -> Rtnetlink.newRoute(r, multipath()));
        sameAsIproute2(Iproute2Requests.ROUTE_IPV6_VIA_DEV, r -> Rtnetlink.newRoute(r, ipv6ViaDev()));
        sameAsIproute2(Iproute2Requests.ROUTE_IPV6_MULTIPATH, r -> Rtnetlink.newRoute(r, ipv6Multipath()));
        sameAsIproute2(Iproute2Requests.ROUTE_DEV_SRC_PROTO_STATIC, r -> Rtnetlink.newRoute(r, devSrcProtoStatic()));
    }

    @Test
    void deleteRouteWritesWhatIpRouteDelWrites() throws Exception {
        sameAsIproute2(Iproute2Requests.DELETE_VIA_DEV_SRC_METRIC_TABLE_1000,
                r -> Rtnetlink.deleteRoute(r, viaDevSrcMetricTable1000()));
        sameAsIproute2(Iproute2Requests.DELETE_DEV, r -> Rtnetlink.deleteRoute(r, dev()));
        sameAsIproute2(Iproute2Requests.DELETE_DEFAULT_TABLE_100, r -> Rtnetlink.deleteRoute(r, defaultTable100()));
        sameAsIproute2(Iproute2Requests.DELETE_BLACKHOLE, r -> Rtnetlink.deleteRoute(r, blackhole()));
        sameAsIproute2(Iproute2Requests.DELETE_UNREACHABLE, r -> Rtnetlink.deleteRoute(r, unreachable()));
        sameAsIproute2(Iproute2Requests.DELETE_PROHIBIT, r -> Rtnetlink.deleteRoute(r, prohibit()));
        sameAsIproute2(Iproute2Requests.DELETE_MULTIPATH, r -> Rtnetlink.deleteRoute(r, multipath()));
        sameAsIproute2(Iproute2Requests.DELETE_IPV6_VIA_DEV, r -> Rtnetlink.deleteRoute(r, ipv6ViaDev()));
        sameAsIproute2(Iproute2Requests.DELETE_IPV6_MULTIPATH, r -> Rtnetlink.deleteRoute(r, ipv6Multipath()));
        sameAsIproute2(Iproute2Requests.DELETE_DEV_SRC_PROTO_STATIC, r -> Rtnetlink.deleteRoute(r, devSrcProtoStatic()));
    }

    @Test
    void newRouteAsksForAckAndRefusesDuplicates() throws Exception {
        RouteMessage m = only(Rtnetlink.newRoute(7, dev()));
        assertEquals(Rtnetlink.RTM_NEWROUTE, m.header().type());
        assertEquals(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK | NetlinkHeader.NLM_F_CREATE
                | NetlinkHeader.NLM_F_EXCL, m.header().flags());
        assertEquals(7, m.header().sequence());
    }

    @Test
    void deleteMatchesAnyScopeOfAnIpv4Route() throws Exception {
        RouteMessage v4 = only(Rtnetlink.deleteRoute(1, dev()));
        assertEquals(Rtnetlink.RTM_DELROUTE, v4.header().type());
        assertEquals(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK, v4.header().flags());
        assertEquals(Rtnetlink.RT_SCOPE_NOWHERE, v4.scope());
        // IPv6 routes have no scope; iproute2 writes universe.
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, only(Rtnetlink.deleteRoute(1, ipv6ViaDev())).scope());
    }

    @Test
    void routeRoundTripsWithEveryAttribute() throws Exception {
        RouteMessage m = only(Rtnetlink.newRoute(9, viaDevSrcMetricTable1000()));
        assertEquals(Rtnetlink.AF_INET, m.family());
        assertEquals(addr("203.0.113.0"), m.destination());
        assertEquals(24, m.destinationLength());
        assertEquals(addr("192.0.2.254"), m.gateway());
        assertEquals(VA, m.outputInterface());
        assertEquals(addr("192.0.2.1"), m.preferredSource());
        assertEquals(100, m.priority());
        assertEquals(1000, m.table(), "RTA_TABLE over rtm_table");
        assertEquals(RouteMessage.RTPROT_KEEPALIVED, m.protocol());
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, m.scope());
        assertEquals(RouteMessage.RTN_UNICAST, m.type());
        assertTrue(m.nextHops().isEmpty());
    }

    @Test
    void tableAbove255GoesInRtaTableBesideUnspec() throws Exception {
        byte[] request = Rtnetlink.newRoute(1, viaDevSrcMetricTable1000());
        assertEquals(RouteMessage.RT_TABLE_UNSPEC, request[NetlinkHeader.SIZE + 4], "rtm_table");
        byte[] main = Rtnetlink.newRoute(1, dev());
        assertEquals((byte) RouteMessage.RT_TABLE_MAIN, main[NetlinkHeader.SIZE + 4], "rtm_table");
        assertEquals(44, main.length, "no RTA_TABLE for a table that fits rtm_table");
    }

    @Test
    void tableIdsAbove2To31AreUnsigned() throws Exception {
        int table = (int) 3_000_000_000L;
        RouteMessage m = only(Rtnetlink.newRoute(1, blackhole().withTable(table)));
        assertEquals(3_000_000_000L, Integer.toUnsignedLong(m.table()));
    }

    @Test
    void multipathRoundTripsWithWeightsAndInterfaces() throws Exception {
        RouteMessage m = only(Rtnetlink.newRoute(1, multipath()));
        assertTrue(m.isMultipath());
        assertNull(m.gateway());
        assertEquals(0, m.outputInterface());
        assertEquals(List.of(new NextHop(addr("192.0.2.2"), VA, 1), new NextHop(addr("198.51.100.2"), VB, 3)),
                m.nextHops());
    }

    @Test
    void defaultRouteHasNoDestinationAttribute() throws Exception {
        RouteMessage m = only(Rtnetlink.newRoute(1, defaultTable100()));
        assertEquals(0, m.destinationLength());
        assertNull(m.destination());
        assertEquals(100, m.table());
    }

    @Test
    void metricIsUnsigned() throws Exception {
        RouteMessage m = only(Rtnetlink.newRoute(1, dev().withMetric(0xffff_ffffL)));
        assertEquals(0xffff_ffffL, m.priority());
    }

    @Test
    void factoriesChooseWhatIpRouteChooses() throws Exception {
        assertEquals(Rtnetlink.RT_SCOPE_LINK, dev().scope(), "IPv4 route to a device");
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, RouteSpec.dev(addr("2001:db8:9::"), 48, VA).scope());
        RouteSpec via = RouteSpec.via(addr("203.0.113.0"), 24, addr("192.0.2.254"));
        assertEquals(RouteMessage.RT_TABLE_MAIN, via.table());
        assertEquals(0, via.metric());
        assertEquals(RouteMessage.RTN_UNICAST, via.type());
        assertEquals(RouteMessage.RTPROT_KEEPALIVED, via.protocol());
        assertEquals(RouteMessage.RTN_BLACKHOLE, blackhole().type());
        assertEquals(RouteMessage.RTN_UNREACHABLE, unreachable().type());
        assertEquals(RouteMessage.RTN_PROHIBIT, prohibit().type());
    }

    @Test
    void dumpRequestIsAnEmptyRtmsgFlaggedDump() {
        assertEquals("1c000000" + "1a00" + "0103" + "07000000" + "00000000" + "02" + "00".repeat(11),
                hex(Rtnetlink.dumpRoutes(7, Rtnetlink.AF_INET)));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.dumpRoutes(1, 7));
    }

    @Test
    void invalidRoutesAreRefused() throws Exception {
        InetAddress net = addr("10.1.0.0");
        InetAddress gw = addr("192.0.2.254");
        InetAddress gw6 = addr("2001:db8::fe");
        refused("host bits", () -> RouteSpec.via(addr("10.1.2.0"), 16, gw));
        refused("/33", () -> RouteSpec.via(net, 33, gw));
        refused("/129", () -> RouteSpec.via(addr("2001:db8::"), 129, gw6));
        refused("negative length", () -> RouteSpec.via(net, -1, gw));
        refused("IPv6 gateway", () -> RouteSpec.via(net, 16, gw6));
        refused("IPv6 source", () -> RouteSpec.via(net, 16, gw).withPreferredSource(gw6));
        refused("IPv6 next hop", () -> RouteSpec.multipath(net, 16, List.of(new NextHop(gw, 0), new NextHop(gw6, 0))));
        refused("blackhole with interface", () -> RouteSpec.blackhole(net, 16).withOutputInterface(VA));
        refused("unreachable with gateway", () -> new RouteSpec(net, 16, gw, 0, null, RouteMessage.RT_TABLE_MAIN,
                0, 0, RouteMessage.RTN_UNREACHABLE, List.of(), RouteMessage.RTPROT_BOOT));
        refused("prohibit with next hops", () -> new RouteSpec(net, 16, null, 0, null, RouteMessage.RT_TABLE_MAIN,
                0, 0, RouteMessage.RTN_PROHIBIT, List.of(new NextHop(gw, 0), new NextHop(addr("192.0.2.253"), 0)),
                RouteMessage.RTPROT_BOOT));
        refused("one next hop", () -> RouteSpec.multipath(net, 16, List.of(new NextHop(gw, VA))));
        refused("multipath and interface", () -> multipath().withOutputInterface(VA));
        refused("next hop without gateway or interface",
                () -> RouteSpec.multipath(net, 16, List.of(new NextHop(gw, 0), new NextHop(null, 0))));
        refused("unicast to nowhere", () -> new RouteSpec(net, 16, null, 0, null, RouteMessage.RT_TABLE_MAIN, 0, 0,
                RouteMessage.RTN_UNICAST, List.of(), RouteMessage.RTPROT_BOOT));
        refused("metric -1", () -> dev().withMetric(-1));
        refused("metric 2^32", () -> dev().withMetric(1L << 32));
        refused("table 0", () -> dev().withTable(0));
        refused("scope 256", () -> dev().withScope(256));
        refused("protocol 256", () -> dev().withProtocol(256));
        refused("type 0", () -> new RouteSpec(net, 16, gw, 0, null, RouteMessage.RT_TABLE_MAIN, 0, 0, 0, List.of(),
                RouteMessage.RTPROT_BOOT));
        refused("type 12", () -> new RouteSpec(net, 16, gw, 0, null, RouteMessage.RT_TABLE_MAIN, 0, 0, 12, List.of(),
                RouteMessage.RTPROT_BOOT));
        refused("interface 0", () -> RouteSpec.dev(net, 16, 0));
        refused("weight 0", () -> new NextHop(gw, VA, 0));
        refused("weight 257", () -> new NextHop(gw, VA, 257));
        refused("negative next hop interface", () -> new NextHop(gw, -1, 1));
        assertThrows(NullPointerException.class, () -> RouteSpec.via(null, 0, gw));
        assertThrows(NullPointerException.class, () -> RouteSpec.via(net, 16, null));
    }

    @Test
    void refusalsSayWhatIsWrong() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteSpec.via(addr("10.1.2.0"), 16, addr("192.0.2.254")));
        assertEquals("10.1.2.0/16 has bits set beyond the prefix length", e.getMessage());
    }

    static RouteSpec viaDevSrcMetricTable1000() throws Exception {
        return RouteSpec.via(addr("203.0.113.0"), 24, addr("192.0.2.254")).withOutputInterface(VA)
                .withPreferredSource(addr("192.0.2.1")).withTable(1000).withMetric(100);
    }

    static RouteSpec dev() throws Exception {
        return RouteSpec.dev(addr("198.18.0.0"), 15, VA);
    }

    static RouteSpec defaultTable100() throws Exception {
        return RouteSpec.via(addr("0.0.0.0"), 0, addr("192.0.2.254")).withTable(100);
    }

    static RouteSpec blackhole() throws Exception {
        return RouteSpec.blackhole(addr("10.30.0.0"), 16).withTable(100);
    }

    static RouteSpec unreachable() throws Exception {
        return RouteSpec.unreachable(addr("10.31.0.0"), 16).withMetric(5);
    }

    static RouteSpec prohibit() throws Exception {
        return RouteSpec.prohibit(addr("10.32.0.0"), 16);
    }

    static RouteSpec multipath() throws Exception {
        return RouteSpec.multipath(addr("10.0.0.0"), 8,
                List.of(new NextHop(addr("192.0.2.2"), VA, 1), new NextHop(addr("198.51.100.2"), VB, 3)));
    }

    static RouteSpec ipv6ViaDev() throws Exception {
        return RouteSpec.via(addr("2001:db8:1::"), 48, addr("2001:db8::fe")).withOutputInterface(VA);
    }

    static RouteSpec ipv6Multipath() throws Exception {
        return RouteSpec.multipath(addr("2001:db8:2::"), 48,
                List.of(new NextHop(addr("2001:db8::2"), VA), new NextHop(addr("2001:db8::3"), VA, 2)));
    }

    static RouteSpec devSrcProtoStatic() throws Exception {
        return RouteSpec.dev(addr("203.0.113.128"), 25, VB).withPreferredSource(addr("198.51.100.1"))
                .withProtocol(RouteMessage.RTPROT_STATIC);
    }

    /** Encodes with the captured request's sequence number: then every byte must match. */
    static void sameAsIproute2(byte[] captured, Encoder encoder) throws Exception {
        assertEquals(hex(captured), hex(encoder.encode(Iproute2Requests.sequenceOf(captured))));
    }

    interface Encoder {
        byte[] encode(int sequence) throws Exception;
    }

    private static void refused(String what, org.junit.jupiter.api.function.Executable invalid) {
        assertThrows(IllegalArgumentException.class, invalid, what);
    }

    private static RouteMessage only(byte[] message) throws NetlinkDecodeException {
        List<NetlinkMessage> messages = Rtnetlink.decode(message, 0, message.length);
        assertEquals(1, messages.size());
        return assertInstanceOf(RouteMessage.class, messages.get(0));
    }

    static InetAddress addr(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
