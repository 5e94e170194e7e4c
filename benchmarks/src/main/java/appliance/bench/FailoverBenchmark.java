package appliance.bench;

import appliance.lab.Agreement;
import appliance.lab.Failover;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.LabException;
import appliance.lab.NodeKind;
import appliance.lab.OutageProbe;
import appliance.lab.ProtocolTimes;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Client-seen outage when the master is cut off the switch, for the appliance and for
 * keepalived on the same lab, at 1 s (v2), 100 ms (v3) and 10 ms (v3) adverts, and at 100 ms and
 * 10 ms over IPv6 and with unicast adverts: medians, and
 * the ratio appliance / keepalived, appended to {@code benchmarks/RESULTS.md}.
 *
 * <p>Each repetition starts a fresh pair (priority 150 as MASTER, 100 as BACKUP), lets the
 * client ping the virtual address every 9 ms, cuts the master's bridge port right after one of
 * its adverts (so the phase of the cut does not add up to one interval of noise) and measures
 * the largest gap between replies. Within a repetition the two implementations run one after the
 * other, so any drift of the machine touches both alike.
 *
 * <pre>
 * FailoverBenchmark [--reps N] [--only appliance|keepalived] [--interval CASE] [--results FILE] [--command TEXT]
 * </pre>
 */
public final class FailoverBenchmark {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    /**
     * The client's probe: an echo request every 1 ms (hping3), replies timestamped by tcpdump.
     * Not ping: it waits up to 10 ms for each missing reply, so during an outage it probes only
     * every 10 ms, and at 10 ms adverts (a 36 ms bound) that step blurred both implementations'
     * outages into the same few values (seen: 0.039, 0.040, 0.050 s for both).
     */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(1);

    /** One advert interval and version to measure. */
    record Case(String key, String label, VirtualRouterSpec spec) {
    }

    static final List<Case> CASES = List.of(
            new Case("1s", "1 s (v2)", VirtualRouterSpec.v2(Duration.ofSeconds(1))),
            new Case("100ms", "100 ms (v3)", VirtualRouterSpec.v3(Duration.ofMillis(100))),
            new Case("10ms", "10 ms (v3)", VirtualRouterSpec.v3(Duration.ofMillis(10))),
            new Case("100ms-ipv6", "100 ms (v3, IPv6)", VirtualRouterSpec.v3Ipv6(Duration.ofMillis(100))),
            new Case("10ms-ipv6", "10 ms (v3, IPv6)", VirtualRouterSpec.v3Ipv6(Duration.ofMillis(10))),
            new Case("100ms-unicast", "100 ms (v3, unicast)", VirtualRouterSpec.v3(Duration.ofMillis(100))
                    .withUnicastPeers(Lab.SUBNET + "1", Lab.SUBNET + "2")),
            new Case("10ms-unicast", "10 ms (v3, unicast)", VirtualRouterSpec.v3(Duration.ofMillis(10))
                    .withUnicastPeers(Lab.SUBNET + "1", Lab.SUBNET + "2")));

    private final int reps;
    private final List<NodeKind> kinds;
    private final List<Case> cases;
    private final Map<Case, Map<NodeKind, List<Duration>>> outages = new LinkedHashMap<>();
    private final Map<Case, Map<NodeKind, Integer>> failures = new LinkedHashMap<>();
    private Lab lab;

    FailoverBenchmark(int reps, List<NodeKind> kinds, List<Case> cases) {
        this.reps = reps;
        this.kinds = kinds;
        this.cases = List.copyOf(cases);
    }

    public static void main(String[] args) {
        int reps = 5;
        List<NodeKind> kinds = List.of(NodeKind.KEEPALIVED, NodeKind.APPLIANCE);
        Path results = Path.of("benchmarks/RESULTS.md");
        String command = "FailoverBenchmark " + String.join(" ", args);
        List<Case> cases = CASES;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--only" -> kinds = List.of(NodeKind.of(args[++i]));
                case "--results" -> results = Path.of(args[++i]);
                case "--interval" -> {
                    List<String> keys = List.of(args[++i].split(","));
                    cases = CASES.stream().filter(c -> keys.contains(c.key())).toList();
                    if (cases.size() != keys.size()) {
                        System.err.println("error: --interval " + keys + ": each must be one of " + CASES.stream().map(Case::key).toList());
                        System.exit(2);
                    }
                }
                case "--command" -> command = args[++i];
                default -> {
                    System.err.println("error: unknown argument " + args[i]
                            + "; usage: [--reps N] [--only appliance|keepalived] [--interval CASE] [--results FILE]; cases " + CASES.stream().map(Case::key).toList());
                    System.exit(2);
                }
            }
        }
        if (reps < 1) {
            System.err.println("error: --reps must be at least 1");
            System.exit(2);
        }
        FailoverBenchmark benchmark = new FailoverBenchmark(reps, kinds, cases);
        try {
            benchmark.run();
        } catch (LabException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        String report = benchmark.report(command);
        System.out.println();
        System.out.println(report);
        try {
            BenchmarkRun.append(results, report);
            System.out.println("Appended to " + results);
        } catch (IOException e) {
            System.err.println("error: cannot write " + results + ": " + e.getMessage());
            System.exit(1);
        }
    }

    void run() {
        try {
            lab = Lab.create(2);
            for (Case c : cases) {
                for (int rep = 1; rep <= reps; rep++) {
                    for (NodeKind kind : kinds) {
                        String what = String.format("%-12s rep %d/%d  %-10s", c.label(), rep, reps, kind.label());
                        try {
                            Failover.Measurement m = measure(kind, c.spec());
                            outages.computeIfAbsent(c, k -> new EnumMap<>(NodeKind.class))
                                    .computeIfAbsent(kind, k -> new ArrayList<>()).add(m.gap());
                            System.out.printf("%s  %s%n", what, m);
                        } catch (LabException e) {
                            failures.computeIfAbsent(c, k -> new EnumMap<>(NodeKind.class)).merge(kind, 1, Integer::sum);
                            System.out.printf("%s  FAILED: %s%n", what, e.getMessage());
                            // Whatever state it left, the next repetition starts on a fresh lab.
                            lab.close();
                            lab = Lab.create(2);
                        }
                    }
                }
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    private Failover.Measurement measure(NodeKind kind, VirtualRouterSpec spec) {
        Host h1 = lab.node(1);
        Host h2 = lab.node(2);
        VrrpNode master = null;
        VrrpNode backup = null;
        OutageProbe probe = null;
        try {
            master = kind.start(lab, h1, spec.withPriority(150).withInitialState(VrrpState.MASTER));
            master.awaitState(VrrpState.MASTER, SETTLE);
            backup = kind.start(lab, h2, spec.withPriority(100));
            Agreement.await(SETTLE, master, backup);
            probe = OutageProbe.startFine(lab, lab.client(), spec.primaryAddress(), PROBE_INTERVAL);
            return Failover.cutMasterAfterAdvert(lab, master, backup, probe);
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {probe, backup, master}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        System.err.println("closing " + c + ": " + e.getMessage());
                    }
                }
            }
            lab.restore(h1);
            // The next pair starts from a clean segment: no address left behind, no stale neighbour.
            String vip = spec.virtualAddresses().get(0);
            for (Host h : List.of(h1, h2)) {
                if ((spec.isIpv6() ? lab.addresses6(h) : lab.addresses(h)).contains(vip)) {
                    lab.exec(h.namespace(), "ip", "addr", "del", vip, "dev", Host.INTERFACE);
                }
            }
            lab.exec(lab.client().namespace(), "ip", "neigh", "flush", "dev", Host.INTERFACE);
        }
    }

    String report(String command) {
        StringBuilder s = new StringBuilder();
        s.append("## Failover outage, ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("\n\n")
                .append("- command: `").append(command).append("`\n")
                .append("- machine: ").append(BenchmarkRun.machine()).append('\n')
                .append("- code: ").append(BenchmarkRun.revision()).append('\n')
                .append("- method: one namespace lab; per repetition a fresh pair (priority 150 MASTER, 100 BACKUP),")
                .append(" the client sends an echo request to the virtual address every ").append(PROBE_INTERVAL.toMillis())
                .append(" ms (hping3, or for IPv6 a Python sender, each keeping its pace while replies are missing; tcpdump on the client timestamps the replies), the master's bridge port goes down right after one of its adverts reached the client (unicast: the backup)")
                .append(" (so each outage is close to the full bound instead of anywhere in the last interval of it);")
                .append(" outage = largest gap between replies.")
                .append(" Median of ").append(reps).append(" (min..max). Bound = 3 x interval + Skew_Time of the backup.\n\n");
        s.append("| adverts | protocol bound | keepalived outage | appliance outage | appliance / keepalived |\n")
                .append("| --- | --- | --- | --- | --- |\n");
        for (Case c : cases) {
            Map<NodeKind, List<Duration>> byKind = outages.getOrDefault(c, Map.of());
            List<Duration> k = byKind.getOrDefault(NodeKind.KEEPALIVED, List.of());
            List<Duration> a = byKind.getOrDefault(NodeKind.APPLIANCE, List.of());
            String ratio = k.isEmpty() || a.isEmpty() ? "-"
                    : String.format(Locale.ROOT, "%.3f", seconds(median(a)) / seconds(median(k)));
            s.append("| ").append(c.label())
                    .append(" | ").append(ProtocolTimes.seconds(c.spec().masterDownInterval()))
                    .append(" | ").append(cell(c, NodeKind.KEEPALIVED, k))
                    .append(" | ").append(cell(c, NodeKind.APPLIANCE, a))
                    .append(" | ").append(ratio).append(" |\n");
        }
        s.append("\nEvery outage, in order (s):\n\n");
        for (Case c : cases) {
            for (NodeKind kind : kinds) {
                List<Duration> all = outages.getOrDefault(c, Map.of()).getOrDefault(kind, List.of());
                s.append("- ").append(c.label()).append(", ").append(kind.label()).append(": ")
                        .append(all.stream().map(d -> String.format(Locale.ROOT, "%.3f", seconds(d)))
                                .collect(Collectors.joining(" ")))
                        .append(failedNote(c, kind)).append('\n');
            }
        }
        return s.toString();
    }

    private String cell(Case c, NodeKind kind, List<Duration> values) {
        if (!kinds.contains(kind)) {
            return "not run";
        }
        if (values.isEmpty()) {
            return "all failed";
        }
        Duration min = values.stream().min(Duration::compareTo).orElseThrow();
        Duration max = values.stream().max(Duration::compareTo).orElseThrow();
        return String.format(Locale.ROOT, "%.3f s (%.3f..%.3f)", seconds(median(values)), seconds(min), seconds(max))
                + failedNote(c, kind);
    }

    private String failedNote(Case c, NodeKind kind) {
        int failed = failures.getOrDefault(c, Map.of()).getOrDefault(kind, 0);
        return failed == 0 ? "" : " (" + failed + " failed)";
    }

    static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().collect(Collectors.toList());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
