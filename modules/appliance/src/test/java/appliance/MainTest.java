package appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void configTestAcceptsAValidFile() throws Exception {
        Path f = dir.resolve("ok.conf");
        Files.writeString(f, appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE);
        assertEquals(0, run("--config", f.toString(), "--config-test"));
        assertTrue(out.toString().contains("is valid"));
    }

    @Test
    void configTestPrintsEveryProblemAsOneLineAndExits1() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "vrrp.instances.VI_1 { interface = e0, virtual-router-id = 0, priority = 256 }\n");
        assertEquals(1, run("--config", f.toString(), "--config-test"));
        String[] lines = err.toString().strip().split("\n");
        assertEquals(3, lines.length, err.toString());
        for (String line : lines) {
            assertTrue(line.startsWith("error: " + f + ":1: vrrp.instances.VI_1."), line);
        }
    }

    @Test
    void configTestWarnsAboutAnInterfaceThatDoesNotExistAndStillPasses() throws Exception {
        Path f = dir.resolve("absent.conf");
        Files.writeString(f, "vrrp.instances.VI_1 {\n  interface = nosuch0\n  virtual-router-id = 51\n"
                + "  virtual-ipaddress = [\"10.99.0.100/24\"]\n}\n");
        assertEquals(0, run("--config", f.toString(), "--config-test"));
        assertEquals("warning: " + f + ":2: vrrp.instances.VI_1.interface: interface nosuch0 does not exist here;"
                + " VI_1 will wait in FAULT until it appears", err.toString().strip());
        assertTrue(out.toString().contains("is valid"));
    }

    @Test
    void unknownArgumentIsOneClearLine() {
        assertEquals(1, run("--frobnicate"));
        assertEquals("error: unknown argument \"--frobnicate\" (try --help)", err.toString().strip());
    }

    static final String KEEPALIVED_CONF = "global_defs {\n   router_id n1\n}\nvrrp_instance VI_1 {\n   interface lo\n"
            + "   virtual_router_id 51\n   @node9 priority 120\n   virtual_ipaddress {\n      10.99.0.100/24\n   }\n}\n"
            + "virtual_server 10.97.0.100 80 {\n   real_server 10.98.0.16 80 {\n      TCP_CHECK {\n"
            + "         nb_get_retry 3\n      }\n   }\n}\n";

    @Test
    void aKeepalivedConfIsTestedWithKeepalivedsOptions() throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, KEEPALIVED_CONF);
        assertEquals(0, run("-f", f.toString(), "-t", "-n", "-l", "-D", "-i", "node9"));
        assertTrue(out.toString().contains("is valid: 1 VRRP instance(s), 1 virtual server(s)"), out.toString());
        assertTrue(err.toString().contains("keepalived.conf:15: nb_get_retry: nb_get_retry is a keepalived 1.x spelling"),
                err.toString());
        out.reset();
        assertEquals(0, run("--use-file=" + f, "--config-test", "-P"));
        assertTrue(out.toString().contains("is valid: 1 VRRP instance(s), 0 virtual server(s)"), out.toString());
        out.reset();
        assertEquals(0, run("-f", f.toString(), "-t", "-C"));
        assertTrue(out.toString().contains("is valid: 0 VRRP instance(s), 1 virtual server(s)"), out.toString());
    }

    @Test
    void optionsThatContradictEachOtherAreOneClearLine() throws Exception {
        assertEquals(1, run("-P", "-C", "-t"));
        assertEquals("error: -P (VRRP only) and -C (checkers only) together leave nothing to run", err.toString().strip());
        err.reset();
        assertEquals(1, run("-i", "node1", "-t"));
        assertEquals("error: -i (config id) selects keepalived.conf's @id lines; it needs -f FILE", err.toString().strip());
        err.reset();
        assertEquals(1, run("--config", "a.conf", "-f", "b.conf"));
        assertEquals("error: give either --config (HOCON) or -f (keepalived.conf), not both", err.toString().strip());
    }

    @Test
    void convertPrintsHoconOrEveryError() throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, KEEPALIVED_CONF);
        ByteArrayOutputStream hocon = new ByteArrayOutputStream();
        assertEquals(0, appliance.config.keepalived.ConvertAccess.run(new String[] {f.toString(), "-i", "node9"},
                new PrintStream(hocon, true), new PrintStream(err, true)));
        Path converted = dir.resolve("converted.conf");
        Files.writeString(converted, hocon.toString());
        assertEquals(120, appliance.config.HoconConfigReader.read(converted).vrrpInstances().get(0).priority());
        Files.writeString(f, KEEPALIVED_CONF.replace("virtual_router_id 51", "virtual_router_id 510"));
        err.reset();
        assertEquals(1, appliance.config.keepalived.ConvertAccess.run(new String[] {f.toString()},
                new PrintStream(hocon, true), new PrintStream(err, true)));
        assertTrue(err.toString().contains("keepalived.conf:6: vrrp_instance VI_1: virtual_router_id: virtual_router_id"
                + " must be 1..255, got 510"), err.toString());
    }
}
