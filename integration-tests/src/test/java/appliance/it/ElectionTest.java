package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.ProtocolTimes;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
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
            Instant start = Instant.now();
            var low = CompletableFuture.supplyAsync(() -> KIND.start(lab, lab.node(1), spec.withPriority(100)));
            var high = CompletableFuture.supplyAsync(() -> KIND.start(lab, lab.node(2), spec.withPriority(150)));
            VrrpNode n1 = low.get(2, TimeUnit.MINUTES);
            VrrpNode n2 = high.get(2, TimeUnit.MINUTES);

            String picture = Agreement.await(SETTLE, n2, n1);
            Duration elected = Duration.between(start, n2.state().orElseThrow().at());
            System.out.printf("election: %s (priority 150) MASTER %s after both were started; %s (priority 100)"
                    + " went through %s%n%s%n", n2.name(), ProtocolTimes.seconds(elected), n1.name(),
                    n1.stateChanges().stream().map(c -> c.state().toString()).collect(Collectors.joining(" -> ")),
                    picture);

            assertEquals(VrrpState.MASTER, n2.state().orElseThrow().state());
            assertEquals(VrrpState.BACKUP, n1.state().orElseThrow().state());
            assertTrue(n2.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), n2.describe());
            assertFalse(n1.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), n1.describe());
            assertFalse(lab.addresses(lab.client()).contains(VirtualRouterSpec.DEFAULT_VIP));
        }
    }
}
