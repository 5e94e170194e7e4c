package appliance.bench;

import appliance.lab.AdvertCapture;
import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's benchmark, one measurement: {@code --servers} real servers (addresses on the lab
 * client's loopback, all answered by one nginx with 2 workers and an ECDSA P-256 certificate),
 * each with an HTTP_GET (or SSL_GET) of /health at delay-loop 1 s and keepalived's other defaults
 * (connect-timeout 5 s, retry 1, delay-before-retry 3 s), checked from lab node 1 by the appliance
 * or by keepalived's checker ({@code keepalived -C}, which needs IPVS: in the VM). After two
 * thirds of {@code --seconds}, every tenth server starts refusing (a TCP reset, as a stopped
 * server). Measured: CPU seconds and peak RSS of the checker's process tree over the whole run,
 * each server's request-to-request period from nginx's access log (from 10 s after the start, and
 * over the whole run), the servers declared down
 * while healthy, and each refusing server's detection latency against keepalived's bound. With
 * {@code --vrrp}, the appliance also runs a VRRPv3 instance at 10 ms whose adverts node 2
 * captures: their send jitter while the checks run.
 *
 * <pre>
 * CheckersBenchmark --measure appliance|keepalived http|ssl [--servers N] [--seconds N] [--vrrp] --where TEXT --out FILE
 * </pre>
 * Each measurement appends one tab-separated line to {@code --out}; {@link CheckersReport} turns
 * the lines into the RESULTS.md section.
 */
public final class CheckersBenchmark {

    static final Duration DELAY_LOOP = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int RETRY = 1;
    static final Duration DELAY_BEFORE_RETRY = Duration.ofSeconds(3);
    /** keepalived's bound for a detection, plus the issue's 500 ms. */
    static final Duration BOUND = DELAY_LOOP.plus(CONNECT_TIMEOUT.multipliedBy(RETRY + 1))
            .plus(DELAY_BEFORE_RETRY.multipliedBy(RETRY)).plus(Duration.ofMillis(500));
    static final Duration VRRP_INTERVAL = Duration.ofMillis(10);
    static final int VRRP_RT_PRIORITY = 10;
    /** Periods are counted from here on: the first seconds are the JVM's start (class loading, JIT). */
    static final Duration STEADY_AFTER = Duration.ofSeconds(10);
    /** The line that takes a server down, in keepalived's words (ours are the same). */
    private static final Pattern FAILED = Pattern.compile("(?:HTTP|TCP)_CHECK on service \\[([0-9.]+)\\]:tcp:\\d+ failed");
    private static final long TICKS_PER_SECOND = 100;

    /** One measurement's figures, as one line of the --out file. */
    record Figures(String where, String checker, String type, int servers, int seconds, double cpuSeconds,
                   long peakKb, long requests, int serversChecked, double periodP50, double periodP99, double periodMax,
                   int wronglyDown, int refusing, int detected, double detectionP50, double detectionMax,
                   double vrrpJitterP99, long adverts, double wholeRunP99, double wholeRunMax) {

        String line() {
            return String.join("\t", where, checker, type, Integer.toString(servers), Integer.toString(seconds),
                    fmt(cpuSeconds), Long.toString(peakKb), Long.toString(requests), Integer.toString(serversChecked),
                    fmt(periodP50), fmt(periodP99), fmt(periodMax), Integer.toString(wronglyDown),
                    Integer.toString(refusing), Integer.toString(detected), fmt(detectionP50), fmt(detectionMax),
                    fmt(vrrpJitterP99), Long.toString(adverts), fmt(wholeRunP99), fmt(wholeRunMax));
        }

        static Figures parse(String line) {
            String[] f = line.split("\t");
            return new Figures(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), Double.parseDouble(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]), Integer.parseInt(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[11]), Integer.parseInt(f[12]),
                    Integer.parseInt(f[13]), Integer.parseInt(f[14]), Double.parseDouble(f[15]),
                    Double.parseDouble(f[16]), Double.parseDouble(f[17]), Long.parseLong(f[18]),
                    Double.parseDouble(f[19]), Double.parseDouble(f[20]));
        }

        private static String fmt(double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
    }

    private final String checker;
    /** http, ssl or tcp. */
    private final String type;
    private final boolean tls;
    private final int servers;
    private final Duration run;
    private final boolean vrrp;

    CheckersBenchmark(String checker, String type, int servers, Duration run, boolean vrrp) {
        this.checker = checker;
        this.type = type;
        this.tls = type.equals("ssl");
        this.servers = servers;
        this.run = run;
        this.vrrp = vrrp;
    }

    public static void main(String[] args) throws Exception {
        String checker = null;
        String type = null;
        int servers = 2000;
        int seconds = 60;
        boolean vrrp = false;
        String where = "host";
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--measure" -> {
                    checker = args[++i];
                    type = args[++i];
                }
                case "--servers" -> servers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--vrrp" -> vrrp = true;
                case "--where" -> where = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (checker == null || !Set.of("appliance", "keepalived").contains(checker) || !Set.of("http", "ssl", "tcp").contains(type)
                || out == null || servers < 10 || servers > 60_000 || seconds < 30) {
            throw new IllegalArgumentException("usage: --measure appliance|keepalived http|ssl|tcp [--servers 10..60000]"
                    + " [--seconds >= 30] [--vrrp] --where TEXT --out FILE");
        }
        if (vrrp && !checker.equals("appliance")) {
            throw new IllegalArgumentException("--vrrp measures the appliance's adverts");
        }
        Figures f = new CheckersBenchmark(checker, type, servers, Duration.ofSeconds(seconds), vrrp)
                .measure(where);
        System.out.println(f);
        Files.writeString(out, f.line() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String serverAddress(int i) {
        return "10.98." + (i / 250) + "." + (i % 250 + 1);
    }

    Figures measure(String where) throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host server = lab.client();
            Host node = lab.node(1);
            Path addresses = lab.workDir().resolve("addresses.batch");
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < servers; i++) {
                batch.append("address add ").append(serverAddress(i)).append("/32 dev lo\n");
            }
            Files.writeString(addresses, batch);
            lab.exec(server.namespace(), "ip", "-batch", addresses.toString());
            lab.exec(node.namespace(), "ip", "route", "add", "10.98.0.0/16", "via", server.address());
            Path accessLog = lab.workDir().resolve("nginx-access.log");
            NodeProcess nginx = startNginx(lab, server, accessLog);
            // A TCP_CHECK sends no request, so nginx logs nothing: its SYNs are counted instead.
            Path syns = lab.workDir().resolve("syns.log");
            NodeProcess tcpdump = type.equals("tcp") ? lab.own(NodeProcess.start("tcpdump@" + server.name(),
                    server.namespace(), List.of("sh", "-c", "exec tcpdump -n -tt -l -i " + Host.INTERFACE
                            + " 'tcp dst port 80 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' > " + syns),
                    lab.newFile("tcpdump", "log"))) : null;

            Path conf = checker.equals("appliance") ? applianceConfig(lab) : keepalivedConfig(lab);
            List<String> command = checker.equals("appliance")
                    ? List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString())
                    : List.of("keepalived", "-C", "-n", "-l", "-D", "-G", "-f", conf.toString(),
                    "-p", lab.workDir().resolve("keepalived.pid").toString(),
                    "-c", lab.workDir().resolve("keepalived-checkers.pid").toString());
            long start = System.nanoTime();
            Instant started = Instant.now();
            NodeProcess process = lab.own(NodeProcess.start(checker + "@" + node.name(), node.namespace(), command,
                    lab.newFile(node.name() + "-" + checker, "log")));
            AdvertCapture capture = null;
            if (vrrp) {
                process.awaitLine("Entering MASTER STATE", Duration.ofSeconds(30));
                capture = AdvertCapture.start(lab, lab.node(2), node, Duration.ofSeconds(10));
            }
            Duration downAt = run.multipliedBy(2).dividedBy(3);
            sleepUntil(start, downAt);
            Set<String> refusing = new HashSet<>();
            for (int i = 9; i < servers; i += 10) {
                refusing.add(serverAddress(i));
            }
            refuse(lab, server, refusing);
            Instant refusedAt = Instant.now();
            System.out.printf("%s %s: %d servers refuse from %s%n", checker, type, refusing.size(),
                    refusedAt);
            sleepUntil(start, run);
            long pid = process.pid();
            double cpu = cpuTicks(pid) / (double) TICKS_PER_SECOND;
            long peak = peakKb(pid);
            List<Instant> adverts = capture == null ? List.of() : capture.adverts();
            process.close();
            nginx.close();
            if (tcpdump != null) {
                tcpdump.close();
            }
            Lab.pause(Duration.ofMillis(500));
            String keep = System.getProperty("checkers.keep");
            if (keep != null) {
                Path dir = Files.createDirectories(Path.of(keep));
                Files.copy(accessLog, dir.resolve(checker + "-" + (type) + "-access.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.write(dir.resolve(checker + "-" + (type) + "-checker.log"),
                        process.lines().stream().map(l -> l.at() + " " + l.text()).toList());
            }

            Map<String, List<Double>> requests = tcpdump != null ? readSyns(syns) : readAccessLog(accessLog);
            List<Double> periods = new ArrayList<>();
            List<Double> wholeRun = new ArrayList<>();
            long total = 0;
            double refusedEpoch = refusedAt.getEpochSecond() + refusedAt.getNano() / 1e9;
            double steadyEpoch = started.getEpochSecond() + started.getNano() / 1e9 + STEADY_AFTER.toSeconds();
            for (Map.Entry<String, List<Double>> e : requests.entrySet()) {
                List<Double> times = e.getValue();
                total += times.size();
                for (int i = 1; i < times.size(); i++) {
                    if (!refusing.contains(e.getKey()) || times.get(i) < refusedEpoch) {
                        wholeRun.add(times.get(i) - times.get(i - 1));
                        if (times.get(i - 1) >= steadyEpoch) {
                            periods.add(times.get(i) - times.get(i - 1));
                        }
                    }
                }
            }
            Collections.sort(periods);
            Collections.sort(wholeRun);
            Set<String> wrong = new HashSet<>();
            Map<String, Double> detection = new HashMap<>();
            for (NodeProcess.Line line : process.lines()) {
                Matcher m = FAILED.matcher(line.text());
                if (!m.find()) {
                    continue;
                }
                String address = m.group(1);
                if (line.at().isBefore(refusedAt) || !refusing.contains(address)) {
                    wrong.add(address);
                } else {
                    detection.putIfAbsent(address, Duration.between(refusedAt, line.at()).toNanos() / 1e9);
                }
            }
            List<Double> detections = new ArrayList<>(detection.values());
            Collections.sort(detections);
            return new Figures(where, checker, type, servers, (int) run.toSeconds(), cpu, peak, total,
                    requests.size(), percentile(periods, 50), percentile(periods, 99),
                    periods.isEmpty() ? Double.NaN : periods.get(periods.size() - 1), wrong.size(), refusing.size(),
                    detections.size(), percentile(detections, 50),
                    detections.isEmpty() ? Double.NaN : detections.get(detections.size() - 1),
                    jitterP99(adverts, started.plusSeconds(5)), adverts.size(), percentile(wholeRun, 99),
                    wholeRun.isEmpty() ? Double.NaN : wholeRun.get(wholeRun.size() - 1));
        }
    }

    private NodeProcess startNginx(Lab lab, Host server, Path accessLog) throws Exception {
        Path dir = lab.workDir().resolve("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        lab.exec(server.namespace(), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=checkers.bench", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString());
        Path conf = dir.resolve("nginx.conf");
        String tmp = dir.resolve("tmp").toString();
        Files.writeString(conf, String.join("\n",
                "worker_processes 2;",
                "worker_rlimit_nofile 65536;",
                "daemon off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 16384; }",
                "http {",
                "  log_format bench '$msec $server_addr $status';",
                "  access_log " + accessLog + " bench buffer=256k flush=1s;",
                "  client_body_temp_path " + tmp + "/body;",
                "  proxy_temp_path " + tmp + "/proxy;",
                "  fastcgi_temp_path " + tmp + "/fastcgi;",
                "  uwsgi_temp_path " + tmp + "/uwsgi;",
                "  scgi_temp_path " + tmp + "/scgi;",
                "  ssl_session_cache shared:SSL:32m;",
                "  server {",
                "    listen 80 backlog=4096;",
                "    listen 443 ssl backlog=4096;",
                "    ssl_certificate " + cert + ";",
                "    ssl_certificate_key " + key + ";",
                "    location = /health { return 200 \"ok\\n\"; }",
                "  }",
                "}", ""));
        NodeProcess nginx = lab.own(NodeProcess.start("nginx@" + server.name(), server.namespace(),
                List.of("nginx", "-c", conf.toString(), "-p", dir.toString()), lab.newFile("nginx", "log")));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lab.execStatus(server.namespace(), "bash", "-c", "exec 3<>/dev/tcp/" + serverAddress(0) + "/443") != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx does not listen:\n" + nginx.tail(20)
                        + Files.readString(dir.resolve("error.log")));
            }
            Lab.pause(Duration.ofMillis(100));
        }
        return nginx;
    }

    private Path applianceConfig(Lab lab) throws IOException {
        StringBuilder c = new StringBuilder();
        if (vrrp) {
            // keepalived's vrrp_rt_priority: what a keepalived user with 10 ms adverts on a busy machine sets.
            c.append("global { vrrp-rt-priority = ").append(VRRP_RT_PRIORITY).append(" }\n");
            c.append("vrrp.instances.VI_1 { interface = e0, virtual-router-id = 51, priority = 255, version = 3,"
                    + " advert-interval = ").append(VRRP_INTERVAL.toMillis()).append("ms, virtual-ipaddress = [\"")
                    .append(Lab.SUBNET).append("100/24\"] }\n");
        }
        c.append("virtual-servers = [{ address = \"10.97.0.100\", port = ").append(tls ? 443 : 80)
                .append(", delay-loop = ").append(DELAY_LOOP.toMillis()).append("ms, lb-algo = rr, lb-kind = DR,")
                .append(" real-servers = [\n");
        for (int i = 0; i < servers; i++) {
            c.append("  { address = \"").append(serverAddress(i)).append("\", checks = [{ type = ")
                    .append(type.equals("tcp") ? "tcp-check" : (tls ? "ssl-get" : "http-get")
                            + ", urls = [{ path = \"/health\", status-code = 200 }]").append(" }] }\n");
        }
        c.append("] }]\n");
        Path conf = lab.newFile("checkers", "conf");
        Files.writeString(conf, c);
        return conf;
    }

    private Path keepalivedConfig(Lab lab) throws IOException {
        StringBuilder c = new StringBuilder("global_defs {\n  router_id bench\n}\n");
        c.append("virtual_server 10.97.0.100 ").append(tls ? 443 : 80).append(" {\n  delay_loop ")
                .append(DELAY_LOOP.toSeconds()).append("\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n");
        for (int i = 0; i < servers; i++) {
            c.append("  real_server ").append(serverAddress(i)).append(' ').append(tls ? 443 : 80).append(" {\n    ");
            if (type.equals("tcp")) {
                c.append("TCP_CHECK {\n    }\n  }\n");
            } else {
                c.append(tls ? "SSL_GET" : "HTTP_GET").append(" {\n      url {\n        path /health\n")
                        .append("        status_code 200\n      }\n    }\n  }\n");
            }
        }
        c.append("}\n");
        Path conf = lab.newFile("keepalived-checkers", "conf");
        Files.writeString(conf, c);
        return conf;
    }

    /** From now on, {@code addresses} answer connections to 80 and 443 with a reset, as a stopped server. */
    private static void refuse(Lab lab, Host server, Set<String> addresses) throws IOException {
        Path rules = lab.workDir().resolve("refuse.nft");
        Files.writeString(rules, "table inet bench {\n  set down { type ipv4_addr; elements = { "
                + String.join(", ", addresses) + " } }\n  chain input { type filter hook input priority 0;"
                + " ip daddr @down tcp dport { 80, 443 } reject with tcp reset; }\n}\n");
        lab.exec(server.namespace(), "nft", "-f", rules.toString());
    }

    /** By server address, the times (epoch seconds) tcpdump saw connections opened to it, in order. */
    private static Map<String, List<Double>> readSyns(Path log) throws IOException {
        Pattern syn = Pattern.compile("^(\\d+\\.\\d+) IP [0-9.]+ > ([0-9.]+)\\.80: Flags \\[S\\]");
        Map<String, List<Double>> byServer = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = syn.matcher(line);
            if (m.find()) {
                byServer.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(Double.parseDouble(m.group(1)));
            }
        }
        byServer.values().forEach(Collections::sort);
        return byServer;
    }

    /** By server address, the times (epoch seconds) nginx logged its requests, in order. */
    private static Map<String, List<Double>> readAccessLog(Path log) throws IOException {
        Map<String, List<Double>> byServer = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[2].equals("200")) {
                byServer.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[0]));
            }
        }
        byServer.values().forEach(Collections::sort);
        return byServer;
    }

    /** The 99th percentile of |interval − 10 ms| between consecutive adverts after {@code from}, in ms. */
    static double jitterP99(List<Instant> adverts, Instant from) {
        List<Double> jitter = new ArrayList<>();
        for (int i = 1; i < adverts.size(); i++) {
            if (adverts.get(i - 1).isAfter(from)) {
                double interval = Duration.between(adverts.get(i - 1), adverts.get(i)).toNanos() / 1e6;
                jitter.add(Math.abs(interval - VRRP_INTERVAL.toMillis()));
            }
        }
        Collections.sort(jitter);
        return percentile(jitter, 99);
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void sleepUntil(long startNanos, Duration after) {
        long wait = startNanos + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            Lab.pause(Duration.ofNanos(wait));
        }
    }

    /** The tree's CPU: live processes' own time plus what they reaped of their children. */
    static long cpuTicks(long root) {
        return TrackedScriptsBenchmark.cpuTicks(root, false);
    }

    static long peakKb(long root) {
        return TrackedScriptsBenchmark.peakKb(root);
    }
}
