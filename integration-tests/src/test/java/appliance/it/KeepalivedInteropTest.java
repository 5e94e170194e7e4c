package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The appliance and real keepalived 2.2.7 as the two routers of one VRID, each master in turn,
 * for VRRPv2 with PASS authentication and for VRRPv3, with either of them the higher priority.
 * At every step both must agree: the state each logs and the addresses on each {@code e0}; and
 * every delay printed is asserted against its RFC 5798 bound ({@link Bound}), whichever side
 * takes over.
 */
@LabTest
class KeepalivedInteropTest {

    static Stream<Arguments> cases() {
        VirtualRouterSpec v2 = VirtualRouterSpec.v2(Duration.ofSeconds(1)).withAuthPassword("1111");
        VirtualRouterSpec v3 = VirtualRouterSpec.v3(Duration.ofMillis(100));
        return Stream.of(
                Arguments.of(v2.describe(), v2, KIND, NodeKind.KEEPALIVED),
                Arguments.of(v2.describe(), v2, NodeKind.KEEPALIVED, KIND),
                Arguments.of(v3.describe(), v3, KIND, NodeKind.KEEPALIVED),
                Arguments.of(v3.describe(), v3, NodeKind.KEEPALIVED, KIND));
    }

    @ParameterizedTest(name = "{0}: {2} priority 150, {3} priority 100")
    @MethodSource("cases")
    void eachSideIsMasterInTurnAndBothAgree(String label, VirtualRouterSpec spec, NodeKind highKind,
                                            NodeKind lowKind) {
        System.out.println("== " + label + ": " + highKind.label() + " priority 150, " + lowKind.label()
                + " priority 100");
        VirtualRouterSpec highSpec = spec.withPriority(150);
        VirtualRouterSpec lowSpec = spec.withPriority(100);
        try (Lab lab = Lab.create(2)) {
            Host h1 = lab.node(1);
            Host h2 = lab.node(2);

            // 1. The higher priority starts first and is master; the lower joins as backup.
            VrrpNode high = highKind.start(lab, h1, highSpec.withInitialState(VrrpState.MASTER));
            high.awaitState(VrrpState.MASTER, SETTLE);
            VrrpNode low = lowKind.start(lab, h2, lowSpec);
            step("1. both up", Agreement.await(SETTLE, high, low));

            // 2. The master stops gracefully: priority 0, the backup takes over after its Skew_Time
            // (RFC 5798 §6.4.2). Timed from before the SIGTERM, so the stopping node's own delay
            // in sending the priority-0 advert counts against the margin.
            Instant stopping = Instant.now();
            int status = high.stop(SETTLE);
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Duration afterSigterm = Duration.between(stopping, takeover.at());
            Bound skewTime = Bound.from("Skew_Time of " + low.name(), lowSpec.skewTime());
            step("2. " + high.name() + " stopped (exit " + status + "), " + low.name() + " MASTER "
                    + skewTime.show(afterSigterm) + " after SIGTERM",
                    Agreement.await(SETTLE, low) + "\n  " + h1.name() + " " + lab.addresses(h1));
            assertEquals(0, status, high.name() + " exit status after SIGTERM");
            skewTime.check(low.name() + " MASTER after SIGTERM to " + high.name(), afterSigterm);
            assertFalse(lab.addresses(h1).contains(VirtualRouterSpec.DEFAULT_VIP),
                    "stopped " + high.name() + " still holds the address: " + lab.addresses(h1));

            // 3. It comes back as BACKUP and preempts the lower priority: it discards the lower
            // priority's adverts, so its Master_Down_Timer, started with its BACKUP (init) line,
            // runs out (RFC 5798 §6.4.2). Both ends are its own log lines, the first taken when
            // the node wrote it, as it may reach us late (VrrpNode.loggedAt).
            high = highKind.start(lab, h1, highSpec);
            VrrpNode.StateChange listening = high.awaitFirstState(SETTLE);
            VrrpNode.StateChange preempted = high.awaitState(VrrpState.MASTER, SETTLE);
            Duration preemptDelay = Duration.between(high.loggedAt(listening.line()), preempted.at());
            Bound preemption = Bound.around("Master_Down_Interval of " + high.name(), highSpec.masterDownInterval());
            step("3. " + high.name() + " back, MASTER " + preemption.show(preemptDelay) + " after its "
                    + listening.state() + " (init) line", Agreement.await(SETTLE, high, low));
            assertEquals(VrrpState.BACKUP, listening.state(), high.name() + " must start by listening: " + high.describe());
            preemption.check(high.name() + " MASTER after entering BACKUP (init)", preemptDelay);

            // 4. It is cut off the switch: the backup takes over after its Master_Down_Interval,
            // counted from the last advert it heard, up to one interval before the cut.
            Instant cut = Instant.now();
            lab.cut(h1);
            takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Duration afterCut = Duration.between(cut, takeover.at());
            Bound masterDown = Bound.afterCut(lowSpec.masterDownInterval(), spec.advertInterval());
            step("4. " + h1.name() + " cut off, " + low.name() + " MASTER " + masterDown.show(afterCut)
                    + " after the cut", Agreement.await(SETTLE, low) + "\n  " + high.describe() + " (cut off)");
            masterDown.check(low.name() + " MASTER after " + high.name() + " was cut off", afterCut);
            assertTrue(low.holdsVirtualAddresses(), low.describe());

            // 5. Plugged back in: the higher priority is master again, the lower steps down. The
            // cut node went FAULT on the carrier loss; with the link back it listens as backup for
            // its whole Master_Down_Interval, then its first advert makes the lower step down.
            Instant restored = Instant.now();
            lab.restore(h1);
            String agreed = Agreement.await(SETTLE, high, low);
            Duration stepDown = Duration.between(restored, low.state().orElseThrow().at());
            Bound rejoin = Bound.from("Master_Down_Interval of " + high.name(), highSpec.masterDownInterval());
            step("5. " + h1.name() + " restored, " + low.name() + " BACKUP " + rejoin.show(stepDown)
                    + " after the restore", agreed);
            rejoin.check(low.name() + " BACKUP after " + high.name() + " was plugged back in", stepDown);
        }
    }

    private static void step(String what, String picture) {
        System.out.println(what + "\n" + picture);
    }
}
