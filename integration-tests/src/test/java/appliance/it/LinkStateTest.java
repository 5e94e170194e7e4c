package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The appliance started on an interface without carrier: it waits in FAULT, claims nothing
 * however long it hears nobody, and joins when the link comes up. (The appliance only: the lab
 * starts keepalived by waiting for its BACKUP line.)
 */
@LabTest
class LinkStateTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void nodeStartedWithoutCarrierWaitsInFaultAndJoinsWhenPluggedIn() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode running = NodeKind.APPLIANCE.start(lab, lab.node(2), SPEC.withPriority(100));
            running.awaitState(VrrpState.MASTER, SETTLE);

            lab.cut(lab.node(1));
            VrrpNode late = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withPriority(150));
            late.awaitState(VrrpState.FAULT, SETTLE);
            // Three Master_Down_Intervals alone: a BACKUP would have claimed the address by now.
            Lab.pause(SPEC.masterDownInterval().multipliedBy(3));
            assertEquals(List.of(VrrpState.FAULT), states(late), late.describe());
            assertFalse(late.holdsAnyVirtualAddress(), late.describe());

            lab.restore(lab.node(1));
            System.out.println("plugged in, the higher priority preempts:\n" + Agreement.await(SETTLE, late, running));
            assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER), states(late), late.describe());
        }
    }

    private static List<VrrpState> states(VrrpNode node) {
        return node.stateChanges().stream().map(VrrpNode.StateChange::state).toList();
    }
}
