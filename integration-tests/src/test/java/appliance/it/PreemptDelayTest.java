package appliance.it;

import static appliance.it.Subject.MARGIN;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.ProtocolTimes;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 6: keepalived's preempt_delay. A higher-priority node joining a running
 * lower-priority master lets it be for the delay, counted from the first lower-priority advert
 * it hears, and preempts one Master_Down_Interval after the last advert it accepted. The same
 * bound holds for keepalived 2.2.7, run on the same lab.
 */
@LabTest
class PreemptDelayTest {

    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void applianceWaitsForItsPreemptDelay() {
        run(NodeKind.APPLIANCE);
    }

    @Test
    void keepalivedWaitsForTheSamePreemptDelay() {
        run(NodeKind.KEEPALIVED);
    }

    private static void run(NodeKind kind) {
        try (Lab lab = Lab.create(2)) {
            VrrpNode low = kind.start(lab, lab.node(2), SPEC.withPriority(100));
            low.awaitState(VrrpState.MASTER, SETTLE);
            VirtualRouterSpec high = SPEC.withPriority(150).withPreemptDelay(DELAY);
            VrrpNode n1 = kind.start(lab, lab.node(1), high);
            VrrpNode.StateChange started = n1.awaitFirstState(SETTLE);
            VrrpNode.StateChange master = n1.awaitState(VrrpState.MASTER, SETTLE);
            Duration took = Duration.between(n1.loggedAt(started.line()), master.at());

            // The first lower advert comes within one interval of the start; the last one accepted
            // up to one interval before the delay ends; Master_Down_Interval runs from that one.
            Duration interval = SPEC.advertInterval();
            Duration middle = DELAY.plus(high.masterDownInterval());
            Bound bound = new Bound(middle.minus(interval).minus(MARGIN), middle.plus(interval).plus(MARGIN),
                    "preempt-delay " + ProtocolTimes.seconds(DELAY) + " + Master_Down_Interval "
                            + ProtocolTimes.seconds(high.masterDownInterval()) + ", ± one advert interval and "
                            + MARGIN.toMillis() + " ms");
            System.out.printf("%s MASTER %s after its %s (init) line, preempt-delay %s%n%s%n", n1.name(),
                    bound.show(took), started.state(), ProtocolTimes.seconds(DELAY), Agreement.await(SETTLE, n1, low));
            assertEquals(VrrpState.BACKUP, started.state(), n1.describe());
            bound.check(n1.name() + " MASTER after its BACKUP (init) line", took);
            assertTrue(n1.holdsVirtualAddresses(), n1.describe());
        }
    }
}
