package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: PING_CHECK against the lab's client (stopped answering by a black hole, then
 * answering again), MISC_CHECK with a script whose exit code the test sets (failure, recovery,
 * misc-dynamic weights) and FILE_CHECK on a file the test rewrites: each transition once, within
 * delay-loop + (retry + 1) x connect-timeout (misc: misc-timeout) + retry x delay-before-retry + 500 ms;
 * the file's within 500 ms, since it is followed, not polled.
 */
@LabTest
class LocalCheckersTest {

    static final Duration LOOP = ServiceCheckersTest.LOOP;
    static final Duration CONNECT_TIMEOUT = ServiceCheckersTest.CONNECT_TIMEOUT;
    static final Duration RETRY_WAIT = ServiceCheckersTest.RETRY_WAIT;
    static final int RETRY = ServiceCheckersTest.RETRY;
    static final Duration BOUND = ServiceCheckersTest.BOUND;

    @Test
    void pingMiscAndFileChecksFollowWhatTheyCheckOnceEachWithinTheBound() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host server = lab.client();
            Path code = lab.workDir().resolve("misc-exit-code");
            Files.writeString(code, "0\n");
            Path script = lab.workDir().resolve("misc-check.sh");
            Files.writeString(script, "#!/bin/sh\nexit $(cat " + code + ")\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path maintenance = lab.workDir().resolve("maintenance");
            Files.writeString(maintenance, "0\n");
            String timing = "retry = " + RETRY + ", delay-before-retry = " + RETRY_WAIT.toMillis() + "ms, warmup = 0s";
            Path conf = lab.newFile("checkers", "conf");
            Files.writeString(conf, "virtual-servers = [\n"
                    + "  { address = \"10.97.0.100\", port = 80, delay-loop = " + LOOP.toMillis() + "ms, real-servers = [\n"
                    + "    { address = \"" + server.address() + "\", checks = [{ type = ping-check, connect-timeout = "
                    + CONNECT_TIMEOUT.toMillis() + "ms, log-all-failures = true, " + timing + " }] }\n"
                    + "    { address = \"" + server.address() + "\", port = 81, weight = 1, checks = [{ type = misc-check,"
                    + " misc-path = \"" + script + "\", misc-dynamic = true, misc-timeout = " + CONNECT_TIMEOUT.toMillis()
                    + "ms, " + timing + " }] }\n"
                    + "    { address = \"" + server.address() + "\", port = 82, checks = [{ type = file-check, file = \""
                    + maintenance + "\", weight = 0 }] }\n"
                    + "  ] }\n"
                    + "]\n");
            NodeProcess appliance = lab.own(NodeProcess.start("appliance@n1", lab.node(1).namespace(),
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString()),
                    lab.newFile("n1-appliance", "log")));
            String at = server.address();
            Pattern pingUp = Pattern.compile(Pattern.quote("ICMP connection to [" + at + "]:tcp:80 success."));
            Pattern pingDown = Pattern.compile(Pattern.quote("ICMP CHECK on service [" + at + "]:tcp:80 failed"));
            Pattern pingTry = Pattern.compile(Pattern.quote("ICMP connection to [" + at + "]:tcp:80 failed (timed out), try 1 of 2."));
            Pattern miscUp = Pattern.compile(Pattern.quote("Misc check for [[" + at + "]:tcp:81 VS [10.97.0.100]:tcp:80] by ["
                    + script + "] succeeded."));
            Pattern miscDown = Pattern.compile(Pattern.quote("Misc check for [[" + at + "]:tcp:81 VS [10.97.0.100]:tcp:80] by ["
                    + script + "] failed (exited with status 1)."));
            Pattern weight = Pattern.compile(Pattern.quote("Changing weight from 1 to 5 for active service [" + at
                    + "]:tcp:81 of VS [10.97.0.100]:tcp:80"));
            Pattern fileDown = Pattern.compile(Pattern.quote("([" + at + "]:tcp:82): tracked file " + maintenance + " now FAULT state"));
            Pattern fileUp = Pattern.compile(Pattern.quote("([" + at + "]:tcp:82): tracked file " + maintenance + " leaving FAULT state"));
            appliance.awaitLine(pingUp, Duration.ofSeconds(20));
            appliance.awaitLine(miscUp, Duration.ofSeconds(5));

            int mark = appliance.mark();
            Instant holed = Instant.now();
            CheckersTest.blackHole(lab, server, "icmp type echo-request");
            set(code, "1");
            CheckersTest.awaitEach(appliance, mark, List.of(pingTry, pingDown), holed, BOUND, "black-holed");
            CheckersTest.awaitEach(appliance, mark, List.of(miscDown), holed,
                    LOOP.plus(RETRY_WAIT.multipliedBy(RETRY)).plus(CONNECT_TIMEOUT).plus(Duration.ofMillis(500)), "exit 1");
            mark = appliance.mark();
            Instant opened = Instant.now();
            CheckersTest.unblock(lab, server);
            set(code, "0");
            CheckersTest.awaitEach(appliance, mark, List.of(pingUp, miscUp), opened, BOUND, "answering again");

            mark = appliance.mark();
            Instant dynamic = Instant.now();
            set(code, "7");
            CheckersTest.awaitEach(appliance, mark, List.of(weight), dynamic, LOOP.plus(Duration.ofMillis(500)),
                    "misc-dynamic exit 7");

            mark = appliance.mark();
            Instant written = Instant.now();
            set(maintenance, "1");
            CheckersTest.awaitEach(appliance, mark, List.of(fileDown), written, Duration.ofMillis(500), "file 1");
            mark = appliance.mark();
            written = Instant.now();
            set(maintenance, "0");
            CheckersTest.awaitEach(appliance, mark, List.of(fileUp), written, Duration.ofMillis(500), "file 0");

            Lab.pause(Duration.ofSeconds(2));
            assertEquals(1, CheckersTest.count(appliance, pingDown), appliance.tail(40));
            assertEquals(1, CheckersTest.count(appliance, pingTry), "log-all-failures: the try before the last\n"
                    + appliance.tail(40));
            assertEquals(2, CheckersTest.count(appliance, pingUp), appliance.tail(40));
            assertEquals(1, CheckersTest.count(appliance, miscDown), appliance.tail(40));
            assertEquals(2, CheckersTest.count(appliance, miscUp), appliance.tail(40));
            assertEquals(1, CheckersTest.count(appliance, weight), appliance.tail(40));
            assertEquals(1, CheckersTest.count(appliance, fileDown), appliance.tail(40));
            assertEquals(1, CheckersTest.count(appliance, fileUp), appliance.tail(40));
            assertTrue(appliance.isAlive(), appliance.tail(20));
        }
    }

    /** Written as atomic writers do: a temporary file renamed over it. */
    private static void set(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
