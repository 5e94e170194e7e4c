package appliance.check.net;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.CheckType;
import appliance.check.HttpCheck;
import appliance.check.HttpUrl;
import appliance.check.LocalEnd;
import appliance.check.StatusCodes;
import appliance.check.TcpCheck;
import appliance.check.UrlRegex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probes against servers on loopback that behave well and badly. */
class ProbeTest extends OnALoop {

    private TestServer server;



    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static CheckTiming timing(long connectTimeoutMillis) {
        return new CheckTiming(Duration.ofMillis(connectTimeoutMillis), Duration.ofSeconds(1), 1,
                Duration.ofSeconds(1), Duration.ZERO, false);
    }

    static ProbeResult run(Probe p) throws Exception {
        return p.run(loop).get(10, TimeUnit.SECONDS);
    }

    HttpCheck http(HttpUrl url, long timeoutMillis) {
        return new HttpCheck(CheckType.HTTP_GET, server.address(), LocalEnd.ANY, timing(timeoutMillis),
                List.of(url), Optional.empty(), false);
    }

    @org.junit.jupiter.api.Test
    void theHostHeaderIsKeepalivedsTheVirtualHostAsGivenElseTheAddressWithItsPortWhateverItIs() throws Exception {
        java.util.function.BiFunction<java.net.InetSocketAddress, Optional<String>, String> host = (target, vhost) ->
                new HttpProbe(new HttpCheck(CheckType.HTTP_GET, target, LocalEnd.ANY, timing(1000),
                        List.of(HttpUrl.of("/")), vhost, false)).hostHeader();
        assertEquals("10.98.0.16:80", host.apply(new java.net.InetSocketAddress("10.98.0.16", 80), Optional.empty()));
        assertEquals("[fd00:98::16]:8080", host.apply(new java.net.InetSocketAddress("fd00:98::16", 8080),
                Optional.empty()));
        assertEquals("www.example.org", host.apply(new java.net.InetSocketAddress("10.98.0.16", 8080),
                Optional.of("www.example.org")));
    }

    static String md5(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    }

    @Test
    void tcpPassesOnAListenerAndFailsOnAClosedPort() throws Exception {
        server = TestServer.answering("");
        assertTrue(run(new TcpProbe(new TcpCheck(server.address(), LocalEnd.ANY, timing(1000)))).passed());
        // A port bound but not listening refuses, and stays ours: no other socket (nor the probe's
        // own ephemeral port, which would connect to itself) can take it meanwhile.
        try (java.net.Socket reserved = new java.net.Socket()) {
            reserved.bind(new InetSocketAddress(server.address().getAddress(), 0));
            InetSocketAddress closed = new InetSocketAddress(server.address().getAddress(), reserved.getLocalPort());
            ProbeResult r = run(new TcpProbe(new TcpCheck(closed, LocalEnd.ANY, timing(1000))));
            assertFalse(r.passed());
            assertEquals("connection refused", r.reason());
        }
    }

    @Test
    void httpChecksStatusDigestAndRegex() throws Exception {
        byte[] body = "<html>healthy</html>".getBytes(StandardCharsets.US_ASCII);
        server = TestServer.answering("HTTP/1.0 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.US_ASCII));
        String digest = md5(body);
        assertTrue(run(new HttpProbe(http(HttpUrl.of("/health"), 1000))).passed());
        assertTrue(run(new HttpProbe(http(new HttpUrl("/health", StatusCodes.DEFAULT, Optional.of(digest),
                Optional.of(UrlRegex.of("heal+thy"))), 1000))).passed());
        ProbeResult wrong = run(new HttpProbe(http(new HttpUrl("/health", StatusCodes.DEFAULT,
                Optional.of("0".repeat(32)), Optional.empty()), 1000)));
        assertFalse(wrong.passed());
        assertTrue(wrong.reason().startsWith("MD5 digest " + digest), wrong.reason());
        assertFalse(run(new HttpProbe(http(new HttpUrl("/health", StatusCodes.DEFAULT, Optional.empty(),
                Optional.of(UrlRegex.of("sick"))), 1000))).passed());
        ProbeResult status = run(new HttpProbe(http(new HttpUrl("/health", StatusCodes.parse(List.of("301-302")),
                Optional.empty(), Optional.empty()), 1000)));
        assertEquals("status code 200 for /health, expected 301-302", status.reason());
        String request = server.lastRequest();
        assertTrue(request.startsWith("GET /health HTTP/1.0\r\n"), request);
        assertTrue(request.contains("User-Agent: KeepAliveClient\r\n"), request);
        assertTrue(request.contains("Host: 127.0.0.1:" + server.address().getPort() + "\r\n"), request);
        assertFalse(request.contains("Connection:"), "keepalived's default 1.0 asks for no close: " + request);
    }

    @Test
    void regexNoMatchAndHttpProtocolAreKeepalivedsOptions() throws Exception {
        server = TestServer.answering("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nerror");
        HttpUrl noError = new HttpUrl("/health", StatusCodes.DEFAULT, Optional.empty(), Optional.of(
                UrlRegex.of("err", true, 0, java.util.OptionalInt.empty(), List.of())));
        ProbeResult matched = run(new HttpProbe(http(noError, 1000)));
        assertFalse(matched.passed(), "regex-no-match: a body that matches fails");
        assertTrue(matched.reason().contains("matched by /health (regex-no-match)"), matched.reason());
        HttpUrl noSick = new HttpUrl("/health", StatusCodes.DEFAULT, Optional.empty(), Optional.of(
                UrlRegex.of("sick", true, 0, java.util.OptionalInt.empty(), List.of())));
        assertTrue(run(new HttpProbe(http(noSick, 1000))).passed());
        for (HttpCheck.HttpProtocol p : HttpCheck.HttpProtocol.values()) {
            HttpCheck c = new HttpCheck(CheckType.HTTP_GET, server.address(), LocalEnd.ANY, timing(1000),
                    List.of(HttpUrl.of("/health")), Optional.empty(), false, p);
            assertTrue(run(new HttpProbe(c)).passed(), p.key());
            String request = server.lastRequest();
            assertTrue(request.startsWith("GET /health HTTP/" + (p == HttpCheck.HttpProtocol.HTTP_1_1 ? "1.1" : "1.0")
                    + "\r\n"), request);
            assertEquals(p.sendsConnectionClose(), request.contains("Connection: close\r\n"), p.key() + ": " + request);
        }
        assertEquals(HttpCheck.HttpProtocol.HTTP_1_0C, HttpCheck.HttpProtocol.of("1.0c"));
    }

    @Test
    void aServerThatAcceptsAndSaysNothingIsDownAtTheTimeout() throws Exception {
        server = TestServer.silent();
        long started = System.nanoTime();
        ProbeResult r = run(new HttpProbe(http(HttpUrl.of("/"), 300)));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertFalse(r.passed());
        assertEquals("timeout after 300 ms", r.reason());
        assertTrue(took >= 290 && took < 1000, took + " ms");
    }

    @Test
    void aServerThatTricklesIsDownAtTheTimeoutNotWhenItEnds() throws Exception {
        server = TestServer.trickling("HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000), 20);
        long started = System.nanoTime();
        ProbeResult r = run(new HttpProbe(http(new HttpUrl("/", StatusCodes.DEFAULT, Optional.of("0".repeat(32)),
                Optional.empty()), 400)));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertFalse(r.passed());
        assertTrue(took < 1000, took + " ms");
    }

    @Test
    void aHugeBodyIsHashedAsItStreamsWithinBoundedMemory() throws Exception {
        int size = 64 << 20;
        server = TestServer.huge(size);
        byte[] zeros = new byte[size];
        String digest = md5(zeros);
        ProbeResult r = run(new HttpProbe(http(new HttpUrl("/", StatusCodes.DEFAULT, Optional.of(digest),
                Optional.empty()), 8000)));
        assertTrue(r.passed(), r.reason());
    }

    @Test
    void anAnswerCutShortIsAFailure() throws Exception {
        server = TestServer.answering("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        ProbeResult r = run(new HttpProbe(http(new HttpUrl("/", StatusCodes.DEFAULT, Optional.of("0".repeat(32)),
                Optional.empty()), 1000)));
        assertFalse(r.passed());
        assertEquals("connection closed before the answer ended", r.reason());
    }

    @Test
    void garbageIsAFailure() throws Exception {
        server = TestServer.answering("SSH-2.0-OpenSSH_9.2\r\n");
        assertFalse(run(new HttpProbe(http(HttpUrl.of("/"), 1000))).passed());
    }

    HttpCheck ssl(long timeoutMillis) {
        return new HttpCheck(CheckType.SSL_GET, server.address(), LocalEnd.ANY, timing(timeoutMillis),
                List.of(HttpUrl.of("/")), Optional.empty(), false);
    }

    @Test
    void aServerThatSpeaksTlsBadlyFailsAtOnceNotAtTheTimeout() throws Exception {
        server = TestServer.of(s -> {
            s.getInputStream().read(new byte[512]); // the ClientHello
            s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        long started = System.nanoTime();
        ProbeResult r = run(new HttpProbe(ssl(3000)));
        assertFalse(r.passed());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 2000, r.reason());
    }

    @Test
    void aResetInTheMiddleOfTheHandshakeIsAFailure() throws Exception {
        server = TestServer.of(s -> {
            s.getInputStream().read(new byte[512]);
            s.setSoLinger(true, 0); // close with RST
        });
        long started = System.nanoTime();
        ProbeResult r = run(new HttpProbe(ssl(3000)));
        assertFalse(r.passed());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 2000, r.reason());
    }

    @Test
    void aTlsServerThatNeverAnswersTheHelloIsDownAtTheTimeout() throws Exception {
        server = TestServer.silent();
        ProbeResult r = run(new HttpProbe(ssl(300)));
        assertEquals("timeout after 300 ms", r.reason());
    }

    /** A one-connection-at-a-time server on loopback, answering each connection as told. */
    static final class TestServer implements AutoCloseable {
        interface Behaviour {
            void serve(Socket s) throws Exception;
        }

        private final ServerSocket socket;
        private final Thread thread;
        private volatile String lastRequest = "";

        private TestServer(Behaviour behaviour) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        behaviour.serve(s);
                    } catch (Exception e) {
                        // the client went away, or the server closes
                    }
                }
            }, "test-server");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }

        String lastRequest() {
            return lastRequest;
        }

        private String readRequest(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            while (!b.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.append((char) c);
            }
            lastRequest = b.toString();
            return lastRequest;
        }

        static TestServer answering(String answer) throws IOException {
            TestServer[] self = new TestServer[1];
            self[0] = new TestServer(s -> {
                self[0].readRequest(s);
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            });
            return self[0];
        }

        static TestServer of(Behaviour behaviour) throws IOException {
            return new TestServer(behaviour);
        }

        static TestServer silent() throws IOException {
            return new TestServer(s -> Thread.sleep(5000));
        }

        static TestServer trickling(String answer, long millisPerByte) throws IOException {
            return new TestServer(s -> {
                OutputStream out = s.getOutputStream();
                for (byte b : answer.getBytes(StandardCharsets.ISO_8859_1)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(millisPerByte);
                }
            });
        }

        static TestServer huge(int size) throws IOException {
            TestServer[] self = new TestServer[1];
            self[0] = new TestServer(s -> {
                self[0].readRequest(s);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[65536];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk);
                }
            });
            return self[0];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
