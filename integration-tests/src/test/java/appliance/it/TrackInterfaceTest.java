package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
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
 * Issue 14 (first part): track-interface as keepalived's track_interface. The master tracks a
 * second link, e1, whose carrier the test takes away: with weight 0 the master goes FAULT and the
 * backup takes over within Master_Down_Interval; with a negative weight the master advertises its
 * lowered priority at once (seen on the wire) and the backup preempts it. Both come back when e1
 * does. The peer is keepalived 2.2.7 in the weight case. An interface whose addresses are all
 * gone is down as well.
 */
@LabTest
class TrackInterfaceTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void weight0PutsTheMasterInFaultAndTheBackupTakesOver() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = withSecondLink(lab, lab.node(1));
            VrrpNode high = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150).withOption("track-interface = [e1]", null));
            VrrpNode low = NodeKind.APPLIANCE.start(lab, lab.node(2), SPEC.withPriority(100));
            System.out.println(Agreement.await(SETTLE, high, low));

            Instant down = Instant.now();
            lab.exec(n1.namespace(), "ip", "link", "set", "e1p", "down");
            high.awaitState(VrrpState.FAULT, SETTLE);
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Duration took = Duration.between(down, takeover.at());
            System.out.println("e1 lost its carrier: " + high.name() + " FAULT, " + low.name() + " MASTER "
                    + took.toMillis() + " ms later");
            assertTrue(high.process().lines().stream().anyMatch(l -> l.text().contains("track-interface e1 is down")),
                    high.process().tail(10));
            // The master in FAULT stops advertising: the backup waits Master_Down_Interval.
            Duration limit = low.spec().masterDownInterval().plus(Subject.MARGIN).plus(Duration.ofMillis(100));
            assertTrue(took.compareTo(limit) <= 0, took + " > " + limit);

            lab.exec(n1.namespace(), "ip", "link", "set", "e1p", "up");
            System.out.println("e1 back:\n" + Agreement.await(SETTLE, high, low));
        }
    }

    @Test
    void aNegativeWeightLowersTheAdvertisedPriorityAndKeepalivedPreempts() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = withSecondLink(lab, lab.node(1));
            VrrpNode high = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withOption("track-interface = [{ name = e1, weight = -60 }]", null));
            VrrpNode low = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(100));
            System.out.println(Agreement.await(SETTLE, high, low));
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-i", "e0", "vrrp and src host " + n1.address()),
                    lab.newFile("client-vrrp", "log")));
            wire.awaitLine("prio 150", Duration.ofSeconds(10));

            lab.exec(n1.namespace(), "ip", "link", "set", "e1p", "down");
            String lowered = wire.awaitLine("prio 90", Duration.ofSeconds(5)).text();
            System.out.println("on the wire: " + lowered);
            low.awaitState(VrrpState.MASTER, SETTLE);
            high.awaitState(VrrpState.BACKUP, SETTLE);
            System.out.println("e1 down, priority 150 - 60 = 90 < 100:\n" + Agreement.await(SETTLE, low, high));

            lab.exec(n1.namespace(), "ip", "link", "set", "e1p", "up");
            System.out.println("e1 back, priority 150 again:\n" + Agreement.await(SETTLE, high, low));
        }
    }

    /** Link up, carrier on, but every address gone: down too, and back when an address is. */
    @Test
    void anInterfaceThatLostAllItsAddressesCountsAsDown() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = withSecondLink(lab, lab.node(1));
            lab.exec(n1.namespace(), "ip", "addr", "add", "10.98.0.1/24", "dev", "e1");
            VrrpNode node = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150).withOption("track-interface = [e1]", null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            lab.exec(n1.namespace(), "ip", "addr", "flush", "dev", "e1");
            node.awaitState(VrrpState.FAULT, Duration.ofSeconds(5));
            lab.exec(n1.namespace(), "ip", "addr", "add", "10.98.0.1/24", "dev", "e1");
            node.awaitState(VrrpState.MASTER, Duration.ofSeconds(5));
            System.out.println(String.join("\n", node.process().lines().stream().map(NodeProcess.Line::text)
                    .filter(l -> l.contains("track-interface") || l.contains("STATE")).toList()));
        }
    }

    /** A veth pair inside the node: e1 loses its carrier when the test sets e1p down. */
    private static Host withSecondLink(Lab lab, Host h) {
        lab.exec(h.namespace(), "ip", "link", "add", "e1", "type", "veth", "peer", "name", "e1p");
        lab.exec(h.namespace(), "ip", "link", "set", "e1", "up");
        lab.exec(h.namespace(), "ip", "link", "set", "e1p", "up");
        return h;
    }
}
