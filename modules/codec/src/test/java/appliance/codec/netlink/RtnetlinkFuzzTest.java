package appliance.codec.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link Rtnetlink#decode}, the reader of every datagram the
 * kernel sends the appliance's NETLINK_ROUTE sockets. No checksum stands in the way here: the
 * seeds (kernel replies and our own requests) are mutated as they are.
 *
 * <p>In {@code mvn verify} this replays its seeds and any finding kept under
 * src/test/resources/appliance/codec/netlink/RtnetlinkFuzzTestInputs, then fuzzes briefly in an
 * execution of its own (see modules/codec/pom.xml). A long run, from modules/codec:
 * {@code JAZZER_FUZZ=1 nice -n 19 mvn test -Dfuzz.bounded.skip -Dtest=RtnetlinkFuzzTest
 * -Djazzer.max_executions=10000000 -Djazzer.max_duration=3h} (without max_duration Jazzer stops
 * at the annotation's default of 5 minutes). Figures: benchmarks/RESULTS.md.
 */
class RtnetlinkFuzzTest {

    @MethodSource("seeds")
    @FuzzTest
    void datagram(byte[] datagram) {
        RtnetlinkChecks.datagram(datagram);
    }

    /**
     * Kernel replies of each kind (little-endian, as captured) and each request we encode: routes
     * (with RTA_MULTIPATH and RTA_TABLE) and macvlan links (with nested IFLA_LINKINFO) among them,
     * so that the one fuzz target of this class also explores those decoder paths.
     */
    static Stream<byte[]> seeds() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.10");
        InetAddress v6 = InetAddress.getByName("2001:db8::10");
        byte[] vmac = {0, 0, 0x5e, 0, 1, 0x33};
        return Stream.of(KernelCaptures.LINK_DUMP_LO_VB, KernelCaptures.LINK_DUMP_VA, KernelCaptures.LINK_DUMP_DONE,
                KernelCaptures.ADDRESS_DUMP, KernelCaptures.ADDRESS_DUMP_DONE, KernelCaptures.ACK,
                KernelCaptures.EEXIST, KernelCaptures.EADDRNOTAVAIL, KernelCaptures.MACVLAN_LINK,
                KernelCaptures.LINK_ENODEV, KernelCaptures.ADDRESS_WITH_OPTIONS,
                KernelRouteCaptures.ROUTE_DUMP_IPV4, KernelRouteCaptures.ROUTE_DUMP_IPV4_DONE,
                KernelRouteCaptures.ROUTE_DUMP_IPV6, KernelRouteCaptures.ROUTE_DUMP_IPV6_DONE,
                KernelRouteCaptures.ROUTE_EEXIST, KernelRouteCaptures.ROUTE_ESRCH,
                KernelRouteCaptures.ROUTE_ACK_IPV6_MULTIPATH,
                Rtnetlink.newAddress(1, 2, v4, 24, "va:vip"), Rtnetlink.newAddress(2, 2, v6, 64),
                Rtnetlink.deleteAddress(3, 2, v4, 24), Rtnetlink.dumpAddresses(4, Rtnetlink.AF_UNSPEC),
                Rtnetlink.dumpLinks(5),
                Rtnetlink.newAddress(6, 2, v4, 24, AddressOptions.DEFAULT.withBroadcast(InetAddress.getByName(
                        "192.0.2.255")).withScope(Rtnetlink.RT_SCOPE_LINK).withLabel("va:vip")),
                Rtnetlink.newRoute(7, RouteEncodingTest.viaDevSrcMetricTable1000()),
                Rtnetlink.newRoute(8, RouteEncodingTest.multipath()),
                Rtnetlink.newRoute(9, RouteEncodingTest.ipv6Multipath()),
                Rtnetlink.deleteRoute(10, RouteEncodingTest.defaultTable100()),
                Rtnetlink.dumpRoutes(11, Rtnetlink.AF_UNSPEC),
                Rtnetlink.newMacvlan(12, "vrrp.51", 2, vmac, Rtnetlink.MACVLAN_MODE_PRIVATE),
                Rtnetlink.setAddrGenMode(13, 4, Rtnetlink.IN6_ADDR_GEN_MODE_NONE),
                Rtnetlink.setLinkUp(14, 4, true), Rtnetlink.deleteLink(15, 4));
    }
}
