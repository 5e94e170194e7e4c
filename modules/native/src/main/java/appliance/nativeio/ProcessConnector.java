package appliance.nativeio;

import appliance.codec.netlink.NetlinkDecodeException;
import appliance.codec.netlink.ProcEvent;
import io.netty.channel.IoEventLoop;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's process connector (NETLINK_CONNECTOR, CN_IDX_PROC) on an event loop: every fork,
 * exec, name change and exit on the machine, as keepalived's track_process hears them, never
 * polled. The kernel offers it only to the initial network namespace (elsewhere the socket is
 * refused: EPROTONOSUPPORT) and to CAP_NET_ADMIN.
 *
 * <p>Threading: {@link #open} off the loop; the listeners run on the loop; {@link #close} from any thread.
 */
public final class ProcessConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessConnector.class);
    private static final int NETLINK_CONNECTOR = 11;
    private static final int MAX_READS_PER_EVENT = 64;
    private static final byte[] KERNEL = Syscalls.sockaddrNl(0, 0);

    private final EpollSocket socket;
    private final Consumer<ProcEvent> events;
    private final Runnable eventsLost;

    private ProcessConnector(IoEventLoop loop, int fd, Consumer<ProcEvent> events, Runnable eventsLost)
            throws NativeException {
        this.events = events;
        this.eventsLost = eventsLost;
        this.socket = EpollSocket.register(loop, fd, "process connector", this::readable, null);
    }

    /**
     * Subscribes. {@code eventsLost} runs on the loop when the socket's queue overflowed
     * (ENOBUFS): the caller should look at /proc again.
     *
     * @throws NativeException EPROTONOSUPPORT outside the initial network namespace, EPERM without CAP_NET_ADMIN
     */
    public static ProcessConnector open(IoEventLoop loop, Consumer<ProcEvent> events, Runnable eventsLost)
            throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(eventsLost, "eventsLost");
        if (loop.inEventLoop()) {
            throw new IllegalStateException("ProcessConnector.open waits for its loop: call it off the loop");
        }
        int fd = Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_DGRAM, NETLINK_CONNECTOR,
                "socket(AF_NETLINK, SOCK_DGRAM, NETLINK_CONNECTOR)");
        try {
            Syscalls.bind(fd, Syscalls.sockaddrNl(0, ProcEvent.CN_IDX_PROC), "bind(NETLINK_CONNECTOR, CN_IDX_PROC)");
            byte[] listen = ProcEvent.subscription(true, 1, 0);
            long n = Syscalls.sendTo(fd, listen, KERNEL);
            if (n < 0) {
                throw new NativeException("send(PROC_CN_MCAST_LISTEN)", (int) -n);
            }
        } catch (NativeException e) {
            Syscalls.close(fd);
            throw e;
        }
        return new ProcessConnector(loop, fd, events, eventsLost);
    }

    private void readable(EpollSocket s) {
        ReceiveBuffer buffer = ReceiveBuffer.forNetlinkOnThisThread();
        for (int i = 0; i < MAX_READS_PER_EVENT && s.isOpen(); i++) {
            int n = buffer.receive(s.intValue());
            if (n < 0) {
                if (-n == Errno.EINTR) {
                    continue;
                }
                if (-n == Errno.ENOBUFS) {
                    log.warn("process connector: the kernel's events overflowed the socket; looking at /proc again");
                    eventsLost.run();
                    continue;
                }
                if (-n != Errno.EAGAIN) {
                    log.warn("process connector: recv failed: {}", Errno.describe(-n));
                }
                return;
            }
            if (n > ReceiveBuffer.CAPACITY) {
                continue;
            }
            List<ProcEvent> decoded;
            try {
                decoded = ProcEvent.decode(buffer.copy(n), n);
            } catch (NetlinkDecodeException e) {
                log.warn("process connector: undecodable {}-byte datagram: {}", n, e.getMessage());
                continue;
            }
            for (ProcEvent e : decoded) {
                try {
                    events.accept(e);
                } catch (RuntimeException ex) {
                    log.warn("process connector: listener failed", ex);
                }
            }
        }
    }

    @Override
    public void close() {
        if (socket.isOpen()) {
            Syscalls.sendTo(socket.intValue(), ProcEvent.subscription(false, 2, 0), KERNEL);
        }
        socket.close();
    }
}
