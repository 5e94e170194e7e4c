package appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckType;
import appliance.check.HttpCheck;
import appliance.check.RealServer;
import appliance.check.TcpCheck;
import appliance.check.VirtualServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualServersConfigTest {

    /** The pinned example, with a real digest. */
    static final String PINNED = """
            virtual-servers = [
              { address = "10.97.0.100", port = 80, protocol = TCP, delay-loop = 6s, lb-algo = rr, lb-kind = DR,
                persistence-timeout = 50s, sorry-server = { address = "127.0.0.1", port = 80 },
                real-servers = [
                  { address = "10.98.0.16", port = 80, weight = 1,
                    checks = [{ type = tcp-check, connect-timeout = 5s, retry = 3, delay-before-retry = 3s, connect-port = 80 }] }
                  { address = "10.98.0.17", port = 80, weight = 1,
                    checks = [{ type = http-get, urls = [{ path = "/health", digest = "9a0364b9e99bb480dd25e1f0284c8555", status-code = 200 }],
                                connect-timeout = 3s, retry = 1, delay-before-retry = 1s },
                              { type = tcp-check, connect-port = 8080 }] }
                ] }
            ]
            """;

    static List<String> problems(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> HoconConfigReader.parse(text, "t.conf"));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void thePinnedExampleReadsIntoTheModel() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(PINNED, "t.conf");
        assertEquals(List.of(), c.vrrpInstances(), "checkers alone, as keepalived -C");
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals("[10.97.0.100]:tcp:80", vs.text());
        assertEquals(Duration.ofSeconds(6), vs.delayLoop());
        assertEquals("rr", vs.lbAlgo());
        assertEquals("DR", vs.lbKind());
        assertEquals(Optional.of(Duration.ofSeconds(50)), vs.persistenceTimeout());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 80)), vs.sorryServer());
        RealServer first = vs.realServers().get(0);
        TcpCheck tcp = (TcpCheck) first.checks().get(0);
        assertEquals(3, tcp.timing().retry());
        assertEquals(Duration.ofSeconds(6), tcp.timing().delayLoop(), "the virtual server's delay-loop");
        assertEquals(Duration.ofSeconds(6), tcp.timing().warmup(), "keepalived: warmup defaults to delay-loop");
        RealServer second = vs.realServers().get(1);
        HttpCheck http = (HttpCheck) second.checks().get(0);
        assertEquals(CheckType.HTTP_GET, http.type());
        assertEquals("/health", http.urls().get(0).path());
        assertEquals(Optional.of("9a0364b9e99bb480dd25e1f0284c8555"), http.urls().get(0).digest());
        assertTrue(http.urls().get(0).statusCodes().accepts(200));
        assertTrue(!http.urls().get(0).statusCodes().accepts(204));
        assertEquals(new InetSocketAddress("10.98.0.17", 8080), second.checks().get(1).target(), "connect-port");
        assertEquals(Duration.ofSeconds(1), second.checks().get(1).timing().delayBeforeRetry(), "TCP_CHECK's default");
        assertEquals(Duration.ofSeconds(3), CheckType.HTTP_GET.defaultDelayBeforeRetry(Duration.ofSeconds(6)));
    }

    @Test
    void everyProblemOfTheFileIsReportedWithItsPathAndLine() {
        List<String> p = problems("""
                virtual-servers = [
                  { address = "10.97.0.100", port = 80, lb-algo = roundrobin, delay-lop = 6s,
                    real-servers = [
                      { address = "10.98.0.16", checks = [{ type = bfd-check }] }
                      { address = "10.98.0.17", port = 70000, checks = [{ type = http-get }] }
                      { address = "10.98.0.18", checks = [{ type = http-get, urls = [{ path = "/", status-code = "2xx" }] }] }
                    ] }
                ]
                """);
        assertEquals(List.of(
                "t.conf:2: virtual-servers[0].delay-lop: unknown key (did you mean delay-loop?); known here: address,"
                        + " delay-loop, fwmark, group, hysteresis, inhibit-on-failure, ip-family, lb-algo, lb-kind, omega, ops,"
                        + " persistence-granularity, persistence-timeout, port, protocol, quorum, quorum-down, quorum-up,"
                        + " real-servers, scheduler-flags, smtp-alert, sorry-server, sorry-server-inhibit,"
                        + " sorry-server-lvs-method",
                "t.conf:2: virtual-servers[0].lb-algo: \"roundrobin\" is not one of [dh, fo, lblc, lblcr, lc, mh, nq,"
                        + " ovf, rr, sed, sh, wlc, wrr]",
                "t.conf:4: virtual-servers[0].real-servers[0].checks[0].type: BFD_CHECK is not supported yet (this"
                        + " appliance has ping-check, tcp-check, http-get, ssl-get, smtp-check, udp-check, dns-check,"
                        + " misc-check, file-check)",
                "t.conf:5: virtual-servers[0].real-servers[1].port: must be 0..65535, was 70000",
                "t.conf:6: virtual-servers[0].real-servers[2].checks[0].urls[0].status-code: '2xx' is not a status code"
                        + " or a range of them (e.g. 200, \"200-299\" or [200, 301])"), p);
    }

    @Test
    void miscAndFileChecksReadKeepalivedsKeysAndRefuseTheConnectionKeys() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, delay-loop = 4s, real-servers = [
                  { address = "10.98.0.16", port = 80, checks = [
                    { type = misc-check, misc-path = "/usr/local/bin/check 'two words'", misc-dynamic = true, user = nobody }
                    { type = file-check, file = "/run/maintenance", weight = 0, reverse = true } ] } ] }]
                """, "t.conf");
        List<appliance.check.CheckSpec> checks = c.virtualServers().get(0).realServers().get(0).checks();
        appliance.check.MiscCheck misc = (appliance.check.MiscCheck) checks.get(0);
        assertEquals(List.of("/usr/local/bin/check", "two words"), misc.command());
        assertEquals(Duration.ofSeconds(4), misc.miscTimeout(), "keepalived: misc-timeout defaults to delay-loop");
        assertEquals(0, misc.timing().retry(), "keepalived: MISC_CHECK's retry is 0");
        assertTrue(misc.dynamic());
        assertEquals("nobody", misc.user().orElseThrow().user());
        appliance.check.FileCheck file = (appliance.check.FileCheck) checks.get(1);
        assertEquals(java.nio.file.Path.of("/run/maintenance"), file.file());
        assertEquals(0, file.weight());
        assertTrue(file.reverse());

        List<String> p = problems("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [
                  { address = "10.98.0.16", port = 80, checks = [
                    { type = misc-check, connect-port = 81 }
                    { type = file-check, file = "maintenance" } ] } ] }]
                """);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("t.conf:3: virtual-servers[0].real-servers[0].checks[0].connect-port: unknown key"),
                p.get(0));
        assertTrue(p.get(1).contains("checks[0].misc-path: missing"), p.get(1));
        assertTrue(p.get(2).contains("checks[1].file: needs an absolute path, got \"maintenance\""), p.get(2));
    }

    @Test
    void httpProtocolAndRegexNoMatchAreRead() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = http-get, http-protocol = "1.0C", urls = [{ path = "/", regex = "error",
                  regex-no-match = true }] }] }] }]
                """, "t.conf");
        HttpCheck h = (HttpCheck) c.virtualServers().get(0).realServers().get(0).checks().get(0);
        assertEquals(HttpCheck.HttpProtocol.HTTP_1_0C, h.httpProtocol());
        assertTrue(h.urls().get(0).regex().orElseThrow().noMatch());
        List<String> p = problems("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = http-get, http-protocol = "2", urls = [{ path = "/", regex-no-match = true }] }] }] }]
                """);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("checks[0].http-protocol: http-protocol must be 1.0, 1.0C or 1.1")),
                p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("urls[0]: regex-no-match, regex-min-offset, regex-max-offset and regex-options need a regex")), p.toString());
    }

    @Test
    void keepalivedsRegexOptionsAndOffsetsAreRead() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = http-get, urls = [{ path = "/", regex = "OK", regex-options = [caseless, firstline],
                  regex-min-offset = 2, regex-max-offset = 40 }, { path = "/b", regex = "x", regex-options = "dotall multiline" }] }] }] }]
                """, "t.conf");
        HttpCheck h = (HttpCheck) c.virtualServers().get(0).realServers().get(0).checks().get(0);
        appliance.check.UrlRegex r = h.urls().get(0).regex().orElseThrow();
        assertEquals(List.of("caseless", "firstline"), r.options());
        assertEquals(2, r.minOffset());
        assertEquals(java.util.OptionalInt.of(40), r.maxOffset());
        assertTrue(r.passes("  ok"));
        assertEquals(List.of("dotall", "multiline"), h.urls().get(1).regex().orElseThrow().options());
        List<String> p = problems("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = http-get, urls = [{ path = "/", regex = "OK", regex-options = [ungreedy] },
                  { path = "/", regex = "OK", regex-min-offset = 5, regex-max-offset = 4 }, { path = "/", regex-max-offset = 4 },
                  { path = "/", regex = "OK", regex-min-offset = -1 }] }] }] }]
                """);
        assertEquals(List.of(
                "t.conf:2: virtual-servers[0].real-servers[0].checks[0].urls[0]: regex option ungreedy (PCRE2's; Java's"
                        + " regex engine has no equivalent)",
                "t.conf:3: virtual-servers[0].real-servers[0].checks[0].urls[1]: regex-max-offset 4 is below"
                        + " regex-min-offset 5",
                "t.conf:3: virtual-servers[0].real-servers[0].checks[0].urls[2]: regex-no-match, regex-min-offset,"
                        + " regex-max-offset and regex-options need a regex",
                "t.conf:4: virtual-servers[0].real-servers[0].checks[0].urls[3].regex-min-offset: must be >= 0, was -1"), p);
    }

    @Test
    void keepalivedsProcessPrioritiesAreReadForTheLoopThreads() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("global { vrrp-rt-priority = 10, checker-priority = 5 }\n" + PINNED,
                "t.conf");
        assertEquals(java.util.OptionalInt.of(10), c.priorities().vrrpRtPriority());
        assertEquals(java.util.OptionalInt.of(5), c.priorities().checkerPriority());
        assertEquals(java.util.OptionalInt.empty(), c.priorities().vrrpPriority());
        List<String> p = problems("global { vrrp-rt-priority = 0, checker-priority = -21 }\n" + PINNED);
        assertEquals(List.of("t.conf:1: global.vrrp-rt-priority: a real-time priority is 1..99, got 0",
                "t.conf:1: global.checker-priority: a nice value is -20..19, got -21"), p.stream().sorted(
                java.util.Comparator.comparing(x -> !x.contains("rt-priority"))).toList());
    }

    static final String INSTANCE = "vrrp.instances.VI_1 { interface = e0, virtual-router-id = 51,"
            + " virtual-ipaddress = [\"10.99.0.100/24\"], %s }\n";

    @Test
    void anInstanceTracksAVirtualServerOfTheCheckers() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(PINNED + INSTANCE.formatted(
                "track-virtual-server = [{ address = \"10.97.0.100\", port = 80, weight = -20 }]"), "t.conf");
        assertEquals(List.of(new appliance.vrrp.TrackedVirtualServer("[10.97.0.100]:tcp:80", -20, false)),
                c.vrrpInstances().get(0).tracking().virtualServers());
    }

    @Test
    void aTrackedVirtualServerMustBeOneOfThem() {
        List<String> p = problems(PINNED + INSTANCE.formatted(
                "track-virtual-server = [{ address = \"10.97.0.101\", port = 80 }, { address = \"10.97.0.100\","
                        + " port = 80, protocol = ICMP }]"));
        assertEquals(List.of(
                "t.conf:13: vrrp.instances.VI_1.track-virtual-server[0]: [10.97.0.101]:tcp:80 is not one of"
                        + " virtual-servers ([10.97.0.100]:tcp:80)",
                "t.conf:13: vrrp.instances.VI_1.track-virtual-server[1].protocol: must be TCP, UDP or SCTP, got \"ICMP\""),
                p);
    }

    @Test
    void aTrackedRealServerIsFoundInItsVirtualServerOrNamedWhereItIsAmbiguous() throws Exception {
        String two = "virtual-servers = [{ address = \"10.97.0.100\", port = 80, real-servers = [{ address = \"10.98.0.16\" },"
                + " { address = \"10.98.0.17\" }] }, { address = \"10.97.0.101\", port = 80, real-servers = [{ address ="
                + " \"10.98.0.16\" }] }]\n";
        ApplianceConfig c = HoconConfigReader.parse(two + INSTANCE.formatted(
                "track-real-server = [{ address = \"10.98.0.17\", port = 80, weight = -20 }, { address = \"10.98.0.16\","
                        + " port = 80, virtual-server = { address = \"10.97.0.101\", port = 80 } }]"), "t.conf");
        assertEquals(List.of(
                new appliance.vrrp.TrackedVirtualServer("[10.97.0.100]:tcp:80", Optional.of("[10.98.0.17]:tcp:80"), -20, false),
                new appliance.vrrp.TrackedVirtualServer("[10.97.0.101]:tcp:80", Optional.of("[10.98.0.16]:tcp:80"), 0, false)),
                c.vrrpInstances().get(0).tracking().virtualServers());
        assertEquals("track-real-server [10.98.0.17]:tcp:80 of VS [10.97.0.100]:tcp:80",
                c.vrrpInstances().get(0).tracking().virtualServers().get(0).description());
        List<String> p = problems(two + INSTANCE.formatted("track-real-server = [{ address = \"10.98.0.16\", port = 80 },"
                + " { address = \"10.98.0.18\", port = 80 }, { address = \"10.98.0.17\", port = 80, virtual-server ="
                + " { address = \"10.97.0.101\", port = 80 } }]"));
        assertEquals(List.of(
                "t.conf:2: vrrp.instances.VI_1.track-real-server[0]: [10.98.0.16]:80 is a real server of"
                        + " [10.97.0.100]:tcp:80, [10.97.0.101]:tcp:80: name one in virtual-server",
                "t.conf:2: vrrp.instances.VI_1.track-real-server[1]: [10.98.0.18]:80 is not a real server of any of"
                        + " virtual-servers",
                "t.conf:2: vrrp.instances.VI_1.track-real-server[2]: [10.98.0.17]:80 is not a real server of"
                        + " [10.97.0.101]:tcp:80"), p);
    }

    @Test
    void smtpHostsAreOneCheckEachAndUdpTakesHex() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ address = "10.97.0.100", port = 25, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = smtp-check, helo-name = mx.example.org,
                              hosts = [{ connect-ip = "10.98.0.17" }, { connect-port = 587 }] }
                            { type = udp-check, connect-port = 53, payload = "0a0b", require-reply = "0a" }] }] }]
                """, "t.conf");
        List<appliance.check.CheckSpec> checks = c.virtualServers().get(0).realServers().get(0).checks();
        assertEquals(3, checks.size());
        assertEquals(new InetSocketAddress("10.98.0.17", 25), checks.get(0).target());
        assertEquals(new InetSocketAddress("10.98.0.16", 587), checks.get(1).target());
        assertEquals("mx.example.org", ((appliance.check.SmtpCheck) checks.get(0)).heloName());
        appliance.check.UdpCheck udp = (appliance.check.UdpCheck) checks.get(2);
        assertTrue(udp.requireReply());
        assertEquals(null, udp.mismatch(new byte[] {0x0a, 1}, 2));
        assertEquals(List.of("t.conf:1: virtual-servers[0].real-servers[0].checks[0].payload: \"xyz\" is not a hex"
                + " string (pairs of hex digits, like 0a1b)"), problems("virtual-servers = [{ address = \"10.97.0.100\","
                + " port = 53, real-servers = [{ address = \"10.98.0.16\", checks = [{ type = udp-check, payload = xyz }] }] }]"));
    }

    @Test
    void bindIfAndFwmarkAreTheCheckSocketsLocalEndAndAHostInheritsThem() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ address = "10.97.0.100", port = 25, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = tcp-check, bind-if = eth1, fwmark = 4294967295, bind-to = "10.98.0.1" }
                            { type = smtp-check, fwmark = 7, bind-if = eth1,
                              hosts = [{ connect-ip = "10.98.0.17" }, { bind-if = eth2, fwmark = 0 }] }
                            { type = tcp-check }] }] }]
                """, "t.conf");
        List<appliance.check.CheckSpec> checks = c.virtualServers().get(0).realServers().get(0).checks();
        assertEquals(new appliance.check.LocalEnd(java.util.Optional.of(new InetSocketAddress("10.98.0.1", 0)),
                java.util.Optional.of("eth1"), 4294967295L), checks.get(0).local());
        assertEquals(new appliance.check.LocalEnd(java.util.Optional.empty(), java.util.Optional.of("eth1"), 7),
                checks.get(1).local());
        assertEquals(new appliance.check.LocalEnd(java.util.Optional.empty(), java.util.Optional.of("eth2"), 0),
                checks.get(2).local());
        assertEquals(appliance.check.LocalEnd.ANY, checks.get(3).local());
        assertTrue(!checks.get(0).equals(new TcpCheck(checks.get(0).target(), appliance.check.LocalEnd.ANY,
                checks.get(0).timing())), "a check through another device or mark is another check");

        List<String> p = problems("""
                virtual-servers = [{ address = "10.97.0.100", port = 80, real-servers = [{ address = "10.98.0.16",
                  checks = [{ type = tcp-check, bind-if = "a/b", fwmark = -1 }, { type = tcp-check, fwmark = 4294967296,
                  bind-if = "sixteen-letters!" }, { type = ping-check, fwmark = 1 }] }] }]
                """);
        assertEquals(List.of(
                "t.conf:2: virtual-servers[0].real-servers[0].checks[0].bind-if: must be an interface name of 1"
                        + " to 15 characters without '/', ':' or spaces, got \"a/b\"",
                "t.conf:2: virtual-servers[0].real-servers[0].checks[0].fwmark: must be a mark from 0 (none) to 4294967295,"
                        + " got number -1",
                "t.conf:3: virtual-servers[0].real-servers[0].checks[1].bind-if: must be an interface name of 1"
                        + " to 15 characters without '/', ':' or spaces, got \"sixteen-letters!\"",
                "t.conf:2: virtual-servers[0].real-servers[0].checks[1].fwmark: must be a mark from 0 (none) to 4294967295,"
                        + " got number 4294967296"), p.stream()
                .filter(x -> !x.contains("checks[2]")).toList());
        assertTrue(p.stream().anyMatch(x -> x.contains("checks[2]") && x.contains("fwmark")), p.toString());
    }

    @Test
    void smtpAlertDefaultsAsKeepalivedsOnARealServerOffOnAVirtualServerUnlessGlobalSaysOtherwise() throws Exception {
        String servers = "virtual-servers = [{ address = \"10.97.0.100\", port = 80, %s real-servers = [{ address ="
                + " \"10.98.0.16\" %s }] }]\n";
        String mail = "global { smtp-server = \"127.0.0.1\", notification-email = [\"ops@example.org\"] %s }\n";
        ApplianceConfig c = HoconConfigReader.parse(servers.formatted("", ""), "t.conf");
        assertTrue(c.virtualServers().get(0).realServers().get(0).smtpAlert());
        assertTrue(!c.virtualServers().get(0).smtpAlert());
        c = HoconConfigReader.parse(mail.formatted(", smtp-alert-checker = false, smtp-alert = true, no-checker-emails = true")
                + servers.formatted("", ""), "t.conf");
        assertTrue(!c.virtualServers().get(0).realServers().get(0).smtpAlert(), "smtp-alert-checker over smtp-alert");
        assertTrue(c.noCheckerEmails());
        c = HoconConfigReader.parse(mail.formatted(", smtp-alert = true") + servers.formatted("", ", smtp-alert = false"),
                "t.conf");
        assertTrue(c.virtualServers().get(0).smtpAlert(), "global smtp-alert, without smtp-alert-checker");
        assertTrue(!c.virtualServers().get(0).realServers().get(0).smtpAlert(), "its own over the global");
        assertEquals(List.of("t.conf:1: virtual-servers[0].real-servers[0].smtp-alert: needs global.smtp-server and"
                + " global.notification-email"), problems(servers.formatted("", ", smtp-alert = true")));
    }

    @Test
    void aFwmarkVirtualServerHasNoAddressOrPortAndTakesItsRealServersFamily() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                virtual-servers = [{ fwmark = 7, real-servers = [{ address = "fd00::16",
                  checks = [{ type = tcp-check, connect-port = 80 }] }] }]
                """, "t.conf");
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals(7, vs.fwmark());
        assertEquals("FWM 7", vs.text());
        assertTrue(vs.address() instanceof java.net.Inet6Address && vs.address().isAnyLocalAddress());
        assertEquals(List.of("t.conf:1: virtual-servers[0].address: a fwmark virtual server has no address: IPVS matches"
                + " the packets' mark"), problems("virtual-servers = [{ fwmark = 7, address = \"10.97.0.100\" }]"));
    }

    @Test
    void anHttpCheckNeedsUrls() {
        List<String> p = problems("""
                virtual-servers = [{ address = "10.97.0.100", port = 80,
                  real-servers = [{ address = "10.98.0.16", checks = [{ type = http-get }] }] }]
                """);
        assertEquals(List.of("t.conf:2: virtual-servers[0].real-servers[0].checks[0].urls: must be a list of one or"
                + " more URLs like [{ path = \"/health\" }]"), p);
    }
}
