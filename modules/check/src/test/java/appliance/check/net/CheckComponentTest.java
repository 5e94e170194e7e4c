package appliance.check.net;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.LocalEnd;
import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.TcpCheck;
import appliance.check.Verdict;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks scheduled on real loops against a loopback listener that goes away and comes back. */
class CheckComponentTest {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    record Change(boolean alive, long at) {
    }

    @Test
    void aRealServerGoesDownOnceAndComesBackOnceWithinTheBound() throws Exception {
        ServerSocket listener = listen(0);
        int port = listener.getLocalPort();
        InetAddress lo = InetAddress.getLoopbackAddress();
        Duration loop = Duration.ofMillis(200);
        Duration connectTimeout = Duration.ofMillis(300);
        Duration retryWait = Duration.ofMillis(100);
        int retry = 2;
        TcpCheck check = new TcpCheck(new InetSocketAddress(lo, port), LocalEnd.ANY,
                new CheckTiming(connectTimeout, loop, retry, retryWait, Duration.ZERO, false));
        RealServer rs = new RealServer(lo, port, 1, List.of(check));
        VirtualServer vs1 = vs("10.97.0.100", rs);
        VirtualServer vs2 = vs("10.97.0.101", rs);
        BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        BlockingQueue<Verdict> verdicts = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> quorum = new LinkedBlockingQueue<>();
        try (CheckComponent checks = new CheckComponent(List.of(vs1, vs2), group, new Random(1))) {
            checks.addListener(new VerdictListener() {
                @Override
                public void verdict(Verdict v) {
                    verdicts.add(v);
                }

                @Override
                public void realServerChanged(VirtualServer vs, RealServer r, boolean alive) {
                    if (vs == vs1) {
                        changes.add(new Change(alive, System.nanoTime()));
                    }
                }

                @Override
                public void virtualServerChanged(VirtualServer vs, boolean up) {
                    if (vs == vs1) {
                        quorum.add(up);
                    }
                }
            });
            assertTrue(checks.hasQuorum(vs1), "alive from the start, as keepalived without alpha");
            checks.start();
            assertEquals(1, checks.checkCount(), "one check for both virtual servers");
            Verdict first = verdicts.poll(3, TimeUnit.SECONDS);
            assertNotNull(first);
            assertTrue(first.up(), "confirmed up");
            assertNull(changes.poll(300, TimeUnit.MILLISECONDS), "it was alive from the start");

            listener.close();
            long stopped = System.nanoTime();
            Change down = changes.poll(5, TimeUnit.SECONDS);
            assertNotNull(down, "never declared down");
            assertTrue(!down.alive());
            long bound = loop.toNanos() + (retry + 1) * connectTimeout.toNanos() + retry * retryWait.toNanos()
                    + 500_000_000L;
            assertTrue(down.at() - stopped <= bound, "down after " + (down.at() - stopped) / 1_000_000 + " ms");
            assertTrue(checks.isAlive(vs2, rs) == false);
            assertEquals(false, quorum.poll(1, TimeUnit.SECONDS), "its only real server is down: no quorum");
            assertTrue(!checks.hasQuorum(vs1));

            listener = listen(port);
            long restarted = System.nanoTime();
            Change up = changes.poll(5, TimeUnit.SECONDS);
            assertNotNull(up, "never declared up again");
            assertTrue(up.alive());
            assertTrue(up.at() - restarted <= loop.toNanos() + connectTimeout.toNanos() + 500_000_000L,
                    "up after " + (up.at() - restarted) / 1_000_000 + " ms");
            assertEquals(true, quorum.poll(1, TimeUnit.SECONDS), "quorum again");
            assertNull(changes.poll(1, TimeUnit.SECONDS), "each transition reported once");
            assertNull(quorum.poll(10, TimeUnit.MILLISECONDS), "each quorum change reported once");
        } finally {
            listener.close();
        }
    }

    record Mail(String subject, String body) {
    }

    @Test
    void keepalivedsMailsFollowAChecksChangesAndQuorumAndNoCheckerEmailsKeepsOnlyTheServersOwn() throws Exception {
        ServerSocket a = listen(0);
        ServerSocket b = listen(0);
        int portA = a.getLocalPort();
        int portB = b.getLocalPort();
        InetAddress lo = InetAddress.getLoopbackAddress();
        CheckTiming timing = new CheckTiming(Duration.ofMillis(300), Duration.ofMillis(200), 0, Duration.ofMillis(100),
                Duration.ZERO, false);
        TcpCheck checkA = new TcpCheck(new InetSocketAddress(lo, portA), LocalEnd.ANY, timing);
        TcpCheck checkB = new TcpCheck(new InetSocketAddress(lo, portB), LocalEnd.ANY, timing);
        RealServer rs = new RealServer(lo, portA, 1, List.of(checkA, checkB), Optional.empty(), Optional.empty(), true);
        RealServer quiet = new RealServer(lo, portB, 1, List.of(checkB), Optional.empty(), Optional.empty(), false);
        VirtualServer vs = new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP,
                Duration.ofSeconds(6), "rr", "DR", Optional.empty(), Optional.empty(), List.of(rs, quiet), 1, 0, true,
                VirtualServer.Notifies.NONE);
        BlockingQueue<Mail> mails = new LinkedBlockingQueue<>();
        BlockingQueue<Verdict> verdicts = new LinkedBlockingQueue<>();
        try (CheckComponent checks = new CheckComponent(List.of(vs), group, new Random(1))) {
            checks.alerts((subject, body) -> mails.add(new Mail(subject, body)), true);
            checks.addListener(new VerdictListener() {
                @Override
                public void verdict(Verdict v) {
                    verdicts.add(v);
                }
            });
            checks.start();
            String rsText = "Realserver [127.0.0.1]:tcp:" + portA + " of virtual server [10.97.0.100]:tcp:80";
            assertNull(mails.poll(600, TimeUnit.MILLISECONDS), "no mail while nothing changes");

            a.close();
            assertEquals(new Mail(rsText + " - DOWN", "=> TCP CHECK failed on service <="), mails.poll(3, TimeUnit.SECONDS));
            assertNull(mails.poll(300, TimeUnit.MILLISECONDS), "the other real server keeps quorum");

            b.close();
            assertEquals(new Mail("Virtualserver [10.97.0.100]:tcp:80 - DOWN", "=> Lost quorum 1+0=1 <= 0 <="),
                    mails.poll(3, TimeUnit.SECONDS), "the quiet server's check is not mailed, its quorum is");
            assertNull(mails.poll(300, TimeUnit.MILLISECONDS), "no_checker_emails: B's failure left " + rsText
                    + " dead, as it was");

            a = listen(portA);
            awaitVerdict(verdicts, checkA, true);
            assertNull(mails.poll(300, TimeUnit.MILLISECONDS), "A is up, but the real server is still dead (B)");

            b = listen(portB);
            List<Mail> back = List.of(mails.poll(3, TimeUnit.SECONDS), mails.poll(3, TimeUnit.SECONDS));
            assertTrue(back.contains(new Mail(rsText + " - UP", "=> TCP CHECK succeed on service <=")), back.toString());
            assertTrue(back.contains(new Mail("Virtualserver [10.97.0.100]:tcp:80 - UP", "=> Gained quorum 1+0=1 <= 2 <="))
                    || back.contains(new Mail("Virtualserver [10.97.0.100]:tcp:80 - UP", "=> Gained quorum 1+0=1 <= 1 <=")),
                    back.toString());
            assertNull(mails.poll(300, TimeUnit.MILLISECONDS));
        } finally {
            a.close();
            b.close();
        }
    }

    private static void awaitVerdict(BlockingQueue<Verdict> verdicts, TcpCheck check, boolean up) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            Verdict v = verdicts.poll(100, TimeUnit.MILLISECONDS);
            if (v != null && v.check().equals(check) && v.up() == up) {
                return;
            }
        }
        throw new AssertionError("no verdict " + (up ? "up" : "down") + " for " + check.target());
    }

    private static VirtualServer vs(String address, RealServer rs) throws Exception {
        return new VirtualServer(InetAddress.getByName(address), 80, Protocol.TCP, Duration.ofSeconds(6), "rr", "DR",
                Optional.empty(), Optional.empty(), List.of(rs));
    }

    private static ServerSocket listen(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
