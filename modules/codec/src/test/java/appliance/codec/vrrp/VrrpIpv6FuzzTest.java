package appliance.codec.vrrp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of VRRPv3 over IPv6: the fixed IPv6 header, then the
 * advertisement with its checksum (IPv6 pseudo-header) repaired after mutation, so that inputs
 * reach the 16-byte address list. How it runs: see {@link VrrpIpv4FuzzTest}.
 */
class VrrpIpv6FuzzTest {

    @MethodSource("appliance.codec.vrrp.CapturedPackets#ipv6")
    @FuzzTest
    void packetWithChecksumRepaired(byte[] packet) {
        VrrpPacketChecks.ipv6(ChecksumRepair.ipv6(packet));
    }
}
