package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: SMTP_CHECK against a real OpenSMTPD, UDP_CHECK (require-reply) against a UDP echo and
 * DNS_CHECK against dnsmasq, all in the lab's client namespace: each sees its server stopped,
 * back, black-holed and back,
 * once each, within delay-loop + (retry + 1) x connect-timeout + retry x delay-before-retry + 500 ms.
 */
@LabTest
class ServiceCheckersTest {

    static final Duration LOOP = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RETRY_WAIT = Duration.ofMillis(500);
    static final int RETRY = 1;
    static final Duration BOUND = LOOP.plus(CONNECT_TIMEOUT.multipliedBy(RETRY + 1)).plus(RETRY_WAIT.multipliedBy(RETRY))
            .plus(Duration.ofMillis(500));
    static final int UDP_PORT = 5353;

    @Test
    void smtpUdpAndDnsChecksFollowTheirServersOnceEachWithinTheBound() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host server = lab.client();
            NodeProcess[] smtpd = {startSmtpd(lab, server)};
            NodeProcess[] echo = {startEcho(lab, server)};
            NodeProcess[] dns = {startDnsmasq(lab, server)};
            String timing = "connect-timeout = " + CONNECT_TIMEOUT.toMillis() + "ms, retry = " + RETRY
                    + ", delay-before-retry = " + RETRY_WAIT.toMillis() + "ms, warmup = 0s";
            Path conf = lab.newFile("checkers", "conf");
            Files.writeString(conf, "virtual-servers = [\n"
                    + "  { address = \"10.97.0.100\", port = 25, delay-loop = " + LOOP.toMillis() + "ms, real-servers = [\n"
                    + "    { address = \"" + server.address() + "\", checks = [{ type = smtp-check, helo-name = checker.example.org, "
                    + timing + " }] }] }\n"
                    + "  { address = \"10.97.0.100\", port = " + UDP_PORT + ", protocol = UDP, delay-loop = " + LOOP.toMillis()
                    + "ms, real-servers = [\n"
                    + "    { address = \"" + server.address() + "\", checks = [{ type = udp-check, payload = \""
                    + HexFormat.of().formatHex("ping".getBytes()) + "\", require-reply = \""
                    + HexFormat.of().formatHex("ok:ping".getBytes()) + "\", " + timing + " }] }] }\n"
                    + "  { address = \"10.97.0.100\", port = 53, protocol = UDP, delay-loop = " + LOOP.toMillis()
                    + "ms, real-servers = [\n"
                    + "    { address = \"" + server.address() + "\", checks = [{ type = dns-check, type-of-query = A,"
                    + " name = www.example.org, delay-before-retry = " + RETRY_WAIT.toMillis() + "ms, " + timing + " }] }] }\n"
                    + "]\n");
            NodeProcess appliance = lab.own(NodeProcess.start("appliance@n1", lab.node(1).namespace(),
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString()),
                    lab.newFile("n1-appliance", "log")));
            Pattern smtpUp = Pattern.compile(Pattern.quote("Remote SMTP server [" + server.address() + "]:tcp:25 succeed"));
            Pattern smtpDown = Pattern.compile(Pattern.quote("SMTP_CHECK on service [" + server.address() + "]:tcp:25 failed"));
            Pattern udpUp = Pattern.compile(Pattern.quote("UDP connection to [" + server.address() + "]:udp:" + UDP_PORT + " success"));
            Pattern udpDown = Pattern.compile(Pattern.quote("UDP_CHECK on service [" + server.address() + "]:udp:" + UDP_PORT + " failed"));
            Pattern dnsUp = Pattern.compile(Pattern.quote("DNS_CHECK ([" + server.address() + "]:udp:53) succeed"));
            Pattern dnsDown = Pattern.compile(Pattern.quote("DNS_CHECK on service [" + server.address() + "]:udp:53 failed"));
            List<Pattern> up = List.of(smtpUp, udpUp, dnsUp);
            List<Pattern> down = List.of(smtpDown, udpDown, dnsDown);
            for (Pattern p : up) {
                appliance.awaitLine(p, Duration.ofSeconds(20));
            }

            int mark = appliance.mark();
            Instant stopped = Instant.now();
            smtpd[0].close();
            echo[0].close();
            dns[0].close();
            CheckersTest.awaitEach(appliance, mark, down, stopped, BOUND, "stopped");
            mark = appliance.mark();
            Instant started = Instant.now();
            smtpd[0] = startSmtpd(lab, server);
            echo[0] = startEcho(lab, server);
            dns[0] = startDnsmasq(lab, server);
            CheckersTest.awaitEach(appliance, mark, up, started, BOUND.plus(Duration.ofSeconds(1)), "started again");

            mark = appliance.mark();
            Instant holed = Instant.now();
            CheckersTest.blackHole(lab, server, "tcp dport 25", "udp dport { " + UDP_PORT + ", 53 }");
            CheckersTest.awaitEach(appliance, mark, down, holed, BOUND, "black-holed");
            mark = appliance.mark();
            Instant opened = Instant.now();
            CheckersTest.unblock(lab, server);
            CheckersTest.awaitEach(appliance, mark, up, opened, BOUND, "reachable again");

            Lab.pause(Duration.ofSeconds(2));
            for (Pattern p : down) {
                assertEquals(2, CheckersTest.count(appliance, p), p + "\n" + appliance.tail(30));
            }
            for (Pattern p : up) {
                assertEquals(3, CheckersTest.count(appliance, p), p + "\n" + appliance.tail(30));
            }
        }
    }

    static NodeProcess startSmtpd(Lab lab, Host host) throws Exception {
        Path conf = lab.workDir().resolve("smtpd.conf");
        Files.writeString(conf, "listen on " + host.address() + " port 25\nmatch from any for any reject\n");
        NodeProcess smtpd = lab.own(NodeProcess.start("smtpd@" + host.name(), host.namespace(),
                List.of("smtpd", "-d", "-f", conf.toString()), lab.newFile("smtpd", "log")));
        awaitPort(lab, host, "tcp", 25, smtpd);
        return smtpd;
    }

    /** dnsmasq answering for example.org from its own data, no upstream, no files of the host. */
    static NodeProcess startDnsmasq(Lab lab, Host host) throws Exception {
        NodeProcess dns = lab.own(NodeProcess.start("dnsmasq@" + host.name(), host.namespace(),
                List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--user=root",
                        "--bind-interfaces", "--listen-address=" + host.address(), "--port=53",
                        "--pid-file=" + lab.workDir().resolve("dnsmasq.pid"), "--address=/example.org/10.99.0.50"),
                lab.newFile("dnsmasq", "log")));
        awaitPort(lab, host, "tcp", 53, dns);
        return dns;
    }

    static NodeProcess startEcho(Lab lab, Host host) throws Exception {
        Path source;
        try {
            source = Path.of(ServiceCheckersTest.class.getResource("/UdpEcho.java").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        NodeProcess echo = lab.own(NodeProcess.start("udp-echo@" + host.name(), host.namespace(),
                List.of(java, source.toString(), host.address(), Integer.toString(UDP_PORT)), lab.newFile("udp-echo", "log")));
        echo.awaitLine("listening", Duration.ofSeconds(20));
        return echo;
    }

    static void awaitPort(Lab lab, Host host, String protocol, int port, NodeProcess process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lab.execStatus(host.namespace(), "bash", "-c", "exec 3<>/dev/" + protocol + "/" + host.address() + "/" + port) != 0) {
            assertTrue(System.nanoTime() < deadline, () -> process.name() + " does not listen:\n" + process.tail(20));
            Thread.sleep(50);
        }
    }
}
