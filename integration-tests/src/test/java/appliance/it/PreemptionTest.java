package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.ProtocolTimes;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The old master comes back after the backup took over. Cut and restored, it ends as master
 * whatever it did while cut off (keepalived goes FAULT on the carrier loss, then BACKUP, then
 * preempts). Restarted after a stop, it starts as BACKUP, and then {@code preempt} decides
 * (RFC 5798 §6.4.2): with it, it takes over after its Master_Down_Interval; without it, the
 * address stays where it is.
 */
@LabTest
class PreemptionTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));
    private static final VirtualRouterSpec HIGH = SPEC.withPriority(150);
    private static final VirtualRouterSpec LOW = SPEC.withPriority(100);

    @Test
    void restoredMasterIsMasterAgainAndHoldsTheAddressAlone() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode n1 = KIND.start(lab, lab.node(1), HIGH.withInitialState(VrrpState.MASTER));
            n1.awaitState(VrrpState.MASTER, SETTLE);
            VrrpNode n2 = KIND.start(lab, lab.node(2), LOW);
            Agreement.await(SETTLE, n1, n2);

            Instant cut = Instant.now();
            lab.cut(n1.host());
            n2.awaitState(VrrpState.MASTER, SETTLE);
            Lab.pause(Duration.ofMillis(500));
            int mark = n1.process().mark();
            Instant restored = Instant.now();
            lab.restore(n1.host());

            String picture = Agreement.await(SETTLE, n1, n2);
            System.out.printf("cut and restored: %s went through %s; %s BACKUP again %s after the restore%n%s%n",
                    n1.name(), states(n1, cut, mark, restored), n2.name(),
                    ProtocolTimes.seconds(Duration.between(restored, n2.state().orElseThrow().at())), picture);
        }
    }

    @Test
    void restartedHigherPriorityNodePreempts() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode n2 = takeOverFromStoppedMaster(lab);
            VrrpNode n1 = KIND.start(lab, lab.node(1), HIGH);
            Instant started = Instant.now();
            VrrpNode.StateChange master = n1.awaitState(VrrpState.MASTER, SETTLE);

            String picture = Agreement.await(SETTLE, n1, n2);
            Duration preempted = Duration.between(started, master.at());
            System.out.printf("preempt = true: %s MASTER %s after it was up (its Master_Down_Interval %s)%n%s%n",
                    n1.name(), ProtocolTimes.seconds(preempted), ProtocolTimes.seconds(HIGH.masterDownInterval()),
                    picture);
        }
    }

    @Test
    void restartedHigherPriorityNodeWithoutPreemptStaysBackup() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode n2 = takeOverFromStoppedMaster(lab);
            VrrpNode n1 = KIND.start(lab, lab.node(1), HIGH.withPreempt(false));
            n1.awaitState(VrrpState.BACKUP, SETTLE);
            // Ten of its Master_Down_Intervals: ample time to preempt if it wrongly would.
            Duration watched = HIGH.masterDownInterval().multipliedBy(10);
            Lab.pause(watched);

            String picture = Agreement.await(SETTLE, n2, n1);
            List<VrrpState> states = n1.stateChanges().stream().map(VrrpNode.StateChange::state)
                    .collect(Collectors.toList());
            System.out.printf("preempt = false: %s (priority 150) logged %s in %s; the address stayed on %s%n%s%n",
                    n1.name(), states, ProtocolTimes.seconds(watched), n2.name(), picture);
            assertEquals(List.of(VrrpState.BACKUP), states.stream().distinct().collect(Collectors.toList()),
                    n1.name() + " must never have been master");
            assertTrue(n2.holdsVirtualAddresses(), n2.describe());
        }
    }

    /**
     * n1 (150) master, n2 (100) backup; n1 cut off, n2 takes over, n1 stopped while cut (as a
     * machine that died) and plugged back in. Returns n2, now master.
     */
    private static VrrpNode takeOverFromStoppedMaster(Lab lab) {
        Host h1 = lab.node(1);
        VrrpNode n1 = KIND.start(lab, h1, HIGH.withInitialState(VrrpState.MASTER));
        n1.awaitState(VrrpState.MASTER, SETTLE);
        VrrpNode n2 = KIND.start(lab, lab.node(2), LOW);
        Agreement.await(SETTLE, n1, n2);
        lab.cut(h1);
        n2.awaitState(VrrpState.MASTER, SETTLE);
        n1.stop(Duration.ofSeconds(20));
        lab.restore(h1);
        assertTrue(lab.addresses(h1).stream().noneMatch(SPEC.virtualAddresses()::contains),
                "a stopped node keeps no virtual address: " + lab.addresses(h1));
        Agreement.await(SETTLE, n2);
        return n2;
    }

    private static String states(VrrpNode node, Instant cut, int mark, Instant restored) {
        String states = node.stateChanges().stream()
                .filter(c -> !c.at().isBefore(cut))
                .map(c -> c.state() + (c.line().index() < mark ? " (while cut)"
                        : " (+" + ProtocolTimes.seconds(Duration.between(restored, c.at())) + ")"))
                .collect(Collectors.joining(" -> "));
        return states.isEmpty() ? "no state change (stayed MASTER)" : states;
    }
}
