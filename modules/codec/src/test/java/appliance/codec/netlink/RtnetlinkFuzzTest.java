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

    /** Kernel replies of each kind (little-endian, as captured) and each request we encode. */
    static Stream<byte[]> seeds() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.10");
        InetAddress v6 = InetAddress.getByName("2001:db8::10");
        return Stream.of(KernelCaptures.LINK_DUMP_LO_VB, KernelCaptures.LINK_DUMP_VA, KernelCaptures.LINK_DUMP_DONE,
                KernelCaptures.ADDRESS_DUMP, KernelCaptures.ADDRESS_DUMP_DONE, KernelCaptures.ACK,
                KernelCaptures.EEXIST, KernelCaptures.EADDRNOTAVAIL,
                Rtnetlink.newAddress(1, 2, v4, 24, "va:vip"), Rtnetlink.newAddress(2, 2, v6, 64),
                Rtnetlink.deleteAddress(3, 2, v4, 24), Rtnetlink.dumpAddresses(4, Rtnetlink.AF_UNSPEC),
                Rtnetlink.dumpLinks(5));
    }
}
