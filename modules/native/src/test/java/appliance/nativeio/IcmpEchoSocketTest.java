package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Echoes on a namespace's loopback, through a raw ICMP socket (a fresh namespace's
 * ping_group_range admits no group) and through a ping socket once the namespace admits ours.
 */
class IcmpEchoSocketTest {

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    record Reply(InetAddress from, int sequence) {
    }

    @Test
    void rawAndPingSocketsMatchRepliesToTheirRequests() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=1 0");
            echoes(ns, false, false);
            echoes(ns, true, false);
            ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647");
            echoes(ns, false, true);
            echoes(ns, true, true);
        }
    }

    private static void echoes(TestNetns ns, boolean ipv6, boolean expectPing) throws Exception {
        BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        try (IcmpEchoSocket s = ns.call(() -> IcmpEchoSocket.open(loop, ipv6, (from, seq) -> replies.add(new Reply(from, seq))))) {
            assertEquals(expectPing, s.isPingSocket(), s.toString());
            InetAddress lo = InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1");
            s.send(lo, 1, new byte[] {1, 2, 3});
            s.send(lo, 65535, new byte[56]);
            Reply a = replies.poll(2, TimeUnit.SECONDS);
            Reply b = replies.poll(2, TimeUnit.SECONDS);
            assertEquals(new Reply(lo, 1), a, s + ": the first reply");
            assertEquals(new Reply(lo, 65535), b, s + ": the second");
            assertNull(replies.poll(200, TimeUnit.MILLISECONDS), s + ": its own requests are not replies");
            // Another process's pings on the same address are not ours.
            ns.exec("ping", ipv6 ? "-6" : "-4", "-c", "2", "-i", "0.2", "-W", "1", lo.getHostAddress());
            assertNull(replies.poll(200, TimeUnit.MILLISECONDS), s + ": ping(8)'s replies were taken for ours");
            assertFalse(ipv6 && s.toString().contains("v4"));
            assertTrue(s.toString().contains(ipv6 ? "v6" : "socket"));
        }
    }
}
