package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@LabTest
class ElectionTest {

    @Test
    void higherPriorityBecomesMasterAndHoldsTheAddressAlone() throws Exception {
        VirtualRouterSpec spec = VirtualRouterSpec.v3(Duration.ofMillis(100));
        try (Lab lab = Lab.create(2)) {
            // Both start as BACKUP at once: the election decides, not the order of starting.
            var low = CompletableFuture.supplyAsync(() -> KIND.start(lab, lab.node(1), spec.withPriority(100)));
            var high = CompletableFuture.supplyAsync(() -> KIND.start(lab, lab.node(2), spec.withPriority(150)));
            VrrpNode n1 = low.get(2, TimeUnit.MINUTES);
            VrrpNode n2 = high.get(2, TimeUnit.MINUTES);

            String picture = Agreement.await(SETTLE, n2, n1);
            // Whichever JVM is up first, n2 never hears a higher priority: its Master_Down_Timer,
            // started with its BACKUP (init) line, runs out (RFC 5798 §6.4.2). Both ends are its
            // own log lines, so the two JVMs' start-up times do not count; the first is taken
            // when the node wrote it, as it may reach us late (VrrpNode.loggedAt).
            VrrpNode.StateChange started = n2.awaitFirstState(SETTLE);
            VrrpNode.StateChange master = n2.stateChanges().stream().filter(c -> c.state() == VrrpState.MASTER)
                    .findFirst().orElseThrow();
            Duration elected = Duration.between(n2.loggedAt(started.line()), master.at());
            Bound bound = Bound.around("Master_Down_Interval of " + n2.name(), n2.spec().masterDownInterval());
            System.out.printf("election: %s (priority 150) MASTER %s after its %s (init) line; %s (priority 100)"
                    + " went through %s%n%s%n", n2.name(), bound.show(elected), started.state(), n1.name(),
                    n1.stateChanges().stream().map(c -> c.state().toString()).collect(Collectors.joining(" -> ")),
                    picture);

            assertEquals(VrrpState.BACKUP, started.state(), n2.name() + " must start by listening: " + n2.describe());
            bound.check(n2.name() + " MASTER after entering BACKUP (init)", elected);
            assertEquals(VrrpState.MASTER, n2.state().orElseThrow().state());
            assertEquals(VrrpState.BACKUP, n1.state().orElseThrow().state());
            assertTrue(n2.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), n2.describe());
            assertFalse(n1.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), n1.describe());
            assertFalse(lab.addresses(lab.client()).contains(VirtualRouterSpec.DEFAULT_VIP));
        }
    }
}
