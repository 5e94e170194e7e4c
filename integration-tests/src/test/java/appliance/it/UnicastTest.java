package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2 (IPv4 part): unicast adverts on a segment whose switch drops multicast, as in
 * a cloud. The appliance elects, fails over and takes back mastership with another appliance and
 * with keepalived 2.2.7, each side master in turn.
 */
@LabTest
class UnicastTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100))
            .withUnicastPeers("10.99.0.1", "10.99.0.2");

    @Test
    void appliancePair() {
        run(NodeKind.APPLIANCE, NodeKind.APPLIANCE);
    }

    /** keepalived's unicast_ttl: the adverts reach the peer with the TTL asked for, and are accepted. */
    @Test
    void unicastTtlIsTheAdvertsTtlOnTheWire() {
        try (Lab lab = Lab.create(2)) {
            dropMulticast(lab);
            VirtualRouterSpec spec = SPEC.withUnicastTtl(64);
            VrrpNode high = NodeKind.APPLIANCE.start(lab, lab.node(1), spec.withPriority(150));
            VrrpNode low = NodeKind.APPLIANCE.start(lab, lab.node(2), spec.withPriority(100));
            Agreement.await(SETTLE, high, low);
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@n2", lab.node(2).namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-v", "-i", "e0", "ip proto 112 and src host 10.99.0.1"),
                    lab.newFile("n2-tcpdump", "log")));
            String line = wire.awaitLine("ttl", Duration.ofSeconds(10)).text();
            System.out.println("on the wire at n2: " + line);
            assertTrue(line.contains("ttl 64"), line);
        }
    }

    @Test
    void applianceMasterKeepalivedBackup() {
        run(NodeKind.APPLIANCE, NodeKind.KEEPALIVED);
    }

    @Test
    void keepalivedMasterApplianceBackup() {
        run(NodeKind.KEEPALIVED, NodeKind.APPLIANCE);
    }

    /** The matrix's VRRPv2 cells: unicast v2 with PASS authentication, both ways. */
    @Test
    void v2ApplianceMasterKeepalivedBackup() {
        run(NodeKind.APPLIANCE, NodeKind.KEEPALIVED, V2);
    }

    @Test
    void v2KeepalivedMasterApplianceBackup() {
        run(NodeKind.KEEPALIVED, NodeKind.APPLIANCE, V2);
    }

    private static final VirtualRouterSpec V2 = VirtualRouterSpec.v2(Duration.ofSeconds(1)).withAuthPassword("secret12")
            .withUnicastPeers("10.99.0.1", "10.99.0.2");

    private static void run(NodeKind highKind, NodeKind lowKind) {
        run(highKind, lowKind, SPEC);
    }

    private static void run(NodeKind highKind, NodeKind lowKind, VirtualRouterSpec spec) {
        try (Lab lab = Lab.create(2)) {
            dropMulticast(lab);
            VrrpNode high = highKind.start(lab, lab.node(1), spec.withPriority(150));
            VrrpNode low = lowKind.start(lab, lab.node(2), spec.withPriority(100));
            System.out.println("== " + spec.describe() + ", " + high.name() + " priority 150, " + low.name() + " priority 100\n"
                    + Agreement.await(SETTLE, high, low));
            assertTrue(high.holdsVirtualAddresses(), high.describe());
            assertFalse(low.holdsAnyVirtualAddress(), low.describe());

            Instant cut = Instant.now();
            lab.cut(lab.node(1));
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Duration took = Duration.between(cut, takeover.at());
            Bound bound = Bound.afterCut(low.spec().masterDownInterval(), spec.advertInterval());
            System.out.println(low.name() + " MASTER after the cut: " + bound.show(took));
            bound.check(low.name() + " MASTER after the cut", took);

            lab.restore(lab.node(1));
            System.out.println("restored, the higher priority takes over again:\n" + Agreement.await(SETTLE, high, low));
            assertTrue(high.holdsVirtualAddresses(), high.describe());
            assertFalse(low.holdsAnyVirtualAddress(), low.describe());
        }
    }

    /** The switch forwards no multicast at all: only unicast adverts can reach the peer. */
    private static void dropMulticast(Lab lab) {
        String sw = lab.switchNamespace();
        lab.exec(sw, "nft", "add", "table", "bridge", "nomcast");
        lab.exec(sw, "nft", "add", "chain", "bridge", "nomcast", "forward",
                "{ type filter hook forward priority -10; policy accept; }");
        lab.exec(sw, "nft", "add", "rule", "bridge", "nomcast", "forward", "ip", "daddr", "224.0.0.0/4", "drop");
        List<String> listed = List.of(lab.exec(lab.switchNamespace(), "nft", "list", "table", "bridge", "nomcast").split("\n"));
        assertTrue(listed.stream().anyMatch(l -> l.contains("224.0.0.0/4 drop")), String.join("\n", listed));
    }
}
