package appliance.bench;

import appliance.bench.CheckersBenchmark.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@link CheckersBenchmark}'s lines into the RESULTS.md section: one row per measurement,
 * and the appliance / keepalived ratios of each check type measured on both in the same place.
 *
 * <pre>
 * CheckersReport --figures FILE --results FILE --command TEXT --code TEXT --vm TEXT
 * </pre>
 */
public final class CheckersReport {

    private CheckersReport() {
    }

    public static void main(String[] args) throws Exception {
        Path figures = null;
        Path results = Path.of("benchmarks/RESULTS.md");
        String command = "benchmarks/checkers";
        String code = BenchmarkRun.revision();
        String vm = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--figures" -> figures = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--code" -> code = args[++i];
                case "--vm" -> vm = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (figures == null) {
            throw new IllegalArgumentException("--figures FILE is required");
        }
        List<Figures> rows = new ArrayList<>();
        for (String line : Files.readAllLines(figures)) {
            if (!line.isBlank()) {
                rows.add(Figures.parse(line));
            }
        }
        String report = report(rows, command, code, vm);
        System.out.println(report);
        BenchmarkRun.append(results, report);
        System.out.println("Appended to " + results);
    }

    static String checkName(String type) {
        return switch (type) {
            case "ssl" -> "SSL_GET";
            case "tcp" -> "TCP_CHECK";
            default -> "HTTP_GET";
        };
    }

    static String report(List<Figures> rows, String command, String code, String vm) {
        int servers = rows.isEmpty() ? 0 : rows.get(0).servers();
        StringBuilder s = new StringBuilder("## Checkers: ").append(String.format(Locale.ROOT, "%,d", servers))
                .append(" real servers, ").append(String.join(" and ", rows.stream().map(f -> checkName(f.type())).distinct().toList()))
                .append(" at delay-loop 1 s, ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("\n\n- command: `").append(command).append("`\n- machine: ").append(BenchmarkRun.machine())
                .append(vm.isEmpty() ? "" : "\n- VM: " + vm)
                .append("\n- code: ").append(code)
                .append("\n- method: the real servers are addresses on a lab namespace's loopback, all answered by")
                .append(" one nginx (2 workers, ECDSA P-256 certificate, access log with $msec); the checker runs in")
                .append(" another namespace of the same lab, one virtual server with every real server, keepalived's")
                .append(" defaults (connect-timeout 5 s, retry 1, delay-before-retry 3 s). CPU (utime + stime of the")
                .append(" checker's process tree) and peak RSS (VmHWM summed over the tree) cover the whole run, start")
                .append(" included. Periods are each server's request-to-request intervals in nginx's log (TCP_CHECK:")
                .append(" SYN to SYN, captured on the server's interface), counted")
                .append(" from 10 s after the start (the JVM's class loading and JIT come before) and over the whole")
                .append(" run. After two thirds of the run every tenth server refuses (TCP reset, as a stopped")
                .append(" server): detection is the time to its `HTTP_CHECK on service ... failed` line, against")
                .append(" keepalived's bound delay-loop + (retry + 1) x connect-timeout + retry x delay-before-retry")
                .append(" + 500 ms = ").append(CheckersBenchmark.BOUND.toMillis() / 1000.0).append(" s. Wrongly down:")
                .append(" healthy servers with such a line. VRRP jitter: |interval - 10 ms| of a VRRPv3 instance's")
                .append(" adverts as node 2 captures them (tcpdump), while the checks run, with global vrrp-rt-priority = ")
                .append(CheckersBenchmark.VRRP_RT_PRIORITY).append(" (keepalived's vrrp_rt_priority).\n\n")
                .append("| where | checker | check | CPU s | peak RSS MiB | requests | servers checked |")
                .append(" period p50 / p99 / max s (from 10 s) | period p99 / max s (whole run) | wrongly down |")
                .append(" detected | detection p50 / max s | VRRP 10 ms advert jitter p99 ms |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Figures f : rows) {
            s.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %.1f | %.1f | %,d | %,d | %.3f / %.3f / %.3f | %.3f / %.3f | %d | %d of %d |"
                            + " %.2f / %.2f | %s |%n",
                    f.where(), f.checker(), checkName(f.type()), f.cpuSeconds(),
                    f.peakKb() / 1024.0, f.requests(), f.serversChecked(), f.periodP50(), f.periodP99(), f.periodMax(),
                    f.wholeRunP99(), f.wholeRunMax(), f.wronglyDown(), f.detected(), f.refusing(), f.detectionP50(),
                    f.detectionMax(), Double.isNaN(f.vrrpJitterP99()) ? "-"
                            : String.format(Locale.ROOT, "%.3f (%,d adverts)", f.vrrpJitterP99(), f.adverts())));
        }
        for (Figures a : rows) {
            for (Figures k : rows) {
                if (a.checker().equals("appliance") && k.checker().equals("keepalived") && a.where().equals(k.where())
                        && a.type().equals(k.type())) {
                    s.append(String.format(Locale.ROOT, "%nRatio appliance / keepalived, %s in %s: CPU %.3f, peak RSS"
                                    + " %.2f, requests %.3f.%n", checkName(a.type()), a.where(),
                            a.cpuSeconds() / k.cpuSeconds(), a.peakKb() / (double) k.peakKb(),
                            a.requests() / (double) k.requests()));
                }
            }
        }
        return s.toString();
    }
}
