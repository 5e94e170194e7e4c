package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: the appliance follows its interface by name. Started before the interface
 * exists, it waits in FAULT (claiming nothing) and joins once it appears; when the interface is
 * deleted it goes FAULT and the peer takes over; when it is created again under a new ifindex
 * the instance reopens its sockets and wins back mastership (it has the higher priority).
 */
@LabTest
class InterfaceLifecycleTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void anInstanceFollowsItsInterfaceThroughAbsenceDeletionAndReCreation() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            VrrpNode peer = ApplianceNode.start(lab, lab.node(2), SPEC.withPriority(100));
            peer.awaitState(VrrpState.MASTER, SETTLE);

            lab.removeInterface(n1);
            VrrpNode node = ApplianceNode.start(lab, n1, SPEC.withPriority(150));
            node.process().awaitLine("interface e0 does not exist", SETTLE);
            node.awaitState(VrrpState.FAULT, SETTLE);
            Lab.pause(SPEC.masterDownInterval().multipliedBy(3));
            assertEquals(List.of(VrrpState.FAULT), states(node), () -> node.process().tail(20));

            lab.recreateInterface(n1);
            int firstIndex = lab.interfaceIndex(n1);
            System.out.println("interface created after start:\n" + Agreement.await(SETTLE, node, peer));
            assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER), states(node), node.describe());
            assertTrue(node.holdsVirtualAddresses(), node.describe());

            int mark = node.process().mark();
            lab.removeInterface(n1);
            node.process().awaitLine(mark, java.util.regex.Pattern.compile("e0 was deleted"), SETTLE);
            node.awaitState(VrrpState.FAULT, SETTLE);
            peer.awaitState(VrrpState.MASTER, SETTLE);
            assertTrue(peer.holdsVirtualAddresses(), peer.describe());

            lab.recreateInterface(n1);
            int secondIndex = lab.interfaceIndex(n1);
            assertNotEquals(firstIndex, secondIndex, "the kernel gave the new e0 a new index");
            node.process().awaitLine(mark, java.util.regex.Pattern.compile("e0 re-created \\(ifindex " + secondIndex + "\\)"),
                    SETTLE);
            System.out.println("interface re-created under ifindex " + secondIndex + ":\n"
                    + Agreement.await(SETTLE, node, peer));
            List<VrrpState> all = states(node);
            assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER),
                    all.subList(all.size() - 3, all.size()), node.describe());
            assertTrue(node.holdsVirtualAddresses(), node.describe());
            assertFalse(peer.holdsAnyVirtualAddress(), peer.describe());
        }
    }

    private static List<VrrpState> states(VrrpNode node) {
        return node.stateChanges().stream().map(VrrpNode.StateChange::state).toList();
    }
}
