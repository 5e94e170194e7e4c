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
}
