package appliance.codec.vrrp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of the IPv4 receive path, IPv4 header then VRRPv2 or v3,
 * with the packet exactly as mutated: this is what reaches the header and checksum checks.
 * {@link VrrpIpv4RepairedFuzzTest} reaches the code behind them.
 *
 * <p>In {@code mvn verify} this replays its seeds (the keepalived captures and any finding kept
 * under src/test/resources/appliance/codec/vrrp/VrrpIpv4FuzzTestInputs), then fuzzes briefly in
 * an execution of its own (see modules/codec/pom.xml). A long run, from modules/codec:
 * {@code JAZZER_FUZZ=1 nice -n 19 mvn test -Dfuzz.bounded.skip -Dtest=VrrpIpv4FuzzTest
 * -Djazzer.max_executions=10000000 -Djazzer.max_duration=3h} (without max_duration Jazzer stops
 * at the annotation's default of 5 minutes). Figures: benchmarks/RESULTS.md.
 */
class VrrpIpv4FuzzTest {

    @MethodSource("appliance.codec.vrrp.CapturedPackets#ipv4")
    @FuzzTest
    void packetAsReceived(byte[] packet) {
        VrrpPacketChecks.ipv4(packet);
    }
}
