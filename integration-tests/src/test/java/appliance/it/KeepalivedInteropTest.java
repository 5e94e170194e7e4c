package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.ProtocolTimes;
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
 * At every step both must agree: the state each logs and the addresses on each {@code e0}.
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

            // 2. The master stops gracefully: priority 0, the backup takes over after its Skew_Time.
            Instant stopping = Instant.now();
            int status = high.stop(SETTLE);
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            step("2. " + high.name() + " stopped (exit " + status + "), " + low.name() + " MASTER "
                    + ProtocolTimes.seconds(Duration.between(stopping, takeover.at())) + " after SIGTERM",
                    Agreement.await(SETTLE, low) + "\n  " + h1.name() + " " + lab.addresses(h1));
            assertFalse(lab.addresses(h1).contains(VirtualRouterSpec.DEFAULT_VIP),
                    "stopped " + high.name() + " still holds the address: " + lab.addresses(h1));

            // 3. It comes back as BACKUP and preempts the lower priority.
            high = highKind.start(lab, h1, highSpec);
            Instant back = Instant.now();
            VrrpNode.StateChange preempted = high.awaitState(VrrpState.MASTER, SETTLE);
            step("3. " + high.name() + " back, MASTER " + ProtocolTimes.seconds(Duration.between(back, preempted.at()))
                    + " after it was up", Agreement.await(SETTLE, high, low));

            // 4. It is cut off the switch: the backup takes over after its Master_Down_Interval.
            Instant cut = Instant.now();
            lab.cut(h1);
            takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            step("4. " + h1.name() + " cut off, " + low.name() + " MASTER "
                    + ProtocolTimes.seconds(Duration.between(cut, takeover.at())) + " after the cut (bound "
                    + ProtocolTimes.seconds(lowSpec.masterDownInterval()) + ")",
                    Agreement.await(SETTLE, low) + "\n  " + high.describe() + " (cut off)");
            assertTrue(low.holdsVirtualAddresses(), low.describe());

            // 5. Plugged back in: the higher priority is master again, the lower steps down.
            Instant restored = Instant.now();
            lab.restore(h1);
            String agreed = Agreement.await(SETTLE, high, low);
            step("5. " + h1.name() + " restored, " + low.name() + " BACKUP "
                    + ProtocolTimes.seconds(Duration.between(restored, low.state().orElseThrow().at()))
                    + " after the restore", agreed);
        }
    }

    private static void step(String what, String picture) {
        System.out.println(what + "\n" + picture);
    }
}
