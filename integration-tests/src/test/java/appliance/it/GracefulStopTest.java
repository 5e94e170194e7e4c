package appliance.it;

import static appliance.it.Subject.KIND;
import static appliance.it.Subject.MARGIN;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import appliance.lab.OutageProbe;
import appliance.lab.ProtocolTimes;
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

            Duration delay = Duration.between(priorityZero.at(), takeover.at());
            Duration limit = backup.spec().skewTime().plus(MARGIN);
            System.out.printf("graceful stop: priority-0 line %s after SIGTERM; %s MASTER %s after it"
                            + " (Skew_Time %s, limit %s); client outage %s; %s exited %d, now %s%n",
                    ProtocolTimes.seconds(Duration.between(signalled, priorityZero.at())), backup.name(),
                    ProtocolTimes.seconds(delay), ProtocolTimes.seconds(backup.spec().skewTime()),
                    ProtocolTimes.seconds(limit), outage, master.name(), status, lab.addresses(master.host()));

            assertEquals(0, status, master.name() + " exit status after SIGTERM");
            assertTrue(delay.compareTo(limit) <= 0, "backup MASTER " + ProtocolTimes.seconds(delay)
                    + " after the priority-0 advertisement, limit Skew_Time + 100 ms = " + ProtocolTimes.seconds(limit));
            assertFalse(lab.addresses(master.host()).contains(VirtualRouterSpec.DEFAULT_VIP),
                    "the stopped master still holds the address: " + lab.addresses(master.host()));
            assertTrue(backup.holdsVirtualAddresses(), backup.describe());
        }
    }
}
