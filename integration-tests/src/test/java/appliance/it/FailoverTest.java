package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Failover;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.OutageProbe;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The master disappears from the segment: the backup takes over and the client's outage stays
 * within the backup's Master_Down_Interval (3 x interval + Skew_Time) plus 100 ms, and so does its
 * takeover, which comes no sooner than one advert interval less.
 */
@LabTest
class FailoverTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    /** How the master disappears. */
    private interface Isolation {
        Failover.Measurement apply(Lab lab, VrrpNode master, VrrpNode backup, OutageProbe probe);
    }

    /**
     * The cut master sees its carrier go: as keepalived, it enters FAULT and gives the virtual
     * address up at once, so that no two nodes claim it when the link returns; plugged back in, it
     * listens as backup first and then preempts the lower priority.
     */
    @Test
    void backupTakesOverWithinMasterDownIntervalWhenMasterIsCutOff() {
        try (Lab lab = Lab.create(2)) {
            cutMasterFaultsAndRecovers(lab, KIND);
        }
    }

    /** Link up, frames dropped by the switch: no carrier loss for the master to notice. */
    @Test
    void backupTakesOverWithinMasterDownIntervalWhenMasterFallsSilent() {
        try (Lab lab = Lab.create(2)) {
            VrrpNode[] pair = measure(lab, KIND, Failover::silenceMaster, "silent");
            lab.unsilence(pair[0].host());
            System.out.println("heard again, the higher priority is master:\n" + Agreement.await(SETTLE, pair[0], pair[1]));
        }
    }

    /** The same with keepalived on both nodes: if this fails, the lab is broken, not the appliance. */
    @Test
    void keepalivedPairOnTheSameLabStaysWithinTheBound() {
        try (Lab lab = Lab.create(2)) {
            cutMasterFaultsAndRecovers(lab, NodeKind.KEEPALIVED);
        }
    }

    private static void cutMasterFaultsAndRecovers(Lab lab, NodeKind kind) {
        VrrpNode[] pair = measure(lab, kind, Failover::cutMaster, "cut off");
        VrrpNode cut = pair[0];
        VrrpNode.StateChange fault = cut.awaitState(VrrpState.FAULT, SETTLE);
        assertFalse(cut.holdsAnyVirtualAddress(), "in FAULT the cut master holds no virtual address: " + cut.describe());
        int faultIndex = fault.line().index();

        lab.restore(cut.host());
        System.out.println("plugged back in, the higher priority preempts:\n" + Agreement.await(SETTLE, cut, pair[1]));
        List<VrrpState> after = cut.stateChanges().stream().filter(c -> c.line().index() >= faultIndex)
                .map(VrrpNode.StateChange::state).toList();
        assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER), after,
                "out of FAULT through BACKUP, never straight to MASTER: " + cut.describe());
    }

    /** Returns master and backup, the backup now master. */
    private static VrrpNode[] measure(Lab lab, NodeKind kind, Isolation isolation, String how) {
        VrrpNode master = kind.start(lab, lab.node(1), SPEC.withPriority(150).withInitialState(VrrpState.MASTER));
        master.awaitState(VrrpState.MASTER, SETTLE);
        VrrpNode backup = kind.start(lab, lab.node(2), SPEC.withPriority(100));
        Agreement.await(SETTLE, master, backup);
        OutageProbe probe = OutageProbe.start(lab, SPEC.primaryAddress());

        Failover.Measurement failover = isolation.apply(lab, master, backup, probe);

        Bound outage = Bound.atMost("Master_Down_Interval of " + backup.name(), failover.bound());
        Bound takeover = Bound.afterCut(failover.bound(), SPEC.advertInterval());
        System.out.printf("%s pair, master %s, %s: outage %s, %d pings lost; %s MASTER %s after the cut%n",
                kind.label(), how, SPEC.describe(), outage.show(failover.gap()), failover.outage().lost(),
                backup.name(), takeover.show(failover.takeoverDelay()));
        assertTrue(backup.holdsVirtualAddresses(), backup.describe());
        outage.check("client outage", failover.gap());
        takeover.check(backup.name() + " MASTER after the master was " + how, failover.takeoverDelay());
        return new VrrpNode[] {master, backup};
    }
}
