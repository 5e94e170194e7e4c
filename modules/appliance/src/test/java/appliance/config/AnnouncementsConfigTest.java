package appliance.config;

import static appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE;
import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static appliance.config.HoconConfigReaderTest.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.vrrp.Announcements;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** keepalived's garp_* and gna_* keywords in HOCON: read, defaulted as keepalived, and checked. */
class AnnouncementsConfigTest {

    static String with(String lines) {
        return replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n" + lines);
    }

    @Test
    void readsEveryKey() throws Exception {
        Announcements a = HoconConfigReader.parse(with("""
                    garp-master-delay = 10s
                    garp-master-repeat = 3
                    garp-master-refresh = 5s
                    garp-master-refresh-repeat = 2
                    garp-lower-prio-delay = 7s
                    garp-lower-prio-repeat = 0
                    garp-interval = 10ms
                    gna-interval = 1500us
                """), "test.conf").vrrpInstances().get(0).announcements();
        assertEquals(new Announcements(Duration.ofSeconds(10), 3, Duration.ofSeconds(5), 2, Duration.ofSeconds(7), 0,
                Duration.ofMillis(10), Duration.ofNanos(1_500_000)), a);
    }

    @Test
    void missingKeysTakeKeepalivedsDefaults() throws Exception {
        assertEquals(Announcements.DEFAULTS,
                HoconConfigReader.parse(ISSUE_EXAMPLE, "test.conf").vrrpInstances().get(0).announcements());
    }

    @Test
    void eachBadValueIsReportedWithItsKey() {
        ConfigProblem p = onlyProblem(with("    garp-master-refresh-repeat = 0\n"));
        assertEquals("vrrp.instances.VI_1.garp-master-refresh-repeat", p.path());
        assertTrue(p.message().contains("must be 1..255"), p.message());
        p = onlyProblem(with("    garp-interval = 2s\n"));
        assertEquals("vrrp.instances.VI_1.garp-interval", p.path());
        assertTrue(p.message().contains("0s..1s"), p.message());
        p = onlyProblem(with("    garp-master-refresh = 5\n"));
        assertTrue(p.message().contains("needs a unit"), p.message());
    }
}
