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
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSL_GET against the JDK's HTTPS server with a self-signed certificate made by keytool. */
class SslGetTest {

    static final byte[] BODY = "secure and healthy".getBytes(StandardCharsets.US_ASCII);

    static MultiThreadIoEventLoopGroup group;
    static EventLoop loop;
    static HttpsServer server;
    static final List<String> sniSeen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=server",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, keytool.waitFor(), "keytool");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(tls.getDefaultSSLParameters());
            }
        });
        server.createContext("/health", exchange -> {
            SSLSession session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
            if (session instanceof javax.net.ssl.ExtendedSSLSession ext) {
                for (SNIServerName n : ext.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        sniSeen.add(h.getAsciiName());
                    }
                }
            }
            exchange.sendResponseHeaders(200, BODY.length);
            exchange.getResponseBody().write(BODY);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static HttpCheck check(String digest, Optional<String> vhost, boolean sni) {
        return new HttpCheck(CheckType.SSL_GET, server.getAddress(), LocalEnd.ANY,
                new CheckTiming(Duration.ofSeconds(3), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ZERO,
                        false),
                List.of(new HttpUrl("/health", StatusCodes.DEFAULT, Optional.of(digest), Optional.empty())), vhost, sni);
    }

    @Test
    void tlsGoesThroughNettysOpenSslEngine() {
        assertTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "netty-tcnative-boringssl-static does not load: "
                + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }

    @Test
    void aSelfSignedSiteIsCheckedWithItsDigestAndSniNamesTheVirtualHost() throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(BODY));
        ProbeResult r = new HttpProbe(check(digest, Optional.of("www.example.org"), true)).run(loop).get(10, TimeUnit.SECONDS);
        assertTrue(r.passed(), r.reason());
        assertTrue(sniSeen.contains("www.example.org"), "SNI seen: " + sniSeen);
        ProbeResult wrong = new HttpProbe(check("0".repeat(32), Optional.empty(), false)).run(loop).get(10, TimeUnit.SECONDS);
        assertFalse(wrong.passed());
        assertTrue(wrong.reason().startsWith("MD5 digest " + digest), wrong.reason());
    }

    @Test
    void plainHttpToATlsPortFails() throws Exception {
        HttpCheck plain = new HttpCheck(CheckType.HTTP_GET, server.getAddress(), LocalEnd.ANY,
                new CheckTiming(Duration.ofMillis(500), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ZERO,
                        false), List.of(HttpUrl.of("/health")), Optional.empty(), false);
        assertFalse(new HttpProbe(plain).run(loop).get(10, TimeUnit.SECONDS).passed());
    }
}
