package appliance.codec.vrrp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of the IPv4 receive path with the IPv4 header checksum and
 * the VRRP checksum (v2: the message; v3: with the IPv4 pseudo-header) repaired after mutation,
 * so that inputs get past them to the field checks and the address list. How it runs: see
 * {@link VrrpIpv4FuzzTest}.
 */
class VrrpIpv4RepairedFuzzTest {

    @MethodSource("appliance.codec.vrrp.CapturedPackets#ipv4")
    @FuzzTest
    void packetWithChecksumsRepaired(byte[] packet) {
        VrrpPacketChecks.ipv4(ChecksumRepair.ipv4(packet));
    }
}
