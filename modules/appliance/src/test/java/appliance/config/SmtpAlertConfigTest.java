package appliance.config;

import static appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE;
import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static appliance.config.HoconConfigReaderTest.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.smtp.SmtpSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The issue's e-mail keys: global notification-email, -from, smtp-server, smtp-connect-timeout; smtp-alert. */
class SmtpAlertConfigTest {

    static final String GLOBAL = """
            global { notification-email = ["ops@example.org"], notification-email-from = "ha@node1",
                     smtp-server = "127.0.0.1:25", smtp-connect-timeout = 30s, router-id = node1 }
            """;

    @Test
    void readsTheIssuesShape() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(GLOBAL + replaceLine(ISSUE_EXAMPLE, "preempt",
                "    preempt = true\n    smtp-alert = true"), "t.conf");
        SmtpSettings s = c.smtp().orElseThrow();
        assertEquals("127.0.0.1", s.host());
        assertEquals(25, s.port());
        assertEquals("ha@node1", s.from());
        assertEquals(List.of("ops@example.org"), s.to());
        assertEquals(Duration.ofSeconds(30), s.connectTimeout());
        assertEquals("node1", s.routerId());
        assertTrue(c.vrrpInstances().get(0).notifyScripts().smtpAlert());
    }

    @Test
    void instancesFollowTheGlobalSmtpAlertUnlessTheySaySo() throws Exception {
        ApplianceConfig off = HoconConfigReader.parse(GLOBAL + ISSUE_EXAMPLE, "t.conf");
        assertFalse(off.vrrpInstances().get(0).notifyScripts().smtpAlert(), "keepalived's default: off");
        String on = GLOBAL.replace("router-id = node1", "router-id = node1, smtp-alert = true");
        assertTrue(HoconConfigReader.parse(on + ISSUE_EXAMPLE, "t.conf").vrrpInstances().get(0).notifyScripts().smtpAlert());
        assertFalse(HoconConfigReader.parse(on + replaceLine(ISSUE_EXAMPLE, "preempt", "    preempt = true\n    smtp-alert = false"),
                "t.conf").vrrpInstances().get(0).notifyScripts().smtpAlert());
    }

    @Test
    void anAlertWithNowhereToSendItAndBadAddressesAreErrors() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt", "    preempt = true\n    smtp-alert = true"));
        assertEquals("vrrp.instances.VI_1.smtp-alert", p.path());
        assertTrue(p.message().contains("needs global.smtp-server"), p.message());
        assertTrue(onlyProblem(GLOBAL.replace("ops@example.org", "ops at example") + ISSUE_EXAMPLE).message()
                .contains("is not an e-mail address"));
        assertEquals("global.smtp-server", onlyProblem(GLOBAL.replace("127.0.0.1:25", "127.0.0.1:smtp") + ISSUE_EXAMPLE).path());
    }
}
