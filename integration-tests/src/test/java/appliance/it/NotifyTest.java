package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 5 (scripts): notify-master/-backup/-fault/-stop with their own arguments (split as
 * keepalived splits them, quotes kept together), then the generic notify with keepalived's
 * {@code INSTANCE NAME STATE PRIORITY}, strictly in the order of the transitions.
 */
@LabTest
class NotifyTest {

    @Test
    void scriptsRunInOrderWithKeepalivedsArguments() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path log = lab.workDir().resolve("notify.log");
            Path script = lab.workDir().resolve("notify.sh");
            // Sleeps a little so that out-of-order runs would show.
            Files.writeString(script, "#!/bin/sh\nsleep 0.05\necho \"$*\" >> " + log + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            VrrpNode node = NodeKind.APPLIANCE.start(lab, lab.node(1), VirtualRouterSpec.v3(Duration.ofMillis(100))
                    .withPriority(150)
                    .withOption("notify-master = \"" + script + " master 'two words'\"", null)
                    .withOption("notify-backup = \"" + script + " backup\"", null)
                    .withOption("notify-fault = \"" + script + " fault\"", null)
                    .withOption("notify-stop = \"" + script + " stop\"", null)
                    .withOption("notify = \"" + script + " generic\"", null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            lab.exec(lab.node(1).namespace(), "ip", "link", "set", "e0", "down");
            node.awaitState(VrrpState.FAULT, SETTLE);
            lab.exec(lab.node(1).namespace(), "ip", "link", "set", "e0", "up");
            node.awaitState(VrrpState.MASTER, SETTLE);
            Lab.pause(Duration.ofMillis(500));
            assertEquals(0, node.stop(Duration.ofSeconds(10)));
            List<String> lines = Files.readAllLines(log);
            System.out.println("notify log:\n  " + String.join("\n  ", lines));
            assertEquals(List.of(
                    "backup", "generic INSTANCE VI_1 BACKUP 150",
                    "master two words", "generic INSTANCE VI_1 MASTER 150",
                    "fault", "generic INSTANCE VI_1 FAULT 150",
                    "backup", "generic INSTANCE VI_1 BACKUP 150",
                    "master two words", "generic INSTANCE VI_1 MASTER 150",
                    "stop", "generic INSTANCE VI_1 STOP 150"), lines);
        }
    }

    /** keepalived's notify_fifo: one line per transition, INSTANCE "VI_1" MASTER 150, the FIFO made at start. */
    @Test
    void transitionsAreWrittenToTheNotifyFifo() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path fifo = lab.workDir().resolve("notify.fifo");
            VrrpNode node = appliance.lab.ApplianceNode.start(lab, lab.node(1),
                    VirtualRouterSpec.v3(Duration.ofMillis(100)).withPriority(150),
                    "global { notify-fifo = \"" + fifo + "\" }\n");
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (var in = Files.newBufferedReader(fifo)) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        lines.add(l);
                    }
                } catch (java.io.IOException ignored) {
                    // the FIFO went with the lab
                }
            });
            reader.setDaemon(true);
            reader.start();
            node.awaitState(VrrpState.MASTER, SETTLE);
            assertEquals(0, node.stop(Duration.ofSeconds(10)));
            List<String> got = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String l = lines.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                if (l != null) {
                    got.add(l);
                }
            }
            System.out.println("notify FIFO:\n  " + String.join("\n  ", got));
            assertEquals(List.of("INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150",
                    "INSTANCE \"VI_1\" STOP 150"), got);
        }
    }
}
