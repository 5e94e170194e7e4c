package appliance.config.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.config.ConfigProblem;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived.conf's text layer: comments, quotes, braces, continuation, includes, parameters, @id lines. */
class KeepalivedTextTest {

    @TempDir
    Path dir;

    static final String INSTANCE_BODY = "interface e0\n virtual_router_id 51\n virtual_ipaddress { 10.99.0.100/24 }\n";

    KeepalivedConfigReader.Translation translate(String text) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return KeepalivedConfigReader.translate(f, "node1", Map.of("VIP_IF", "e7")::get);
    }

    static String errors(KeepalivedConfigReader.Translation t) {
        return t.errors().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }

    Config ok(String text) throws Exception {
        KeepalivedConfigReader.Translation t = translate(text);
        assertEquals("", errors(t));
        return t.hocon();
    }

    @Test
    void commentsQuotesAndBracesAsKeepalivedReadsThem() throws Exception {
        Config c = ok("! a comment\n# another\nvrrp_instance VI_1 {   # trailing\n interface e0 ! trailing too\n"
                + " virtual_router_id 51\n virtual_ipaddress { 10.99.0.100/24 }\n"
                + " notify_master \"/bin/notify # not a comment { nor a brace\"\n}\n");
        assertEquals("e0", c.getString("vrrp.instances.VI_1.interface"));
        assertEquals(List.of("10.99.0.100/24"), c.getStringList("vrrp.instances.VI_1.virtual-ipaddress"));
        assertEquals("/bin/notify # not a comment { nor a brace", c.getString("vrrp.instances.VI_1.notify-master"));
    }

    @Test
    void aBraceOnTheNextLineOpensTheBlockOfTheLineBefore() throws Exception {
        Config c = ok("vrrp_instance VI_1\n{\n interface e0\n virtual_router_id 51\n virtual_ipaddress\n {\n"
                + "  10.99.0.100/24\n }\n}\n");
        assertEquals(List.of("10.99.0.100/24"), c.getStringList("vrrp.instances.VI_1.virtual-ipaddress"));
    }

    @Test
    void aTrailingBackslashContinuesTheLine() throws Exception {
        Config c = ok("vrrp_instance VI_1 {\n interface \\\n   e0\n virtual_router_id 51\n"
                + " virtual_ipaddress { 10.99.0.100/24 }\n}\n");
        assertEquals("e0", c.getString("vrrp.instances.VI_1.interface"));
    }

    @Test
    void parametersAreSubstitutedAndAnUndefinedOneIsAnError() throws Exception {
        Config c = ok("$IF=e0\n$VRID=51\nvrrp_instance VI_1 {\n interface $IF\n virtual_router_id ${VRID}\n"
                + " virtual_ipaddress { 10.99.0.${VRID}/24 }\n track_interface { ${_ENV VIP_IF} }\n"
                + " notify \"/bin/n $IF/y\"\n}\n");
        // keepalived replaces $NAME only before a blank, a comma, a ")" or the line's end
        assertEquals("/bin/n $IF/y", c.getString("vrrp.instances.VI_1.notify"));
        assertEquals("e0", c.getString("vrrp.instances.VI_1.interface"));
        assertEquals(51, c.getInt("vrrp.instances.VI_1.virtual-router-id"));
        assertEquals(List.of("10.99.0.51/24"), c.getStringList("vrrp.instances.VI_1.virtual-ipaddress"));
        assertEquals(List.of("e7"), c.getStringList("vrrp.instances.VI_1.track-interface"));
        KeepalivedConfigReader.Translation t = translate("$VRID=51\nvrrp_instance VI_1 {\n interface e0\n"
                + " virtual_router_id $VRD\n}\n");
        assertEquals(dir.resolve("keepalived.conf") + ":4: $VRD is not defined (define it first: $VRD=value); did you"
                + " mean $VRID?", errors(t));
        assertEquals(dir.resolve("keepalived.conf") + ":1: ${_ENV NOPE}: the environment has no NOPE",
                errors(translate("$X=${_ENV NOPE}\n")));
    }

    @Test
    void conditionalLinesFollowTheConfigId() throws Exception {
        Config c = ok("vrrp_instance VI_1 {\n interface e0\n virtual_router_id 51\n"
                + " @node1 priority 150\n @node2 priority 100\n @^node1 nopreempt\n"
                + " virtual_ipaddress { 10.99.0.100/24 }\n}\n");
        assertEquals(150, c.getInt("vrrp.instances.VI_1.priority"));
        assertTrue(!c.hasPath("vrrp.instances.VI_1.preempt"));
    }

    @Test
    void includesAreReadFromTheIncludingFilesDirectoryWithGlobs() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/b.conf"), "vrrp_instance VI_2 {\n interface e0\n virtual_router_id 52\n}\n");
        Files.writeString(dir.resolve("conf.d/a.conf"), "vrrp_instance VI_1 {\n include ../body.inc\n}\n");
        Files.writeString(dir.resolve("body.inc"), INSTANCE_BODY);
        KeepalivedConfigReader.Translation t = translate("include conf.d/*.conf\ninclude nothing/*.conf\n");
        assertEquals("", errors(t));
        assertEquals(List.of("VI_1", "VI_2"), List.copyOf(t.hocon().getObject("vrrp.instances").keySet()).stream()
                .sorted().toList());
        assertEquals(51, t.hocon().getInt("vrrp.instances.VI_1.virtual-router-id"));
        // the origin is the included file's own line
        assertEquals(dir.resolve("body.inc").toString(),
                t.hocon().getValue("vrrp.instances.VI_1.virtual-router-id").origin().filename());
        assertEquals(2, t.hocon().getValue("vrrp.instances.VI_1.virtual-router-id").origin().lineNumber());
        assertEquals(dir.resolve("keepalived.conf") + ":2: include: \"nothing/*.conf\" matches no file",
                t.warnings().get(0).toString());
    }

    @Test
    void anIncludeCycleAndAnIncludeDeeperThanEightAreErrors() throws Exception {
        Files.writeString(dir.resolve("a.conf"), "include b.conf\n");
        Files.writeString(dir.resolve("b.conf"), "include a.conf\n");
        String cycle = errors(translate("include a.conf\n"));
        assertTrue(cycle.startsWith(dir.resolve("b.conf") + ":1: include cycle: " + dir.resolve("a.conf")
                + " includes itself through"), cycle);
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("d" + i + ".conf"), "include d" + (i + 1) + ".conf\n");
        }
        Files.writeString(dir.resolve("d10.conf"), "global_defs {\n}\n");
        String deep = errors(translate("include d0.conf\n"));
        assertTrue(deep.startsWith(dir.resolve("d7.conf") + ":1: include nested deeper than 8 levels"), deep);
        assertEquals(dir.resolve("keepalived.conf") + ":1: include: no such file: " + dir.resolve("missing.conf"),
                errors(translate("include missing.conf\n")));
    }

    @Test
    void unbalancedBracesAreErrorsWithTheirLines() throws Exception {
        assertEquals(dir.resolve("keepalived.conf") + ":1: vrrp_instance: the block opened here is not closed (a \"}\" is"
                + " missing)", errors(translate("vrrp_instance VI_1 {\n interface e0\n")));
        assertEquals(dir.resolve("keepalived.conf") + ":2: a \"}\" that closes no block", errors(translate(
                "global_defs {\n}}\n")));
    }
}
