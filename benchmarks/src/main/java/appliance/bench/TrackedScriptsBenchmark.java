package appliance.bench;

import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 14's benchmark: 255 VRRP instances at 100 ms adverts on one interface, each tracking the
 * same script (run every second), on a master node (priority 150) and a backup node (100) of the
 * same implementation, for the appliance and then keepalived in the same run. After both sides
 * settled, for {@code --seconds} (default 60): CPU seconds of each node's whole process tree
 * (user and system, the scripts they ran and reaped included, from /proc/PID/stat), peak RSS
 * (VmHWM, summed over the tree) and transitions after settling (any is spurious).
 *
 * <pre>
 * TrackedScriptsBenchmark [--seconds N] [--only appliance|keepalived] [--results FILE] [--command TEXT]
 * </pre>
 */
public final class TrackedScriptsBenchmark {

    static final int INSTANCES = 255;
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Pattern TRANSITION = Pattern.compile("\\) Entering (MASTER|BACKUP|FAULT) STATE");
    private static final long TICKS_PER_SECOND = 100;

    /** One implementation's figures. */
    record Figures(NodeKind kind, double masterCpu, double backupCpu, double scriptsCpu, long masterPeakKb,
                   long backupPeakKb, int spurious, int scriptRuns) {
        double cpu() {
            return masterCpu + backupCpu;
        }
    }

    private final Duration window;
    private final List<NodeKind> kinds;

    TrackedScriptsBenchmark(Duration window, List<NodeKind> kinds) {
        this.window = window;
        this.kinds = kinds;
    }

    public static void main(String[] args) throws Exception {
        Duration window = Duration.ofSeconds(60);
        List<NodeKind> kinds = List.of(NodeKind.APPLIANCE, NodeKind.KEEPALIVED);
        Path results = Path.of("benchmarks/RESULTS.md");
        String command = "benchmarks/tracked-scripts";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> window = Duration.ofSeconds(Integer.parseInt(args[++i]));
                case "--only" -> kinds = List.of(NodeKind.of(args[++i]));
                case "--results" -> results = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--seconds N] [--only appliance|keepalived] [--results FILE]");
            }
        }
        List<Figures> figures = new ArrayList<>();
        TrackedScriptsBenchmark b = new TrackedScriptsBenchmark(window, kinds);
        for (NodeKind kind : kinds) {
            Figures f = b.measure(kind);
            System.out.println(f);
            figures.add(f);
        }
        String report = b.report(command, figures);
        System.out.println(report);
        BenchmarkRun.append(results, report);
        System.out.println("Appended to " + results);
    }

    Figures measure(NodeKind kind) throws Exception {
        try (Lab lab = Lab.create(2)) {
            Path script = lab.workDir().resolve("check.sh");
            Path runs = lab.workDir().resolve("runs");
            Files.createDirectories(runs);
            Files.setPosixFilePermissions(lab.workDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            // Counts its runs by name (one file per second and node), so the figures show the script really ran.
            Files.writeString(script, "#!/bin/sh\n: > " + runs + "/$(date +%s)-$$\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            VrrpNode master = kind.start(lab, lab.node(1), spec(150, script));
            VrrpNode backup = kind.start(lab, lab.node(2), spec(100, script));
            awaitCount(master.process(), "Entering MASTER STATE", INSTANCES);
            awaitCount(backup.process(), "Entering BACKUP STATE", INSTANCES);
            Lab.pause(Duration.ofSeconds(5));
            int masterMark = master.process().mark();
            int backupMark = backup.process().mark();
            long runsBefore = count(runs);
            long masterCpu0 = cpuTicks(master.process().pid(), false);
            long backupCpu0 = cpuTicks(backup.process().pid(), false);
            long reaped0 = cpuTicks(master.process().pid(), true) + cpuTicks(backup.process().pid(), true);
            System.out.printf("%s: settled, measuring for %d s%n", kind.label(), window.toSeconds());
            Lab.pause(window);
            long masterCpu1 = cpuTicks(master.process().pid(), false);
            long backupCpu1 = cpuTicks(backup.process().pid(), false);
            long reaped1 = cpuTicks(master.process().pid(), true) + cpuTicks(backup.process().pid(), true);
            int runsDuring = (int) (count(runs) - runsBefore);
            int spurious = transitionsSince(master.process(), masterMark) + transitionsSince(backup.process(), backupMark);
            return new Figures(kind, (masterCpu1 - masterCpu0) / (double) TICKS_PER_SECOND,
                    (backupCpu1 - backupCpu0) / (double) TICKS_PER_SECOND, (reaped1 - reaped0) / (double) TICKS_PER_SECOND,
                    peakKb(master.process().pid()),
                    peakKb(backup.process().pid()), spurious, runsDuring);
        }
    }

    /** VI_1 from the spec (VRID 51, 10.99.0.100), VI_2..VI_255 beside it, all tracking the script "chk". */
    static VirtualRouterSpec spec(int priority, Path script) {
        StringBuilder hocon = new StringBuilder("vrrp.scripts { chk { script = \"" + script
                + "\", interval = 1s, weight = -20 } }\n");
        StringBuilder keepalived = new StringBuilder("vrrp_script chk {\n  script \"" + script
                + "\"\n  interval 1\n  weight -20\n}\n");
        int vrid = 0;
        for (int i = 2; i <= INSTANCES; i++) {
            vrid++;
            if (vrid == 51) {
                vrid++;
            }
            String vip = "10.97." + (i / 256) + "." + (i % 256) + "/32";
            hocon.append("vrrp.instances.VI_").append(i).append(" { interface = e0, virtual-router-id = ").append(vrid)
                    .append(", priority = ").append(priority).append(", version = 3, advert-interval = 100ms,")
                    .append(" virtual-ipaddress = [\"").append(vip).append("\"], track-script = [chk] }\n");
            keepalived.append("vrrp_instance VI_").append(i).append(" {\n  state BACKUP\n  interface e0\n")
                    .append("  virtual_router_id ").append(vrid).append("\n  priority ").append(priority)
                    .append("\n  advert_int 0.1\n  track_script {\n    chk\n  }\n  virtual_ipaddress {\n    ")
                    .append(vip).append("\n  }\n}\n");
        }
        return VirtualRouterSpec.v3(INTERVAL).withPriority(priority).withOption("track-script = [chk]",
                "track_script {\n    chk\n  }").withBlock(hocon.toString(), keepalived.toString());
    }

    private static void awaitCount(NodeProcess p, String text, int n) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (p.lines().stream().filter(l -> l.text().contains(text)).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(p + ": fewer than " + n + " \"" + text + "\" within " + SETTLE
                        + "; last output:\n" + p.tail(20));
            }
            Lab.pause(Duration.ofMillis(200));
        }
    }

    private static int transitionsSince(NodeProcess p, int mark) {
        return (int) p.lines().stream().filter(l -> l.index() >= mark && TRANSITION.matcher(l.text()).find()).count();
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /**
     * The process tree's CPU: live processes' own time plus what each has reaped of its children
     * (the scripts); {@code reapedOnly}: that second part alone.
     */
    static long cpuTicks(long root, boolean reapedOnly) {
        long total = 0;
        for (long pid : tree(root)) {
            String[] f = statFields(pid);
            if (f.length > 16) {
                // After "(comm)": state is field 3; utime 14, stime 15, cutime 16, cstime 17.
                long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                long reaped = Long.parseLong(f[13]) + Long.parseLong(f[14]);
                total += reapedOnly ? reaped : own + reaped;
            }
        }
        return total;
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return new String[0];
        }
    }

    /** Peak resident set (VmHWM) summed over the tree, in KiB. */
    static long peakKb(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return total;
    }

    private static List<Long> tree(long root) {
        List<Long> pids = new ArrayList<>(List.of(root));
        ProcessHandle.of(root).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    String report(String command, List<Figures> figures) {
        StringBuilder s = new StringBuilder("## Tracked scripts: ").append(INSTANCES).append(" instances at ")
                .append(INTERVAL.toMillis()).append(" ms, one script every second, ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("\n\n- command: `").append(command).append("`\n- machine: ").append(BenchmarkRun.machine())
                .append("\n- code: ").append(BenchmarkRun.revision())
                .append("\n- method: one namespace lab per implementation; node 1 holds ").append(INSTANCES)
                .append(" instances at priority 150 (masters), node 2 the same at 100 (backups), all on e0, each")
                .append(" tracking the script chk (interval 1 s, weight -20; it exits 0); after every instance settled")
                .append(" and 5 s more, ").append(window.toSeconds()).append(" s measured: CPU of each node's process")
                .append(" tree from /proc (utime + stime, and cutime + cstime for the scripts it reaped), peak RSS")
                .append(" (VmHWM summed over the tree at the end), state transitions logged in the window")
                .append(" (all spurious), script runs counted by the script itself\n\n")
                .append("| implementation | CPU s, master node | CPU s, backup node | CPU s, both | of which the scripts | peak RSS MiB, master | peak RSS MiB, backup | spurious transitions | script runs |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        Map<NodeKind, Figures> byKind = new LinkedHashMap<>();
        for (Figures f : figures) {
            byKind.put(f.kind(), f);
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %d | %d |%n",
                    f.kind().label(), f.masterCpu(), f.backupCpu(), f.cpu(), f.scriptsCpu(), f.masterPeakKb() / 1024.0,
                    f.backupPeakKb() / 1024.0,
                    f.spurious(), f.scriptRuns()));
        }
        Figures a = byKind.get(NodeKind.APPLIANCE);
        Figures k = byKind.get(NodeKind.KEEPALIVED);
        if (a != null && k != null && k.cpu() > 0) {
            s.append(String.format(Locale.ROOT, "%nRatio appliance / keepalived: CPU %.3f (master %.3f, backup %.3f),"
                            + " peak RSS %.2f.%n", a.cpu() / k.cpu(), a.masterCpu() / k.masterCpu(),
                    a.backupCpu() / k.backupCpu(),
                    (a.masterPeakKb() + a.backupPeakKb()) / (double) (k.masterPeakKb() + k.backupPeakKb())));
        }
        return s.toString();
    }
}
