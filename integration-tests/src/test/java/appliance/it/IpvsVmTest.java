package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IPVS lab (integration-tests/vm/ipvs-vm, ../shared/LAB.md section 2) boots, has IPVS, runs
 * the guest script with the host's tools, shares its work directory both ways and hands back the
 * script's exit status: what the IPVS tests and the checkers' benchmark stand on. One boot.
 */
@ExtendWith(RootOnly.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IpvsVmTest {

    @Test
    void theGuestHasIpvsAndTheHostsToolsAndReturnsTheScriptsStatus() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "ipvs-vm-test-");
        try {
            Files.writeString(work.resolve("from-host"), "42\n");
            Path script = work.resolve("guest.sh");
            Files.writeString(script, String.join("\n",
                    "set -e",
                    "grep -q 'IP Virtual Server' /proc/net/ip_vs",
                    "ipvsadm -A -t 10.97.0.100:80 -s rr",
                    "ipvsadm -a -t 10.97.0.100:80 -r 10.98.0.16:80 -g -w 3",
                    "ipvsadm -Ln > " + work.resolve("table"),
                    "keepalived --version 2>&1 | head -1 > " + work.resolve("keepalived-version"),
                    "ip netns add inside && ip netns exec inside ip link set lo up && ip netns del inside",
                    "echo $(( $(cat " + work.resolve("from-host") + ") + 1 )) > " + work.resolve("from-guest"),
                    "exit 3", ""));
            Path vm = ApplianceNode.home().resolve("integration-tests/vm/ipvs-vm");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(vm.toString(), "--timeout", "240", work.toString(), script.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("console").toFile()).start();
            assertTrue(p.waitFor(270, TimeUnit.SECONDS), "the VM did not stop");
            String console = Files.readString(work.resolve("console"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("IPVS VM: boot, script and power-off in %d ms (bound 240000 ms)%n", took.toMillis());
            assertTrue(took.compareTo(Duration.ofSeconds(240)) <= 0, "the VM's round trip took " + took.toMillis() + " ms");
            assertEquals(3, p.exitValue(), "the script's status\n" + console);
            String table = Files.readString(work.resolve("table"));
            assertTrue(table.contains("TCP  10.97.0.100:80 rr") && table.contains("10.98.0.16:80")
                    && table.contains("Route   3"), table);
            assertTrue(Files.readString(work.resolve("keepalived-version")).startsWith("Keepalived v"),
                    Files.readString(work.resolve("keepalived-version")));
            assertEquals("43", Files.readString(work.resolve("from-guest")).strip());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
