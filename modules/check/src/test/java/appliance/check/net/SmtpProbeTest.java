package appliance.check.net;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.LocalEnd;
import appliance.check.SmtpCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmtpProbeTest extends OnALoop {




    /** An SMTP server that answers with {@code replies}, one after the banner and after each command read. */
    static ProbeTest.TestServer smtp(List<String> commands, String banner, String... replies) throws Exception {
        return ProbeTest.TestServer.of((Socket s) -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            out.write(banner.getBytes(StandardCharsets.US_ASCII));
            for (String reply : replies) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                commands.add(line);
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    static ProbeResult run(ProbeTest.TestServer server, long timeoutMillis) throws Exception {
        SmtpCheck check = new SmtpCheck(server.address(), LocalEnd.ANY, new CheckTiming(Duration.ofMillis(timeoutMillis),
                Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ZERO, false), SmtpCheck.DEFAULT_HELO);
        return new SmtpProbe(check).run(loop).get(10, TimeUnit.SECONDS);
    }

    @Test
    void bannerHeloQuitPasses() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        try (ProbeTest.TestServer server = smtp(commands, "220 mx.example.org ESMTP\r\n",
                "250-mx.example.org\r\n250 HELP\r\n", "221 2.0.0 Bye\r\n")) {
            ProbeResult r = run(server, 1000);
            assertTrue(r.passed(), r.reason());
            assertEquals(List.of("HELO smtpchecker.keepalived.org", "QUIT"), commands);
        }
    }

    @Test
    void aRefusingBannerAnEarlyCloseAndSilenceFail() throws Exception {
        try (ProbeTest.TestServer server = smtp(new CopyOnWriteArrayList<>(), "554 go away\r\n")) {
            assertEquals("code 554 after banner, expected 220", run(server, 1000).reason());
        }
        try (ProbeTest.TestServer server = smtp(new CopyOnWriteArrayList<>(), "220 hi\r\n")) {
            ProbeResult r = run(server, 1000);
            assertFalse(r.passed());
            assertEquals("connection closed after 1 of 3 replies", r.reason());
        }
        try (ProbeTest.TestServer server = ProbeTest.TestServer.silent()) {
            assertEquals("timeout after 300 ms", run(server, 300).reason());
        }
        try (ProbeTest.TestServer server = smtp(new CopyOnWriteArrayList<>(), "garbage without a code\r\n")) {
            assertFalse(run(server, 1000).passed());
        }
    }
}
