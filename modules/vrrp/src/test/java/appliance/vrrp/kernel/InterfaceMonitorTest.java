package appliance.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.Rtnetlink;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12, item 5: after lost notifications (ENOBUFS) the interfaces are read again until a read succeeds. */
class InterfaceMonitorTest {

    final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** A kernel whose next {@code failures} dumps fail, as a dump does whose answers were lost. */
    final class FlakyDumps implements InterfaceMonitor.Dumps {
        volatile int flags = InterfaceTableTest.UP;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger linkDumps = new AtomicInteger();

        @Override
        public EventExecutor loop() {
            return loop;
        }

        @Override
        public CompletableFuture<List<IfInfoMessage>> dumpLinks() {
            linkDumps.incrementAndGet();
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(new IOException("RTM_GETLINK dump: no reply from the kernel"));
            }
            return CompletableFuture.completedFuture(List.of(InterfaceTableTest.link(Rtnetlink.RTM_NEWLINK, 4, "e0", flags)));
        }

        @Override
        public CompletableFuture<List<IfAddrMessage>> dumpAddresses() {
            return CompletableFuture.completedFuture(
                    List.of(InterfaceTableTest.address(Rtnetlink.RTM_NEWADDR, 4, "10.99.0.1", 0)));
        }
    }

    @Test
    void aReadAfterLostNotificationsIsRetriedUntilItSucceeds() throws Exception {
        FlakyDumps kernel = new FlakyDumps();
        InterfaceMonitor monitor = new InterfaceMonitor(kernel);
        monitor.load().get(5, TimeUnit.SECONDS);
        InterfaceView start = monitor.view("e0", Set.of()).get(5, TimeUnit.SECONDS);
        assertTrue(start.up());
        LinkedBlockingQueue<InterfaceView> seen = new LinkedBlockingQueue<>();
        InterfaceMonitor.Watcher watcher = new InterfaceMonitor.Watcher() {
            @Override public String name() { return "e0"; }
            @Override public Set<InetAddress> ownAddresses() { return Set.of(); }
            @Override public void viewChanged(InterfaceView previous, InterfaceView current) { seen.add(current); }
        };
        monitor.watch(List.of(watcher), List.of(start));
        // The read that watch() starts has run (its answers are immediate here) before the kernel turns flaky.
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertEquals(2, kernel.linkDumps.get(), "load() and the read after watch()");

        // The link went down while the kernel was dropping our notifications, and the reads fail three times.
        kernel.flags = IfInfoMessage.IFF_UP;
        kernel.failures.set(3);
        int before = kernel.linkDumps.get();
        long t0 = System.nanoTime();
        loop.execute(monitor::notificationsLost);
        InterfaceView after = seen.poll(5, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertNotNull(after, "the lost change never reached the watcher");
        assertFalse(after.up());
        assertEquals(4, kernel.linkDumps.get() - before, "three failed reads, then one that succeeded");
        // Backoff 100, 200, 400 ms between the attempts.
        assertTrue(tookMillis >= 700 && tookMillis < 3_000, "took " + tookMillis + " ms");
        monitor.close();
    }
}
