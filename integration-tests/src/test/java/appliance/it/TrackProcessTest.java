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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 3 (track-process): the kernel's process connector answers only in the initial
 * network namespace, so the appliance runs there, plugged into the lab switch by a veth of its
 * own, against keepalived 2.2.7 in a namespace. The tracked process killed: its quorum is lost,
 * the appliance advertises 150 - 60 = 90 and keepalived (100) takes the address; started again:
 * the quorum is back after its delay and the address returns. In a namespace, the appliance
 * refuses to start with the reason.
 */
@LabTest
class TrackProcessTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    /** A process with a name of its own: a copy of sleep, so that nothing else on the machine matches. */
    private static Process startTracked(Path program) throws Exception {
        return new ProcessBuilder(program.toString(), "infinity").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void aTrackedProcessKilledAndStartedAgainMovesTheAddressAndBack() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host root = lab.initialNamespaceHost(50);
            String name = "hltrk" + ProcessHandle.current().pid() % 100_000;
            Path program = lab.workDir().resolve(name);
            Files.copy(Path.of("/bin/sleep"), program, StandardCopyOption.COPY_ATTRIBUTES);
            Process tracked = startTracked(program);
            try {
                VrrpNode app = NodeKind.APPLIANCE.start(lab, root, SPEC.withInterface(lab.interfaceOf(root))
                        .withPriority(150)
                        .withBlock("vrrp.processes { " + name + " { process = " + name
                                + ", weight = -60, fork-delay = 500ms, terminate-delay = 200ms } }", null)
                        .withOption("track-process = [" + name + "]", null));
                VrrpNode kad = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(100));
                app.awaitState(VrrpState.MASTER, SETTLE);
                kad.awaitState(VrrpState.BACKUP, SETTLE);

                Instant killed = Instant.now();
                tracked.destroyForcibly().waitFor();
                VrrpNode.StateChange k = kad.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
                // The quorum is lost after terminate-delay and 90 is advertised at once; keepalived,
                // which may preempt, lets its Master_Down_Interval run out.
                Bound lost = Bound.atMost("terminate-delay 200 ms + keepalived's Master_Down_Interval",
                        Duration.ofMillis(200).plus(SPEC.withPriority(100).masterDownInterval()));
                Duration lostTook = Duration.between(killed, kad.loggedAt(k.line()));
                System.out.println("tracked process killed: keepalived MASTER after " + lost.show(lostTook));
                lost.check("keepalived's takeover after the kill", lostTook);
                app.awaitState(VrrpState.BACKUP, SETTLE);
                assertTrue(app.process().lines().stream().anyMatch(l -> l.text().contains("Quorum lost for tracked process")),
                        app.process().tail(20));

                Instant started = Instant.now();
                tracked = startTracked(program);
                VrrpNode.StateChange a = app.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
                Duration back = Duration.between(started, app.loggedAt(a.line()));
                Bound gained = new Bound(Duration.ofMillis(500), Duration.ofMillis(500)
                        .plus(SPEC.withPriority(150).masterDownInterval()).plus(Subject.MARGIN),
                        "fork-delay 500 ms, then at most the appliance's Master_Down_Interval + margin");
                System.out.println("tracked process started again: appliance MASTER after " + gained.show(back));
                gained.check("the appliance's takeover after the process came back", back);
                kad.awaitState(VrrpState.BACKUP, SETTLE);
                System.out.println(String.join("\n", app.process().lines().stream().map(NodeProcess.Line::text)
                        .filter(l -> l.contains("process") || l.contains("priority")).toList()));
            } finally {
                tracked.destroyForcibly();
            }
        }
    }

    @Test
    void inANamespaceTheApplianceRefusesToStartAndSaysWhy() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path config = lab.workDir().resolve("in-namespace.conf");
            Files.writeString(config, """
                    vrrp.processes { p { process = haproxy } }
                    vrrp.instances.VI_1 { interface = e0, virtual-router-id = 51, virtual-ipaddress = ["10.99.0.100/24"],
                                          track-process = [p] }
                    """);
            List<String> command = List.of("ip", "netns", "exec", lab.node(1).namespace(),
                    appliance.lab.ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config",
                    config.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            System.out.println(out.strip());
            assertTrue(p.exitValue() != 0, out);
            assertTrue(out.contains("process connector only in the initial network namespace"), out);
        }
    }
}
