package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import appliance.lab.OutageProbe;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the master: it sends a priority-0 advertisement (RFC 5798 §6.4.3) and drops its
 * addresses; the backup then waits only Skew_Time, not Master_Down_Interval (§6.4.2).
 */
@LabTest
class GracefulStopTest {

    @Test
    void backupTakesOverWithinSkewTimeOfThePriorityZeroAdvertisement() {
        VirtualRouterSpec spec = VirtualRouterSpec.v3(Duration.ofMillis(100));
        try (Lab lab = Lab.create(2)) {
            VrrpNode master = KIND.start(lab, lab.node(1), spec.withPriority(150).withInitialState(VrrpState.MASTER));
            master.awaitState(VrrpState.MASTER, SETTLE);
            VrrpNode backup = KIND.start(lab, lab.node(2), spec.withPriority(100));
            Agreement.await(SETTLE, master, backup);
            OutageProbe probe = OutageProbe.start(lab, spec.primaryAddress());
            probe.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
            Lab.pause(Duration.ofMillis(200));

            Instant signalled = Instant.now();
            master.process().signal("TERM");
            NodeProcess.Line priorityZero = master.process().awaitLine(master.priorityZeroLine(), Duration.ofSeconds(10));
            VrrpNode.StateChange takeover = backup.awaitState(VrrpState.MASTER, SETTLE);
            master.process().awaitLine(master.stoppedLine(), Duration.ofSeconds(20));
            int status = master.process().waitFor(Duration.ofSeconds(20));
            probe.awaitReplyAfter(takeover.at(), Duration.ofSeconds(10));
            Lab.pause(Duration.ofMillis(100));
            OutageProbe.Outage outage = probe.outage(signalled.minusMillis(200), Instant.now());

            // The priority-0 advert goes out at once on SIGTERM (RFC 5798 §6.4.3); the backup waits
            // Skew_Time from hearing it. Timed from before the SIGTERM, the takeover spans the
            // whole Skew_Time; the client is without an answer from the master dropping the
            // address to the backup's gratuitous ARP, about one Skew_Time.
            Duration skewTime = backup.spec().skewTime();
            String skewName = "Skew_Time of " + backup.name();
            Duration sent = Duration.between(signalled, priorityZero.at());
            Duration delay = Duration.between(priorityZero.at(), takeover.at());
            Duration afterSigterm = Duration.between(signalled, takeover.at());
            Bound sentBound = Bound.atOnce("the Shutdown event sends it");
            Bound delayBound = Bound.atMost(skewName, skewTime);
            Bound takeoverBound = Bound.from(skewName, skewTime);
            Bound outageBound = Bound.atMost(skewName, skewTime);
            System.out.printf("graceful stop: priority-0 line %s after SIGTERM; %s MASTER %s after it, %s after"
                            + " SIGTERM; client outage %s, %d pings lost; %s exited %d, now %s%n",
                    sentBound.show(sent), backup.name(), delayBound.show(delay), takeoverBound.show(afterSigterm),
                    outageBound.show(outage.gap()), outage.lost(), master.name(), status, lab.addresses(master.host()));

            assertEquals(0, status, master.name() + " exit status after SIGTERM");
            sentBound.check(master.name() + " priority-0 line after SIGTERM", sent);
            delayBound.check(backup.name() + " MASTER after the priority-0 line", delay);
            takeoverBound.check(backup.name() + " MASTER after SIGTERM", afterSigterm);
            outageBound.check("client outage", outage.gap());
            assertFalse(lab.addresses(master.host()).contains(VirtualRouterSpec.DEFAULT_VIP),
                    "the stopped master still holds the address: " + lab.addresses(master.host()));
            assertTrue(backup.holdsVirtualAddresses(), backup.describe());
        }
    }
}
