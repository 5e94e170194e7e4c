package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 6: smtp-alert e-mails reach a real SMTP server (OpenSMTPD, run by the test in
 * the lab's client namespace, delivering to files) with keepalived's subject, naming the instance
 * and its new state; a mail server that does not answer delays no transition.
 */
@LabTest
class SmtpAlertTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100)).withPriority(150);

    private static String global(String server, String timeout) {
        return "global { notification-email = [\"ops@example.org\"], notification-email-from = \"ha@node1\","
                + " smtp-server = \"" + server + "\", smtp-connect-timeout = " + timeout + ", router-id = node1 }";
    }

    @Test
    void anAlertReachesARealSmtpServerWithTheInstanceAndItsStateInTheSubject() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host client = lab.client();
            Path mail = startSmtpd(lab, client);
            VrrpNode node = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withOption("smtp-alert = true", null)
                    .withBlock(global(client.address() + ":25", "5s"), null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            String message = awaitMail(mail, "Entering MASTER state");
            System.out.println("delivered:\n" + message);
            assertTrue(message.contains("Subject: [node1] VRRP Instance VI_1 - Entering MASTER state"), message);
            assertTrue(message.contains("=> VRRP Instance is now owning VRRP VIPs <="), message);
            assertTrue(message.contains("From: ha@node1") && message.contains("To: ops@example.org"), message);
            assertTrue(message.contains("X-Mailer: Keepalived"), message);
            node.stop(Duration.ofSeconds(10));
            String stopping = awaitMail(mail, "Stopping");
            assertTrue(stopping.contains("=> VRRP Instance stopping <="), stopping);
        }
    }

    @Test
    void aMailServerThatDoesNotAnswerDelaysNoTransition() throws Exception {
        try (Lab lab = Lab.create(1)) {
            // Nobody has 10.99.0.250: the connection never completes.
            VrrpNode node = NodeKind.APPLIANCE.start(lab, lab.node(1), SPEC.withOption("smtp-alert = true", null)
                    .withBlock(global("10.99.0.250:25", "2s"), null));
            VrrpNode.StateChange master = node.awaitState(VrrpState.MASTER, SETTLE);
            NodeProcess.Line failed = node.process().awaitLine("not sent", Duration.ofSeconds(10));
            Instant backup = node.stateChanges().stream().filter(c -> c.state() == VrrpState.BACKUP).findFirst()
                    .map(c -> node.loggedAt(c.line())).orElseThrow();
            long failedAfter = Duration.between(backup, node.loggedAt(failed)).toMillis();
            System.out.printf("the BACKUP alert failed %d ms after BACKUP (timeout 2 s): %s%n", failedAfter, failed.text());
            assertTrue(failed.text().contains("VRRP Instance VI_1 - Entering BACKUP state"), failed.text());
            assertTrue(failedAfter >= 1900, "failed before its 2 s timeout: " + failedAfter + " ms");
            // The first connection of a fresh JVM also loads the SMTP client's classes.
            assertTrue(failedAfter <= 3000, "failed " + failedAfter + " ms after, not at its 2 s timeout");
            assertTrue(node.loggedAt(master.line()).isBefore(node.loggedAt(failed)),
                    "the takeover waited for the mail server");
        }
    }

    /** OpenSMTPD in {@code host}'s namespace on port 25, delivering every message to a file of its own in the returned directory. */
    static Path startSmtpd(Lab lab, Host client) throws Exception {
        Path mail = lab.workDir().resolve("mail");
        Files.createDirectories(mail);
        Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = lab.workDir().resolve("smtpd.conf");
        // Every recipient is delivered, as user nobody (smtpd delivers as no root), to a file of its own.
        Files.writeString(conf, "table recipients { \"@\" = \"nobody\" }\n"
                + "listen on " + client.address() + " port 25\n"
                + "action \"deliver\" mda \"/bin/sh -c 'cat > " + mail + "/mail.$$'\" virtual <recipients>\n"
                + "match from any for any action \"deliver\"\n");
        NodeProcess smtpd = lab.own(NodeProcess.start("smtpd@client", client.namespace(),
                List.of("smtpd", "-d", "-f", conf.toString()), lab.newFile("smtpd", "log")));
        smtpd.awaitLine("starting", Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lab.execStatus(client.namespace(), "bash", "-c", "exec 3<>/dev/tcp/" + client.address() + "/25") != 0) {
            assertTrue(System.nanoTime() < deadline, "smtpd does not listen:\n" + smtpd.tail(10));
            Thread.sleep(100);
        }

        return mail;
    }

    @Test
    void aCheckersChangeIsMailedWithKeepalivedsSubjectByDefaultForARealServer() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host client = lab.client();
            Path mail = startSmtpd(lab, client);
            Path conf = lab.newFile("checker-mail", "conf");
            // Nothing listens on 26: the first run fails; a real server mails by default (keepalived's smtp_alert).
            Files.writeString(conf, global(client.address() + ":25", "5s") + "\n"
                    + "virtual-servers = [{ address = \"10.97.0.100\", port = 80, delay-loop = 1s, smtp-alert = true,"
                    + " real-servers = [{ address = \"" + client.address() + "\", port = 26, checks = [{ type = tcp-check,"
                    + " connect-timeout = 1s, retry = 0, warmup = 0s }] }] }]\n");
            NodeProcess checker = lab.own(NodeProcess.start("appliance@n1", lab.node(1).namespace(),
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config",
                            conf.toString()), lab.newFile("n1-appliance", "log")));
            String down = awaitMail(mail, "Realserver [" + client.address() + "]:tcp:26");
            System.out.println("delivered:\n" + down);
            assertTrue(down.contains("Subject: [node1] Realserver [" + client.address() + "]:tcp:26 of virtual server"
                    + " [10.97.0.100]:tcp:80 - DOWN"), down);
            assertTrue(down.contains("=> TCP CHECK failed on service <="), down);
            String quorum = awaitMail(mail, "Virtualserver [10.97.0.100]:tcp:80");
            assertTrue(quorum.contains("Subject: [node1] Virtualserver [10.97.0.100]:tcp:80 - DOWN"), quorum);
            assertTrue(quorum.contains("=> Lost quorum 1+0=1 <= 0 <="), quorum);
            checker.awaitLine("e-mail alert \"[node1] Realserver", Duration.ofSeconds(5));
        }
    }

    private static String awaitMail(Path dir, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String m = Files.readString(f);
                    if (m.contains(text)) {
                        return m;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail containing \"" + text + "\" delivered to " + dir);
    }
}
