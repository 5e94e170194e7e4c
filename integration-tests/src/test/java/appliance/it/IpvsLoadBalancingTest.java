package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, in one boot of the IPVS VM ({@link IpvsGuest} runs there): the appliance keeps the
 * kernel's table equal to its virtual servers and the checkers' verdicts. NAT traffic from the
 * client reaches both real servers, and so does DR traffic; a real server stopped leaves the table
 * within the checker's bound (or stays at weight 0 with inhibit-on-failure) and comes back; a
 * virtual server that loses quorum gets its sorry server alone; every scheduler the kernel has is
 * accepted; a reload changes what changed and nothing else; a service deleted with ipvsadm -D
 * comes back; a foreign service added by hand is left alone, also at stop, when ours leave the
 * table; the connection sync daemon follows a VRRP instance (master, backup against keepalived,
 * master again, none after the stop).
 */
@ExtendWith(RootOnly.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class IpvsLoadBalancingTest {

    /** The checker's bound (delay-loop 1 s + (retry 0 + 1) x connect-timeout 1 s + 500 ms), under emulation twice over. */
    static final long CHECK_BOUND_MS = 2 * (1000 + 1000 + 500);
    /** The appliance compares its table with the kernel's this often, even when nothing changed. */
    static final long RECONCILE_PERIOD_MS = 5000;

    @Test
    void theTableFollowsTheConfigurationTheCheckersAndTheKernel() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "ipvs-lb-");
        try {
            Path home = ApplianceNode.home();
            String classpath = home.resolve("integration-tests/target/test-classes") + ":" + home.resolve("modules/lab/target/lab.jar")
                    + ":" + home.resolve("modules/lab/target/lib") + "/*";
            Path results = work.resolve("results");
            Path script = work.resolve("guest.sh");
            // qemu's multi-threaded emulation tears the JVM's code patches (SIGSEGV in JIT-compiled code,
            // benchmarks/RESULTS.md): one host thread for the vCPUs, and C1 alone, which patches least.
            Files.writeString(script, "cd " + home + "\nexport JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1\n"
                    + ProcessHandle.current().info().command().orElse("java")
                    + " -Dappliance.home=" + home + " -cp '" + classpath + "' appliance.it.IpvsGuest " + results + "\n");
            Process vm = new ProcessBuilder(home.resolve("integration-tests/vm/ipvs-vm").toString(), "--single-thread",
                    "--timeout", "540",
                    work.toString(), script.toString()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("console").toFile()).start();
            assertTrue(vm.waitFor(570, TimeUnit.SECONDS), "the VM did not stop");
            String console = Files.readString(work.resolve("console"));
            Map<String, String> r = new HashMap<>();
            if (Files.exists(results)) {
                for (String line : Files.readAllLines(results)) {
                    int space = line.indexOf(' ');
                    r.put(line.substring(0, space), line.substring(space + 1));
                }
            }
            String context = r + "\n" + console.lines().filter(l -> !l.isBlank()).reduce((a, b) -> a + "\n" + b).orElse("");
            assertEquals("yes", r.get("done"), context);
            assertEquals(0, vm.exitValue(), context);
            System.out.printf("IPVS in the VM: converged %s ms after the appliance's start; real server removed %s ms after"
                            + " its stop (bound %d ms), back %s ms after its restart; ipvsadm -D undone in %s ms%n",
                    r.get("converged_ms"), r.get("removed_ms"), CHECK_BOUND_MS, r.get("restored_ms"), r.get("readded_ms"));
            assertEquals("none", r.get("algorithms_missing"), context);
            assertEquals("yes", r.get("persistent"), context);
            assertEquals("yes", r.get("fwmark_service"), "virtual_server fwmark and virtual_server_group: " + context);
            String sh = r.get("sh_line");
            assertTrue(sh.contains("sh-port") && sh.contains("ops") && sh.contains("persistent 360")
                    && sh.contains("mask 255.255.255.0"), "scheduler flags, ops, granularity: " + sh + "\n" + context);
            assertTrue(r.get("thresholds").matches(".*\\s100\\s+10\\s.*"), "uthreshold 100, lthreshold 10: "
                    + r.get("thresholds") + "\n" + context);
            assertEquals("yes", r.get("masq"), context);
            assertEquals("n2,n3", r.get("served_by"), context);
            assertEquals("n2", r.get("served_by_while_down"), context);
            assertEquals("n2,n3", r.get("dr_served_by"), "direct routing: " + context);
            assertEquals("yes", r.get("dr_route"), context);
            assertEquals("yes", r.get("inhibited_weight_0"), "inhibit-on-failure: " + context);
            assertEquals("yes", r.get("sorry_alone"), "quorum lost: " + context);
            assertEquals("sorry", r.get("sorry_served"), context);
            assertEquals("yes", r.get("reload_kept"), "a reload leaves the unchanged services as they were: " + context);
            assertEquals("yes", r.get("reload_web_both"), context);
            assertTrue(Long.parseLong(r.get("removed_ms")) <= CHECK_BOUND_MS, context);
            assertTrue(Long.parseLong(r.get("restored_ms")) <= CHECK_BOUND_MS, context);
            assertTrue(Long.parseLong(r.get("readded_ms")) <= RECONCILE_PERIOD_MS + CHECK_BOUND_MS, context);
            assertEquals("yes", r.get("foreign_kept"), context);
            assertEquals("yes", r.get("flushed_at_start"), "lvs-flush: " + context);
            for (String k : List.of("daemon_master", "daemon_backup", "daemon_master_again", "daemon_stopped")) {
                assertEquals("yes", r.get(k), "lvs-sync-daemon: " + k + "\n" + context);
            }
            assertEquals("gone", r.get("ours_after_stop"), context);
            assertEquals("yes", r.get("foreign_after_stop"), context);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
