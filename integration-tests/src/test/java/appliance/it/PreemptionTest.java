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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The old master comes back after the backup took over. Cut and restored, it ends as master
 * (keepalived goes FAULT on the carrier loss, then BACKUP, then preempts), listening first for its
 * Master_Down_Interval. Restarted after a stop, it starts as BACKUP, and then {@code preempt}
 * decides (RFC 5798 §6.4.2): with it, it takes over after its Master_Down_Interval; without it,
 * the address stays where it is. Every delay printed is asserted against its {@link Bound}.
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
            // Plugged back in, n1 listens as backup at once and claims after its whole
            // Master_Down_Interval; n2 steps down on its first advert.
            Bound listening = Bound.atOnce("rtnetlink reports the link up");
            Bound claim = Bound.from("Master_Down_Interval of " + n1.name(), HIGH.masterDownInterval());
            List<VrrpNode.StateChange> afterRestore = n1.stateChanges().stream()
                    .filter(c -> c.line().index() >= mark).toList();
            Duration stepDown = Duration.between(restored, n2.state().orElseThrow().at());
            System.out.printf("cut and restored: %s went through %s; %s BACKUP again %s after the restore%n%s%n",
                    n1.name(), states(n1, cut, mark, restored, Map.of(VrrpState.BACKUP, listening, VrrpState.MASTER, claim)),
                    n2.name(), claim.show(stepDown), picture);

            assertEquals(List.of(VrrpState.BACKUP, VrrpState.MASTER),
                    afterRestore.stream().map(VrrpNode.StateChange::state).toList(),
                    "plugged back in, listening first, then master: " + n1.describe());
            listening.check(n1.name() + " BACKUP after the restore", Duration.between(restored, afterRestore.get(0).at()));
            claim.check(n1.name() + " MASTER after the restore", Duration.between(restored, afterRestore.get(1).at()));
            claim.check(n2.name() + " BACKUP after the restore", stepDown);
        }
    }

    @Test
    void restartedHigherPriorityNodePreempts() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode n2 = takeOverFromStoppedMaster(lab);
            VrrpNode n1 = KIND.start(lab, lab.node(1), HIGH);
            // It discards n2's lower-priority adverts, so its Master_Down_Timer, started with its
            // BACKUP (init) line, runs out (RFC 5798 §6.4.2): not sooner, as on the first advert
            // heard, and not later. Both ends are its own log lines, the first taken when the
            // node wrote it, as it may reach us late (VrrpNode.loggedAt).
            VrrpNode.StateChange started = n1.awaitFirstState(SETTLE);
            VrrpNode.StateChange master = n1.awaitState(VrrpState.MASTER, SETTLE);

            String picture = Agreement.await(SETTLE, n1, n2);
            Duration preempted = Duration.between(n1.loggedAt(started.line()), master.at());
            Bound bound = Bound.around("Master_Down_Interval of " + n1.name(), HIGH.masterDownInterval());
            System.out.printf("preempt = true: %s MASTER %s after its %s (init) line%n%s%n",
                    n1.name(), bound.show(preempted), started.state(), picture);
            assertEquals(VrrpState.BACKUP, started.state(), n1.name() + " must start by listening: " + n1.describe());
            bound.check(n1.name() + " MASTER after entering BACKUP (init)", preempted);
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

    /** Its state changes since the cut, those after the restore timed from it and shown with their bounds. */
    private static String states(VrrpNode node, Instant cut, int mark, Instant restored, Map<VrrpState, Bound> bounds) {
        String states = node.stateChanges().stream()
                .filter(c -> !c.at().isBefore(cut))
                .map(c -> c.state() + (c.line().index() < mark ? " (while cut)"
                        : " +" + show(bounds.get(c.state()), Duration.between(restored, c.at()))))
                .collect(Collectors.joining(" -> "));
        return states.isEmpty() ? "no state change (stayed MASTER)" : states;
    }

    private static String show(Bound bound, Duration after) {
        return bound == null ? ProtocolTimes.seconds(after) : bound.show(after);
    }
}
