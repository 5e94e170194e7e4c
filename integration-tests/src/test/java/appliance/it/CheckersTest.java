package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: TCP_CHECK, HTTP_GET and SSL_GET against a real nginx (a self-signed TLS site) in the
 * lab's client namespace, checked from node 1. Each check sees the server go down (stopped, then
 * black-holed so that connects time out) and up again, reports each transition once, and within
 * delay-loop + (retry + 1) x connect-timeout + retry x the wait between tries + 500 ms.
 */
@LabTest
class CheckersTest {

    static final String BODY = "healthy\n";
    static final Duration LOOP = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RETRY_WAIT = Duration.ofMillis(500);
    static final int RETRY = 1;
    static final Duration SLACK = Duration.ofMillis(500);

    @Test
    void eachCheckSeesItsServerStoppedBlackHoledAndBackOnceEachWithinTheBound() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host server = lab.client();
            NodeProcess[] nginx = {startNginx(lab, server)};
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(BODY.getBytes()));
            String timing = "connect-timeout = " + CONNECT_TIMEOUT.toMillis() + "ms, retry = " + RETRY
                    + ", delay-before-retry = " + RETRY_WAIT.toMillis() + "ms, warmup = 0s";
            Path conf = lab.newFile("checkers", "conf");
            Files.writeString(conf, "virtual-servers = [{ address = \"10.97.0.100\", port = 80, delay-loop = "
                    + LOOP.toMillis() + "ms, real-servers = [\n"
                    + "  { address = \"" + server.address() + "\", port = 80, checks = [\n"
                    + "    { type = tcp-check, " + timing + " }\n"
                    + "    { type = http-get, urls = [{ path = \"/health\", digest = \"" + digest + "\" }], " + timing + " }] }\n"
                    + "  { address = \"" + server.address() + "\", port = 443, checks = [\n"
                    + "    { type = ssl-get, urls = [{ path = \"/health\", digest = \"" + digest + "\" }],"
                    + " virtualhost = \"www.example.org\", enable-sni = true, " + timing + " }] }\n"
                    + "] }]\n");
            NodeProcess appliance = lab.own(NodeProcess.start("appliance@n1", lab.node(1).namespace(),
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString()),
                    lab.newFile("n1-appliance", "log")));
            String http = Pattern.quote("[" + server.address() + "]:tcp:80");
            String https = Pattern.quote("[" + server.address() + "]:tcp:443");
            Pattern tcpUp = Pattern.compile("TCP connection to " + http + " success");
            Pattern httpUp = Pattern.compile("Remote Web server " + http + " succeed on service");
            Pattern httpsUp = Pattern.compile("Remote Web server " + https + " succeed on service");
            Pattern tcpDown = Pattern.compile("TCP_CHECK on service " + http + " failed");
            Pattern httpDown = Pattern.compile("HTTP_CHECK on service " + http + " failed");
            Pattern httpsDown = Pattern.compile("HTTP_CHECK on service " + https + " failed");
            List<Pattern> up = List.of(tcpUp, httpUp, httpsUp);
            List<Pattern> down = List.of(tcpDown, httpDown, httpsDown);
            // The first runs: 1 s after start, and each first result is logged.
            for (Pattern p : up) {
                appliance.awaitLine(p, Duration.ofSeconds(20));
            }

            // Stopped: connections refused.
            int mark = appliance.mark();
            Instant stopped = Instant.now();
            nginx[0].close();
            awaitEach(appliance, mark, down, stopped, bound(), "stopped");
            mark = appliance.mark();
            Instant started = Instant.now();
            nginx[0] = startNginx(lab, server);
            awaitEach(appliance, mark, up, started, bound(), "started again");

            // Black-holed: connects time out.
            mark = appliance.mark();
            Instant holed = Instant.now();
            blackHole(lab, server, "tcp dport { 80, 443 }");
            awaitEach(appliance, mark, down, holed, bound(), "black-holed");
            mark = appliance.mark();
            Instant opened = Instant.now();
            unblock(lab, server);
            awaitEach(appliance, mark, up, opened, bound(), "reachable again");

            Lab.pause(Duration.ofSeconds(2));
            for (Pattern p : down) {
                assertEquals(2, count(appliance, p), p + ": once per outage\n" + appliance.tail(30));
            }
            for (Pattern p : up) {
                assertEquals(3, count(appliance, p), p + ": at start and once per recovery\n" + appliance.tail(30));
            }
            assertEquals(1, count(appliance, Pattern.compile("checked but not load-balanced")));
        }
    }

    /**
     * The issue's bound, for every transition: delay-loop + (retry + 1) x connect-timeout + retry x
     * the wait between tries + 500 ms, where HTTP with a failing URL waits the larger of
     * delay-before-retry and delay-loop.
     */
    static Duration bound() {
        Duration wait = RETRY_WAIT.compareTo(LOOP) > 0 ? RETRY_WAIT : LOOP;
        return LOOP.plus(CONNECT_TIMEOUT.multipliedBy(RETRY + 1)).plus(wait.multipliedBy(RETRY)).plus(SLACK);
    }

    static void awaitEach(NodeProcess appliance, int mark, List<Pattern> patterns, Instant since, Duration bound,
                          String what) {
        for (Pattern p : patterns) {
            NodeProcess.Line line = appliance.awaitLine(mark, p, bound.plusSeconds(5));
            Duration took = Duration.between(since, line.at());
            System.out.printf("%s: %s after %d ms (bound %d ms)%n", what, p.pattern().replace("\\Q", "").replace("\\E", ""),
                    took.toMillis(), bound.toMillis());
            assertTrue(took.compareTo(bound) <= 0, what + ": " + line.text() + " after " + took.toMillis()
                    + " ms, bound " + bound.toMillis() + " ms");
        }
    }

    /** Drops, in {@code host}'s namespace, the incoming packets that each nft {@code match} picks: connects time out. */
    static void blackHole(Lab lab, Host host, String... matches) {
        lab.exec(host.namespace(), "nft", "add", "table", "inet", "blackhole");
        lab.exec(host.namespace(), "nft", "add", "chain", "inet", "blackhole", "input",
                "{ type filter hook input priority 0 ; }");
        for (String match : matches) {
            List<String> rule = new java.util.ArrayList<>(List.of("nft", "add", "rule", "inet", "blackhole", "input"));
            rule.addAll(List.of(match.split(" (?![^{]*})")));
            rule.add("drop");
            lab.exec(host.namespace(), rule.toArray(String[]::new));
        }
    }

    static void unblock(Lab lab, Host host) {
        lab.exec(host.namespace(), "nft", "delete", "table", "inet", "blackhole");
    }

    static long count(NodeProcess p, Pattern pattern) {
        return p.lines().stream().filter(l -> pattern.matcher(l.text()).find()).count();
    }

    /** nginx on 80 and 443 (a self-signed certificate made now), answering /health with {@link #BODY}. */
    static NodeProcess startNginx(Lab lab, Host host) throws Exception {
        Path dir = lab.workDir().resolve("nginx");
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(cert)) {
            lab.exec(host.namespace(), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=www.example.org",
                    "-keyout", key.toString(), "-out", cert.toString());
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "daemon off;\nmaster_process on;\nworker_processes 1;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + dir.resolve("error.log") + ";\nevents { worker_connections 256; }\n"
                + "http {\n  access_log " + dir.resolve("access.log") + ";\n"
                + "  client_body_temp_path " + dir + "/body;\n  proxy_temp_path " + dir + "/proxy;\n"
                + "  fastcgi_temp_path " + dir + "/fastcgi;\n  uwsgi_temp_path " + dir + "/uwsgi;\n"
                + "  scgi_temp_path " + dir + "/scgi;\n"
                + "  server {\n    listen " + host.address() + ":80;\n"
                + "    listen " + host.address() + ":443 ssl;\n"
                + "    ssl_certificate " + cert + ";\n    ssl_certificate_key " + key + ";\n"
                + "    location = /health { default_type text/plain; return 200 \"" + BODY.replace("\n", "\\n") + "\"; }\n"
                + "  }\n}\n");
        NodeProcess nginx = lab.own(NodeProcess.start("nginx@" + host.name(), host.namespace(),
                List.of("nginx", "-c", conf.toString(), "-p", dir.toString()), lab.newFile("nginx", "log")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lab.execStatus(host.namespace(), "bash", "-c", "exec 3<>/dev/tcp/" + host.address() + "/80") != 0) {
            assertTrue(System.nanoTime() < deadline, () -> "nginx does not listen:\n" + nginx.tail(20));
            Thread.sleep(50);
        }
        return nginx;
    }
}
