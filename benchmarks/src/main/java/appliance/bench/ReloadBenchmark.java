package appliance.bench;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Issue 16's reload benchmark, the namespace half: one keepalived.conf of 255 VRRPv3 instances
 * (1 s adverts, each alone and so master), read by the appliance ({@code -f}) and by keepalived
 * ({@code -P}); each gets {@code --reloads} SIGHUPs with the file unchanged, then as many that each
 * change one instance's priority. Measured: the time from the SIGHUP to the end of the reload
 * and the transitions logged meanwhile. The appliance says when it is done ("Reload done");
 * keepalived does not, so a SIGUSR1 follows the SIGHUP at once and the end is when its data dump
 * (/tmp/keepalived.data) is written: its VRRP child runs the two as events in the order they came,
 * the dump after the reload (keepalived's {@code reload_file} only covers the parent's read).
 *
 * <pre>ReloadBenchmark [--reloads N] [--results FILE] [--command TEXT]</pre>
 */
public final class ReloadBenchmark {

    static final int INSTANCES = 255;
    private static final Pattern TRANSITION = Pattern.compile("\\) Entering (MASTER|BACKUP|FAULT) STATE");

    record Figures(String checker, String change, List<Double> millis, int transitions) {
        double percentile(int p) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    public static void main(String[] args) throws Exception {
        int reloads = 20;
        Path results = Path.of("benchmarks/RESULTS.md");
        String command = "benchmarks/reload";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reloads" -> reloads = Integer.parseInt(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--reloads N] [--results FILE] [--command TEXT]");
            }
        }
        List<Figures> figures = new ArrayList<>();
        for (String checker : List.of("appliance", "keepalived")) {
            figures.addAll(measure(checker, reloads));
        }
        StringBuilder r = new StringBuilder();
        r.append("## Reload: ").append(INSTANCES).append(" VRRP instances, ").append(reloads)
                .append(" reloads per case, ").append(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                        .withNano(0).toString().replace('T', ' ')).append(" UTC\n\n");
        r.append("- command: `").append(command).append("`\n");
        r.append("- machine: ").append(BenchmarkRun.machine()).append("\n");
        r.append("- code: ").append(BenchmarkRun.revision()).append("\n");
        r.append("- method: one keepalived.conf of ").append(INSTANCES).append(" VRRPv3 instances (1 s adverts, each"
                + " alone in the lab and so master) read by the appliance (-f) and keepalived (-P). Time: SIGHUP to"
                + " the end of the reload: the appliance's \"Reload done\" line as the harness read it; for"
                + " keepalived, which logs no end, a SIGUSR1 sent right after the SIGHUP and its data dump"
                + " written (its VRRP child runs the reload, then the dump, in order; the dump's time counted)."
                + " \"one priority\": each reload changes VI_255's priority (150 and 140 in turn). Transitions: lines"
                + " \"Entering ... STATE\" logged from the first reload to the end.\n\n");
        r.append("| checker | change | reload ms p50 | p90 | max | transitions |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Figures f : figures) {
            r.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %d |%n", f.checker(), f.change(),
                    f.percentile(50), f.percentile(90), f.percentile(100), f.transitions()));
        }
        System.out.println(r);
        BenchmarkRun.append(results, r.toString());
        System.out.println("Appended to " + results);
    }

    static final Path KEEPALIVED_DUMP = Path.of("/tmp/keepalived.data");

    static String conf(int lastPriority) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= INSTANCES; i++) {
            s.append("vrrp_instance VI_").append(i).append(" {\n   interface ").append(Host.INTERFACE)
                    .append("\n   virtual_router_id ").append(i).append("\n   priority ")
                    .append(i == INSTANCES ? lastPriority : 150).append("\n   advert_int 1\n   version 3\n")
                    .append("   virtual_ipaddress {\n      10.99.").append(1 + i / 250).append('.').append(1 + i % 250)
                    .append("/32\n   }\n}\n");
        }
        return s.toString();
    }

    static List<Figures> measure(String checker, int reloads) throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path conf = lab.workDir().resolve("keepalived.conf");
            boolean keepalived = checker.equals("keepalived");
            Files.writeString(conf, conf(150));
            List<String> cmd = checker.equals("appliance")
                    ? List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "-f", conf.toString())
                    : List.of("keepalived", "-P", "-n", "-l", "-D", "-f", conf.toString(), "-p",
                    lab.workDir().resolve("keepalived.pid").toString(), "-r",
                    lab.workDir().resolve("vrrp.pid").toString());
            NodeProcess p = lab.own(NodeProcess.start(checker + "@n1", lab.node(1).namespace(), cmd,
                    lab.newFile("n1-" + checker, "log")));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (p.lines().stream().filter(l -> l.text().contains("Entering MASTER STATE")).count() < INSTANCES) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(checker + ": not all instances master:\n" + p.tail(20));
                }
                Lab.pause(Duration.ofMillis(100));
            }
            Lab.pause(Duration.ofSeconds(2));
            int mark = p.mark();
            List<Double> unchanged = new ArrayList<>();
            List<Double> onePriority = new ArrayList<>();
            for (int i = 0; i < reloads; i++) {
                unchanged.add(reload(p, keepalived));
                Lab.pause(Duration.ofMillis(300));
            }
            for (int i = 0; i < reloads; i++) {
                Files.writeString(conf, conf(i % 2 == 0 ? 140 : 150));
                onePriority.add(reload(p, keepalived));
                Lab.pause(Duration.ofMillis(300));
            }
            int transitions = (int) p.lines().subList(mark, p.mark()).stream()
                    .filter(l -> TRANSITION.matcher(l.text()).find()).count();
            System.out.printf("%s: unchanged %s ms, one priority %s ms, %d transitions%n", checker, unchanged,
                    onePriority, transitions);
            return List.of(new Figures(checker, "unchanged", unchanged, transitions),
                    new Figures(checker, "one priority", onePriority, transitions));
        }
    }

    /** One SIGHUP, and the milliseconds until the reload has ended. */
    private static double reload(NodeProcess p, boolean keepalived) throws Exception {
        int mark = p.mark();
        Files.deleteIfExists(KEEPALIVED_DUMP);
        long start = System.nanoTime();
        p.signal("HUP");
        if (!keepalived) {
            p.awaitLine(mark, Pattern.compile("Reload done"), Duration.ofSeconds(30));
            // When the harness read the line: a few milliseconds of log latency counted against the appliance.
            NodeProcess.Line done = p.lines().subList(mark, p.mark()).stream()
                    .filter(l -> l.text().contains("Reload done")).findFirst().orElseThrow();
            return Duration.between(java.time.Instant.now().minusNanos(System.nanoTime() - start), done.at())
                    .toNanos() / 1e6;
        }
        p.signal("USR1");
        long deadline = start + Duration.ofSeconds(30).toNanos();
        long size = -1;
        while (System.nanoTime() < deadline) {
            long now = Files.exists(KEEPALIVED_DUMP) ? Files.size(KEEPALIVED_DUMP) : -1;
            if (now > 0 && now == size) {
                return (System.nanoTime() - start) / 1e6 - 1.0; // the second look, 1 ms later, not counted
            }
            size = now;
            Thread.sleep(1);
        }
        throw new IllegalStateException("keepalived wrote no data dump within 30 s of the reload");
    }
}
