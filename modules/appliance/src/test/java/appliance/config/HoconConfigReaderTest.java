package appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpVersion;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.VrrpState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class HoconConfigReaderTest {

    public static final String ISSUE_EXAMPLE = """
            vrrp.instances {
              VI_1 {
                interface = e0
                virtual-router-id = 51
                priority = 150
                version = 3              # 2 or 3
                advert-interval = 1s     # HOCON duration; v3 allows 10ms steps
                state = BACKUP           # initial state, MASTER or BACKUP
                preempt = true
                virtual-ipaddress = ["10.99.0.100/24"]
              }
            }
            """;

    static String replaceLine(String text, String startsWith, String replacement) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append(line.strip().startsWith(startsWith) ? replacement : line).append('\n');
        }
        return b.toString();
    }

    static ConfigProblem onlyProblem(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> HoconConfigReader.parse(text, "test.conf"));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void readsTheIssuesExampleIntoTheTypedModel() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(ISSUE_EXAMPLE, "test.conf");
        assertEquals(List.of(VirtualRouterConfig.of("VI_1", "e0", 51, 150, VrrpVersion.V3, Duration.ofSeconds(1),
                VrrpState.BACKUP, true, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")))),
                c.vrrpInstances());
    }

    @Test
    void readsVersion2WithPasswordAndKeepalivedDefaults() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                vrrp.instances.VI_2 {
                  interface = eth1
                  virtual-router-id = 7
                  authentication { type = PASS, password = "1111" }
                  virtual-ipaddress = ["192.0.2.10/24", "192.0.2.11"]
                }
                """, "t.conf");
        VirtualRouterConfig v = c.vrrpInstances().get(0);
        assertEquals(VrrpVersion.V2, v.version());
        assertEquals(100, v.priority());
        assertEquals(Duration.ofSeconds(1), v.advertInterval());
        assertEquals(Optional.of("1111"), v.authPassword());
        assertEquals(32, v.virtualAddresses().get(1).prefixLength());
        assertTrue(v.preempt());
    }

    @Test
    void tenMillisecondIntervalIsAcceptedForVersion3() throws Exception {
        String text = replaceLine(ISSUE_EXAMPLE, "advert-interval", "advert-interval = 10ms");
        assertEquals(Duration.ofMillis(10), HoconConfigReader.parse(text, "t").vrrpInstances().get(0).advertInterval());
    }

    @Test
    void outOfRangePriorityNamesFileLineAndKey() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "priority", "    priority = 300"));
        assertEquals("test.conf", p.file());
        assertEquals(5, p.line());
        assertEquals("vrrp.instances.VI_1.priority", p.path());
        assertTrue(p.message().contains("1..255"), p.message());
        assertTrue(p.toString().startsWith("test.conf:5: vrrp.instances.VI_1.priority: "), p.toString());
    }

    @Test
    void vridOutOfRangeIsReported() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-router-id", "virtual-router-id = 256"));
        assertEquals("vrrp.instances.VI_1.virtual-router-id", p.path());
        assertEquals(4, p.line());
    }

    @Test
    void missingInterfaceIsReportedAtTheInstance() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "interface", ""));
        assertEquals("vrrp.instances.VI_1.interface", p.path());
        assertEquals("missing", p.message());
        assertEquals(2, p.line());
    }

    @Test
    void wrongTypeIsReported() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "priority", "priority = high"));
        assertTrue(p.message().startsWith("must be a whole number"), p.message());
    }

    @Test
    void subTenMillisecondStepsAreRejectedForVersion3() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "advert-interval", "advert-interval = 15ms"));
        assertEquals("vrrp.instances.VI_1.advert-interval", p.path());
        assertTrue(p.message().contains("steps of 10ms"), p.message());
    }

    @Test
    void fractionalSecondsAreRejectedForVersion2() {
        String text = replaceLine(replaceLine(ISSUE_EXAMPLE, "version", "version = 2"), "advert-interval",
                "advert-interval = 500ms");
        assertTrue(onlyProblem(text).message().contains("whole seconds"));
    }

    @Test
    void bareNumberIntervalIsRefusedRatherThanReadAsMilliseconds() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "advert-interval", "advert-interval = 1"));
        assertTrue(p.message().contains("needs a unit"), p.message());
    }

    @Test
    void passwordOverEightCharactersIsRejected() {
        String text = replaceLine(replaceLine(ISSUE_EXAMPLE, "version", "version = 2"), "preempt",
                "preempt = true\n authentication { type = PASS, password = \"123456789\" }");
        ConfigProblem p = onlyProblem(text);
        assertEquals("vrrp.instances.VI_1.authentication.password", p.path());
        assertTrue(p.message().contains("1..8"), p.message());
    }

    @Test
    void authenticationWithVersion3IsRejected() {
        String text = replaceLine(ISSUE_EXAMPLE, "preempt", "preempt = true\n authentication { type = PASS, password = \"1111\" }");
        assertTrue(onlyProblem(text).message().contains("only defined for version 2"));
    }

    @Test
    void unknownKeyIsReportedWithTheNearestKnownOne() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "priority", "priorty = 150"));
        assertEquals("vrrp.instances.VI_1.priorty", p.path());
        assertTrue(p.message().contains("did you mean priority?"), p.message());
    }

    @Test
    void badVirtualAddressNamesTheListEntry() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress",
                "virtual-ipaddress = [\"10.99.0.100/24\", \"10.99.0.300/24\"]"));
        assertEquals("vrrp.instances.VI_1.virtual-ipaddress[1]", p.path());
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        String text = replaceLine(replaceLine(ISSUE_EXAMPLE, "priority", "priority = 0"), "virtual-router-id",
                "virtual-router-id = 0");
        ConfigException e = assertThrows(ConfigException.class, () -> HoconConfigReader.parse(text, "t"));
        assertEquals(2, e.problems().size());
    }

    @Test
    void duplicateVridOnOneInterfaceIsRejected() {
        String text = """
                vrrp.instances {
                  A { interface = e0, virtual-router-id = 5, virtual-ipaddress = ["10.0.0.1/24"] }
                  B { interface = e0, virtual-router-id = 5, virtual-ipaddress = ["10.0.0.2/24"] }
                }
                """;
        ConfigProblem p = onlyProblem(text);
        assertTrue(p.message().contains("already used by instance A"), p.message());
        assertEquals(3, p.line());
    }

    @Test
    void syntaxErrorIsReportedWithItsLine() {
        ConfigProblem p = onlyProblem("vrrp.instances {\n VI_1 {\n priority = = 3\n }\n}\n");
        assertEquals(3, p.line());
    }

    @Test
    void emptyConfigurationIsRejected() {
        assertTrue(onlyProblem("").message().contains("no VRRP instance"));
    }

    @Test
    void missingFileIsReported() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HoconConfigReader.read(java.nio.file.Path.of("/nonexistent/appliance.conf")));
        assertEquals("/nonexistent/appliance.conf: no such file", e.problems().get(0).toString());
    }

    @Test
    void shippedConfigurationIsValid() throws Exception {
        java.nio.file.Path shipped = java.nio.file.Path.of("../../conf/appliance.conf");
        assertEquals(1, HoconConfigReader.read(shipped).vrrpInstances().size());
    }
}
