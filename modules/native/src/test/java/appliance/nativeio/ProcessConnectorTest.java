package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import appliance.codec.netlink.ProcEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kernel's process connector, for real: a process started and ended here is heard, exec and exit. */
class ProcessConnectorTest {

    @Test
    void hearsAProcessExecAndExit() throws Exception {
        assumeTrue(Accounts.uid() == 0, "the connector needs CAP_NET_ADMIN");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<ProcEvent> events = new CopyOnWriteArrayList<>();
        try {
            ProcessConnector connector;
            try {
                connector = ProcessConnector.open((IoEventLoop) group.next(), events::add, () -> { });
            } catch (NativeException e) {
                assumeTrue(!e.isProtocolUnsupported(), "not in the initial network namespace: " + e.getMessage());
                throw e;
            }
            try (connector) {
                Process p = new ProcessBuilder("sleep", "0.2").start();
                long pid = p.pid();
                assertTrue(p.waitFor(5, TimeUnit.SECONDS));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && events.stream().noneMatch(e -> e.kind() == ProcEvent.Kind.EXIT
                        && e.pid() == pid)) {
                    Thread.sleep(20);
                }
                assertTrue(events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.EXEC && e.pid() == pid && e.isProcess()),
                        "exec of " + pid + " in " + events.size() + " events");
                assertTrue(events.stream().anyMatch(e -> e.kind() == ProcEvent.Kind.EXIT && e.pid() == pid),
                        "exit of " + pid);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
