package appliance.config;

import static appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE;
import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static appliance.config.HoconConfigReaderTest.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.script.ScriptUser;
import appliance.vrrp.TrackedScript;
import appliance.vrrp.VrrpGlobals;
import appliance.vrrp.VrrpScript;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The issue's vrrp.scripts, track-script and the global script keys. */
class TrackScriptConfigTest {

    static final String SCRIPTS = """
            global { enable-script-security = true, script-user = "nobody" }
            vrrp.scripts {
              check_server { script = "/usr/local/bin/check.sh", interval = 2s, timeout = 1s,
                             weight = -20, rise = 1, fall = 1, user = "nobody" }
              other { script = "/usr/local/bin/other.sh arg1 'two words'" }
            }
            """;

    static String withTrack(String track) {
        return SCRIPTS + replaceLine(ISSUE_EXAMPLE, "preempt", "    preempt = true\n    track-script = " + track);
    }

    @Test
    void readsTheIssuesShapeWithKeepalivedsDefaults() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(withTrack("[check_server, { name = other, weight = 10 }]"), "t.conf");
        VrrpGlobals g = c.vrrpGlobals();
        assertTrue(g.enableScriptSecurity());
        assertEquals(Optional.of(new ScriptUser("nobody", Optional.empty())), g.scriptUser());
        assertEquals(new VrrpScript("check_server", "/usr/local/bin/check.sh", Duration.ofSeconds(2),
                Optional.of(Duration.ofSeconds(1)), -20, false, 1, 1, Optional.of(ScriptUser.parse("nobody")), false),
                g.scripts().get("check_server"));
        VrrpScript other = g.scripts().get("other");
        assertEquals(Duration.ofSeconds(1), other.interval());
        assertEquals(Duration.ofSeconds(1), other.effectiveTimeout(), "keepalived: the timeout defaults to the interval");
        assertEquals(0, other.weight());
        assertEquals(List.of("/usr/local/bin/other.sh", "arg1", "two words"), other.arguments());
        assertEquals(List.of(TrackedScript.named("check_server"), new TrackedScript("other", Optional.of(10), false)),
                c.vrrpInstances().get(0).tracking().scripts());
    }

    @Test
    void aTrackScriptNamingNoScriptIsAnErrorWithTheNearestName() {
        ConfigProblem p = onlyProblem(withTrack("[check_servr]"));
        assertEquals("vrrp.instances.VI_1.track-script[0]", p.path());
        assertTrue(p.message().contains("names no script") && p.message().contains("did you mean check_server"), p.message());
        assertTrue(p.line() > 0);
    }

    @Test
    void badScriptKeysAreEachReportedWhereTheyAre() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
                HoconConfigReader.parse("vrrp.scripts { a { script = \"/x\", weight = 300, fall = 0, intervall = 2s }\n"
                        + " b { interval = 1s } }\n" + ISSUE_EXAMPLE, "t.conf"));
        List<String> paths = e.problems().stream().map(ConfigProblem::path).sorted().toList();
        assertEquals(List.of("vrrp.scripts.a.fall", "vrrp.scripts.a.intervall", "vrrp.scripts.a.weight",
                "vrrp.scripts.b.script"), paths, e.getMessage());
        assertTrue(e.getMessage().contains("did you mean interval"), e.getMessage());
    }

    @Test
    void readsTrackProcessWithKeepalivedsDefaultsAndDelay() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse("""
                vrrp.processes { haproxy { process = "haproxy", quorum = 1, weight = -30, delay = 1s } }
                """ + replaceLine(ISSUE_EXAMPLE, "preempt", "    preempt = true\n    track-process = [haproxy]"), "t.conf");
        appliance.vrrp.VrrpProcess p = c.vrrpGlobals().processes().get("haproxy");
        assertEquals(new appliance.vrrp.VrrpProcess("haproxy", "haproxy", Optional.empty(), false, 1, Integer.MAX_VALUE,
                -30, false, Duration.ofSeconds(1), Duration.ofSeconds(1)), p);
        assertEquals(List.of(appliance.vrrp.TrackedProcess.named("haproxy")), c.vrrpInstances().get(0).tracking().processes());
        ConfigProblem problem = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt", "    preempt = true\n    track-process = [nginx]"));
        assertEquals("vrrp.instances.VI_1.track-process[0]", problem.path());
        assertEquals("vrrp.processes.x.param-match", onlyProblem(
                "vrrp.processes { x { process = a, param-match = some } }\n" + ISSUE_EXAMPLE).path());
    }

    @Test
    void reverseNeedsAWeightAndGlobalKeysAreTyped() {
        assertEquals("vrrp.instances.VI_1.track-script[0]",
                onlyProblem(withTrack("[{ name = other, reverse = true }]")).path());
        assertEquals("global.enable-script-security",
                onlyProblem("global { enable-script-security = yes please }\n" + ISSUE_EXAMPLE).path());
        assertEquals("global.script-user", onlyProblem("global { script-user = \"a b c\" }\n" + ISSUE_EXAMPLE).path());
    }
}
