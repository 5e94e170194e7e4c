package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 4: an instance tracks the checkers' verdict on a virtual server
 * ({@code track-virtual-server}, weight 0): when the real server behind it (nginx in the client
 * namespace) stops, the appliance goes to FAULT and keepalived 2.2.7 on the other node takes the
 * address; when nginx is back, the appliance takes it back. With {@code track-real-server} and a
 * negative weight, the one real server's death lowers the priority below keepalived's while its
 * virtual server keeps quorum (another real server stays alive).
 */
@LabTest
class TrackVirtualServerTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void aNodeWhoseBackendsAreAllDeadGivesUpTheAddress() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host server = lab.client();
            NodeProcess nginx = CheckersTest.startNginx(lab, server);
            String checkers = "virtual-servers = [{ address = \"10.97.0.100\", port = 80, delay-loop = 1s,"
                    + " real-servers = [{ address = \"" + server.address() + "\", port = 80, checks = [{ type = tcp-check,"
                    + " connect-timeout = 1s, retry = 0, warmup = 0s }] }] }]";
            VrrpNode app = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withPriority(150)
                    .withBlock(checkers, null)
                    .withOption("track-virtual-server = [{ address = \"10.97.0.100\", port = 80 }]", null));
            VrrpNode kad = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(120));
            System.out.println(Agreement.await(SETTLE, app, kad));

            // retry 0: the first failed run (within delay-loop + connect-timeout) takes it down.
            Instant stopped = Instant.now();
            nginx.close();
            VrrpNode.StateChange fault = app.awaitState(VrrpState.FAULT, Duration.ofSeconds(10));
            VrrpNode.StateChange k = kad.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            Duration detected = Duration.between(stopped, app.loggedAt(fault.line()));
            Duration moved = Duration.between(stopped, kad.loggedAt(k.line()));
            Duration bound = Duration.ofSeconds(2).plus(Duration.ofMillis(500));
            System.out.printf("nginx stopped: appliance FAULT after %d ms (bound %d ms), keepalived MASTER after %d ms%n",
                    detected.toMillis(), bound.toMillis(), moved.toMillis());
            assertTrue(detected.compareTo(bound) <= 0, detected + " > " + bound);
            assertTrue(moved.compareTo(bound.plus(SPEC.masterDownInterval())) <= 0, "keepalived took " + moved);
            assertTrue(app.process().lines().stream().anyMatch(l -> l.text().contains("track-virtual-server [10.97.0.100]:tcp:80")),
                    app.process().tail(20));

            Instant started = Instant.now();
            CheckersTest.startNginx(lab, server);
            VrrpNode.StateChange back = app.awaitState(VrrpState.MASTER, Duration.ofSeconds(15));
            Duration took = Duration.between(started, app.loggedAt(back.line()));
            System.out.printf("nginx back: appliance MASTER after %d ms%n", took.toMillis());
            assertTrue(took.compareTo(bound.plus(SPEC.masterDownInterval())) <= 0, "took " + took);
            System.out.println(Agreement.await(SETTLE, app, kad));
        }
    }

    @Test
    void aTrackedRealServersDeathLowersThePriorityWhileItsVirtualServerKeepsQuorum() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host server = lab.client();
            NodeProcess nginx = CheckersTest.startNginx(lab, server);
            String checkers = "virtual-servers = [{ address = \"10.97.0.100\", port = 80, delay-loop = 1s,"
                    + " real-servers = [{ address = \"" + server.address() + "\", port = 80, checks = [{ type = tcp-check,"
                    + " connect-timeout = 1s, retry = 0, warmup = 0s }] },"
                    + " { address = \"" + server.address() + "\", port = 81, checks = [{ type = misc-check,"
                    + " misc-path = /bin/true, warmup = 0s }] }] }]";
            VrrpNode app = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withPriority(150)
                    .withBlock(checkers, null)
                    .withOption("track-real-server = [{ address = \"" + server.address() + "\", port = 80,"
                            + " weight = -40 }]", null));
            VrrpNode kad = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(120));
            System.out.println(Agreement.await(SETTLE, app, kad));

            Instant stopped = Instant.now();
            nginx.close();
            VrrpNode.StateChange backup = app.awaitState(VrrpState.BACKUP, Duration.ofSeconds(10));
            kad.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            Duration took = Duration.between(stopped, app.loggedAt(backup.line()));
            Duration bound = Duration.ofSeconds(2).plus(Duration.ofMillis(500)).plus(SPEC.masterDownInterval());
            System.out.printf("nginx stopped: appliance BACKUP (priority 110 < 120) after %d ms (bound %d ms)%n",
                    took.toMillis(), bound.toMillis());
            assertTrue(took.compareTo(bound) <= 0, took + " > " + bound);
            String tracked = "tracked real server [" + server.address() + "]:tcp:80 of VS [10.97.0.100]:tcp:80 is down";
            assertTrue(app.process().lines().stream().anyMatch(l -> l.text().contains(tracked)), app.process().tail(20));
            assertTrue(app.process().lines().stream().noneMatch(l -> l.text().contains("FAULT")),
                    "the virtual server kept quorum: no FAULT\n" + app.process().tail(20));

            CheckersTest.startNginx(lab, server);
            app.awaitState(VrrpState.MASTER, Duration.ofSeconds(15));
            System.out.println(Agreement.await(SETTLE, app, kad));
        }
    }
}
