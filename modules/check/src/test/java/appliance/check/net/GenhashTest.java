package appliance.check.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GenhashTest {

    record Run(int status, String out, String err) {
    }

    static Run genhash(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Genhash.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheDigestOfTheBodyWhateverTheStatus() throws Exception {
        String body = "<html>not found, but hashed</html>";
        try (ProbeTest.TestServer server = ProbeTest.TestServer.answering("HTTP/1.0 404 Not Found\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body)) {
            Run r = genhash("-s", "127.0.0.1", "-p", Integer.toString(server.address().getPort()), "-u", "/page",
                    "-V", "www.example.org");
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(0, r.status(), r.err());
            assertEquals(md5 + "\n", r.out());
            // keepalived 2.2.7 sends a virtual host as given, without the port.
            assertTrue(server.lastRequest().contains("Host: www.example.org\r\n"), server.lastRequest());
            assertTrue(server.lastRequest().startsWith("GET /page HTTP/1.0\r\n"), server.lastRequest());
            r = genhash("-s", "127.0.0.1", "-p", Integer.toString(server.address().getPort()), "-u", "/page", "-P", "1.1");
            assertEquals(md5 + "\n", r.out(), r.err());
            assertTrue(server.lastRequest().startsWith("GET /page HTTP/1.1\r\n")
                    && server.lastRequest().contains("Connection: close\r\n"), server.lastRequest());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Run r = genhash("-s", "127.0.0.1");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("genhash: -s SERVER and -u URL are required\nUsage: genhash"), r.err());
        assertEquals("genhash: server should be an IP address, not localhost\n",
                genhash("-s", "localhost", "-u", "/").err());
        assertTrue(genhash("-s", "127.0.0.1", "-u", "/", "-p", "70000").err()
                .startsWith("genhash: invalid -p '70000' (1..65535)"));
        assertTrue(genhash("-s", "127.0.0.1", "-u", "/", "-P", "2").err()
                .contains("http-protocol must be 1.0, 1.0C or 1.1"), genhash("-s", "127.0.0.1", "-u", "/", "-P", "2").err());
        assertTrue(genhash("-s", "127.0.0.1", "-u", "/", "-m", "-1").err()
                .startsWith("genhash: invalid -m '-1' (0..4294967295)"));
    }
}
