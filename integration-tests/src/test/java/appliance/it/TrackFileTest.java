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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (first part): track-file as keepalived's track_file. The number in the file, times the
 * weight, changes the advertised priority at once (seen on the wire), so the peer preempts and
 * gives back; with weight 0 a non-zero number is a FAULT. The file is rewritten in place and
 * replaced by a rename, as tools do; both are heard through inotify.
 */
@LabTest
class TrackFileTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void theFilesNumberTimesTheWeightMovesTheAddress() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Path file = lab.workDir().resolve("n1-weight");
            Files.writeString(file, "0\n");
            VrrpNode high = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withOption("track-file = [{ name = \"" + file + "\", weight = 2 }]", null));
            VrrpNode low = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(100));
            System.out.println(Agreement.await(SETTLE, high, low));
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-i", "e0", "vrrp and src host " + n1.address()),
                    lab.newFile("client-vrrp", "log")));
            wire.awaitLine("prio 150", Duration.ofSeconds(10));

            Files.writeString(file, "-30\n"); // 150 - 60 = 90 < 100
            String lowered = wire.awaitLine("prio 90", Duration.ofSeconds(5)).text();
            System.out.println("file -30, weight 2: " + lowered);
            low.awaitState(VrrpState.MASTER, SETTLE);
            System.out.println(Agreement.await(SETTLE, low, high));

            Path tmp = lab.workDir().resolve("n1-weight.tmp");
            Files.writeString(tmp, "5\n"); // 150 + 10 = 160
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            high.awaitState(VrrpState.MASTER, SETTLE);
            System.out.println("file replaced by a rename, 5:\n" + Agreement.await(SETTLE, high, low));
            assertTrue(high.process().lines().stream().anyMatch(l -> l.text().contains("Changing effective priority from 90 to 160")),
                    high.process().tail(10));
        }
    }

    @Test
    void withWeight0ANonZeroNumberIsAFault() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path file = lab.workDir().resolve("n1-down");
            VrrpNode node = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withPriority(150)
                    .withOption("track-file = [{ name = \"" + file + "\" }]", null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            Files.writeString(file, "1\n");
            node.awaitState(VrrpState.FAULT, Duration.ofSeconds(5));
            Files.writeString(file, "0\n");
            node.awaitState(VrrpState.MASTER, Duration.ofSeconds(5));
            System.out.println(String.join("\n", node.process().lines().stream().map(NodeProcess.Line::text)
                    .filter(l -> l.contains("n1-down") || l.contains("STATE")).toList()));
        }
    }
}
