package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a check's {@code fwmark} (SO_MARK) and {@code bind-if} (SO_BINDTODEVICE), as
 * keepalived's bind_if and fwmark. Node 1 routes marked traffic to the client into a prohibit
 * route: the marked check fails with the kernel's refusal while the unmarked one passes, and
 * passes once the rule is gone. A check bound to the lab's interface passes, one bound to lo
 * cannot reach the client, and one bound to a missing device fails naming it.
 */
@LabTest
class CheckLocalEndTest {

    @Test
    void theMarkAndTheDeviceDecideWhereTheCheckGoes() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host server = lab.client();
            Host node = lab.node(1);
            CheckersTest.startNginx(lab, server);
            lab.exec(node.namespace(), "ip", "rule", "add", "fwmark", "77", "lookup", "77", "pref", "100");
            lab.exec(node.namespace(), "ip", "route", "add", "prohibit", server.address() + "/32", "table", "77");
            String tcp = "type = tcp-check, connect-port = 80, connect-timeout = 1s, retry = 0, warmup = 0s";
            Path conf = lab.newFile("local-end", "conf");
            Files.writeString(conf, "virtual-servers = [{ address = \"10.97.0.100\", port = 80, delay-loop = 500ms,"
                    + " real-servers = [\n"
                    + "  { address = \"" + server.address() + "\", port = 80, checks = [{ " + tcp + " }] }\n"
                    + "  { address = \"" + server.address() + "\", port = 81, checks = [{ " + tcp + ", fwmark = 77 }] }\n"
                    + "  { address = \"" + server.address() + "\", port = 82, checks = [{ " + tcp + ", bind-if = "
                    + Host.INTERFACE + " }] }\n"
                    + "  { address = \"" + server.address() + "\", port = 83, checks = [{ " + tcp + ", bind-if = lo }] }\n"
                    + "  { address = \"" + server.address() + "\", port = 84, checks = [{ " + tcp + ", bind-if = nosuch0 }] }\n"
                    + "] }]\n");
            NodeProcess appliance = lab.own(NodeProcess.start("appliance@n1", node.namespace(),
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString()),
                    lab.newFile("n1-appliance", "log")));
            String at = Pattern.quote("[" + server.address() + "]:tcp:");
            Duration wait = Duration.ofSeconds(20);
            appliance.awaitLine(Pattern.compile("TCP connection to " + at + "80 success"), wait);
            appliance.awaitLine(Pattern.compile("TCP connection to " + at + "82 success"), wait);
            appliance.awaitLine(Pattern.compile("TCP_CHECK on service " + at + "81 failed \\(connection refused\\)"), wait);
            appliance.awaitLine(Pattern.compile("TCP_CHECK on service " + at + "83 failed"), wait);
            appliance.awaitLine(Pattern.compile("TCP_CHECK on service " + at + "84 failed \\(can't bind to device"
                    + " nosuch0: No such device\\)"), wait);
            assertEquals(0, CheckersTest.count(appliance, Pattern.compile("TCP connection to " + at + "8[134] success")),
                    appliance.tail(40));

            lab.exec(node.namespace(), "ip", "rule", "del", "fwmark", "77", "lookup", "77", "pref", "100");
            appliance.awaitLine(Pattern.compile("TCP connection to " + at + "81 success"), Duration.ofSeconds(5));
            assertEquals(0, CheckersTest.count(appliance, Pattern.compile("TCP_CHECK on service " + at + "8[02] failed")),
                    appliance.tail(40));
        }
    }
}
