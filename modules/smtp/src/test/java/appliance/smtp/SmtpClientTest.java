package appliance.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The conversation against a scripted server on loopback: what is sent, and each way it can fail. */
class SmtpClientTest {

    final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A one-connection server; {@code rcptCode} answers RCPT TO, {@code greet} false never says hello. */
    private ServerSocket server(int rcptCode, boolean greet) throws Exception {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (ss; Socket s = ss.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                if (!greet) {
                    Thread.sleep(5000);
                    return;
                }
                out.write("220 test ESMTP\r\n".getBytes());
                boolean data = false;
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            out.write("250 2.0.0 queued\r\n".getBytes());
                        }
                        continue;
                    }
                    String reply = line.startsWith("RCPT") ? rcptCode + " recipient\r\n"
                            : line.equals("DATA") ? "354 go ahead\r\n"
                            : line.equals("QUIT") ? "221 bye\r\n" : "250 ok\r\n";
                    out.write(reply.getBytes());
                    if (line.equals("DATA")) {
                        data = true;
                    }
                    if (line.equals("QUIT") || reply.startsWith("5")) {
                        return;
                    }
                }
            } catch (Exception e) {
                received.add("server: " + e);
            }
        });
        t.setDaemon(true);
        t.start();
        return ss;
    }

    private SmtpClient client(int port, Duration timeout) {
        return new SmtpClient(group, new SmtpSettings("127.0.0.1", port, "ha@node1", List.of("ops@example.org",
                "noc@example.org"), "node1", timeout, "node1"));
    }

    @Test
    void sendsKeepalivedsConversationAndHeaders() throws Exception {
        ServerSocket ss = server(250, true);
        SmtpClient c = client(ss.getLocalPort(), Duration.ofSeconds(5));
        c.send(c.subject("VRRP Instance VI_1 - Entering MASTER state"), "=> VRRP Instance is now owning VRRP VIPs <=\n.dot")
                .get(10, TimeUnit.SECONDS);
        Thread.sleep(100);
        assertEquals(List.of("HELO node1", "MAIL FROM:<ha@node1>", "RCPT TO:<ops@example.org>",
                "RCPT TO:<noc@example.org>", "DATA"), received.subList(0, 5));
        assertTrue(received.get(5).startsWith("Date: "), received.toString());
        assertEquals(List.of("From: ha@node1", "Subject: [node1] VRRP Instance VI_1 - Entering MASTER state",
                "X-Mailer: Keepalived", "To: ops@example.org, noc@example.org", "",
                "=> VRRP Instance is now owning VRRP VIPs <=", "..dot", ".", "QUIT"), received.subList(6, received.size()));
    }

    @Test
    void aRefusedRecipientFailsTheMessageWithTheServersAnswer() throws Exception {
        ServerSocket ss = server(550, true);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(ss.getLocalPort(), Duration.ofSeconds(5)).send("s", "b").get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("answered 550 recipient to RCPT TO:<ops@example.org>"),
                e.getCause().getMessage());
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheTimeoutAndAClosedPortAtOnce() throws Exception {
        ServerSocket ss = server(250, false);
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(ss.getLocalPort(), Duration.ofMillis(300)).send("s", "b").get(10, TimeUnit.SECONDS));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getCause().getMessage().contains("did not answer the greeting within 300 ms"), e.getCause().getMessage());
        assertTrue(took >= 300 && took < 2000, took + " ms");
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client(closed, Duration.ofSeconds(5)).send("s", "b").get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().startsWith("cannot connect to 127.0.0.1:" + closed),
                refused.getCause().getMessage());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("h", 25, "not an address", List.of("a@b"),
                "n", Duration.ofSeconds(1), "r"));
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("h", 25, "a@b@c", List.of("a@b"), "n",
                Duration.ofSeconds(1), "r"));
        new SmtpSettings("h", 25, "root", List.of("acassen"), "n", Duration.ofSeconds(1), "r"); // local mailboxes, as keepalived's samples
        assertThrows(IllegalArgumentException.class, () -> new SmtpSettings("h", 25, "a@b", List.of(), "n",
                Duration.ofSeconds(1), "r"));
        assertEquals(List.of("10.0.0.1", "2525"), List.of(SmtpSettings.parseServer("10.0.0.1:2525")));
        assertEquals(List.of("fd00::1", "25"), List.of(SmtpSettings.parseServer("[fd00::1]:25")));
        assertEquals(List.of("mail.example.org", ""), List.of(SmtpSettings.parseServer("mail.example.org")));
    }
}
