package appliance.nativeio;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

import appliance.codec.netlink.NetlinkAck;
import appliance.codec.netlink.NetlinkDecodeException;
import appliance.codec.netlink.NetlinkDone;
import appliance.codec.netlink.NetlinkError;
import appliance.codec.netlink.NetlinkHeader;
import appliance.codec.netlink.NetlinkMessage;
import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket on the event loop, whatever its protocol (NETLINK_ROUTE for addresses, routes
 * and links; NETLINK_GENERIC for IPVS): each request carries a sequence number, and the kernel's
 * ACK, ERROR or DONE with that number completes its future with the messages that came before.
 *
 * <p>The kernel runs one dump per socket at a time (a second one fails with EBUSY), so dumps
 * wait in a queue while one is running; other requests go out at once. A dump the kernel marks
 * NLM_F_DUMP_INTR (the table changed while it ran, so the list may be inconsistent) is run again,
 * up to {@value #MAX_DUMP_ATTEMPTS} times in all; only then does it fail with NativeException
 * EINTR. Only the kernel (port 0) is trusted. ENOBUFS (the receive queue overflowed) is reported
 * to {@code notificationsLost}; the requests whose replies were lost time out.
 *
 * <p>Threading: {@link #open} off the loop. Requests and {@link #close} from any thread. Futures
 * complete on the loop, so their callbacks must not block. A request with no reply within its
 * timeout fails with a {@link TimeoutException}; {@link #close} fails pending ones with an
 * IOException.
 */
final class NetlinkClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetlinkClient.class);

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private static final byte[] KERNEL = Syscalls.sockaddrNl(0, 0);
    private static final int MAX_READS_PER_EVENT = 256;
    static final int MAX_DUMP_ATTEMPTS = 10;
    /** Offset of nl_pid in struct sockaddr_nl: 0 when the kernel sent the datagram. */
    private static final int SOCKADDR_NL_PID = 4;

    private final IoEventLoop loop;
    private final Duration timeout;
    private final AtomicInteger sequences = new AtomicInteger();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder dumpsRepeated = new LongAdder();
    private volatile boolean closed;

    // Confined to the loop.
    private final Map<Integer, Request<?>> pending = new HashMap<>();
    private final ArrayDeque<Request<?>> waitingDumps = new ArrayDeque<>();
    private Request<?> runningDump;
    /** Inside {@link #readable}: a request sent from a completion must not read (and reorder) under it. */
    private boolean reading;

    private final EpollSocket socket;
    /** "rtnetlink", "generic netlink": for logs and errors. */
    private final String name;
    private final Decoder decoder;
    /** Receives the kernel's unsolicited messages (sequence 0) of the groups subscribed at open; may be null. */
    private final Consumer<NetlinkMessage> notifications;

    /** Told when the kernel dropped notifications for want of buffer (ENOBUFS): state must be read afresh. */
    private final Runnable notificationsLost;

    private NetlinkClient(IoEventLoop loop, Duration timeout, int fd, String name, Decoder decoder,
                          Consumer<NetlinkMessage> notifications, Runnable notificationsLost) throws NativeException {
        this.loop = loop;
        this.timeout = timeout;
        this.name = name;
        this.decoder = decoder;
        this.notifications = notifications;
        this.notificationsLost = notificationsLost;
        this.socket = EpollSocket.register(loop, fd, name + " socket", this::readable, this::socketClosed);
    }

    /** A protocol's reader of the datagrams the kernel sends (Rtnetlink.decode, GenericNetlink.decode). */
    @FunctionalInterface
    interface Decoder {
        List<NetlinkMessage> decode(byte[] buf, int off, int len) throws NetlinkDecodeException;
    }

    /**
     * Opens a netlink socket of {@code protocol} in the calling thread's network namespace, bound
     * to multicast {@code groups} (0: none; then {@code notifications} and {@code notificationsLost}
     * may be null). Off the loop only: it waits for the registration.
     */
    static NetlinkClient open(IoEventLoop loop, int protocol, String name, Decoder decoder, Duration timeout, int groups,
                              Consumer<NetlinkMessage> notifications, Runnable notificationsLost) throws NativeException {
        Objects.requireNonNull(loop, "loop");
        if (loop.inEventLoop()) {
            throw new IllegalStateException("opening a " + name + " socket waits for its loop: call it off the loop");
        }
        int fd = Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW, protocol,
                "socket(AF_NETLINK, SOCK_RAW, " + name + ")");
        try {
            Syscalls.bind(fd, Syscalls.sockaddrNl(0, groups), "bind(AF_NETLINK, groups 0x" + Integer.toHexString(groups) + ")");
        } catch (NativeException e) {
            Syscalls.close(fd);
            throw e;
        }
        return new NetlinkClient(loop, timeout, fd, name, decoder, notifications, notificationsLost);
    }

    /**
     * Sends the message {@code encoder} builds for a fresh sequence number. Encoding happens on
     * the calling thread, so invalid arguments throw there.
     *
     * @param dump   whether the reply is a multipart dump ended by NLMSG_DONE (else an ACK)
     * @param result turns the dump's messages (empty for an ACK) into the future's value
     */
    <T> CompletableFuture<T> request(String call, IntFunction<byte[]> encoder, boolean dump,
                                     Function<List<NetlinkMessage>, T> result) {
        int sequence = nextSequence();
        Request<T> r = new Request<>(sequence, call, encoder, dump, result);
        if (loop.inEventLoop()) {
            start(r);
        } else {
            try {
                loop.execute(() -> start(r));
            } catch (RejectedExecutionException e) {
                r.future.completeExceptionally(closedException(r));
            }
        }
        return r.future;
    }

    public IoEventLoop eventLoop() {
        return loop;
    }

    /** Dumps run again because the kernel marked them interrupted (NLM_F_DUMP_INTR). */
    public long dumpsRepeated() {
        return dumpsRepeated.sum();
    }

    /** Messages dropped: not from the kernel, undecodable, or for no pending request. */
    public long ignoredMessages() {
        return ignored.sum();
    }

    /** Idempotent, any thread; fails the pending requests. Off the loop it returns once they are failed. */
    @Override
    public void close() {
        closed = true;
        socket.close();
    }

    private int nextSequence() {
        int s;
        do {
            s = sequences.incrementAndGet();
        } while (s == 0); // 0 is what kernel notifications carry
        return s;
    }

    private void start(Request<?> r) {
        if (closed) {
            r.future.completeExceptionally(closedException(r));
            return;
        }
        try {
            r.timeout = loop.schedule(() -> expired(r), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the loop is shutting down
            r.future.completeExceptionally(closedException(r));
            return;
        }
        pending.put(r.sequence, r);
        if (r.dump && runningDump != null) {
            waitingDumps.add(r);
        } else {
            transmit(r);
        }
    }

    private void transmit(Request<?> r) {
        if (r.dump) {
            runningDump = r;
        }
        long n = socket.sendTo(r.message, KERNEL);
        if (n < 0) {
            fail(r, new NativeException("sendto(" + r.call + ")", (int) -n));
        } else if (!r.dump && !reading) {
            // The kernel runs a route (or IPVS) request in the sender's context, so its ack is queued
            // by the time sendto returns: read it now rather than after whatever else this loop turn
            // does. On a VRRP takeover this is what lets the gratuitous ARPs follow the address at once.
            readable(socket);
        }
    }

    private void expired(Request<?> r) {
        if (pending.get(r.sequence) == r) {
            fail(r, new TimeoutException(r.call + ": no reply from the kernel in " + timeout.toMillis() + " ms"));
        }
    }

    private void readable(EpollSocket s) {
        reading = true;
        try {
            readAvailable(s);
        } finally {
            reading = false;
        }
    }

    private void readAvailable(EpollSocket s) {
        // Its own buffer: a request sent from a raw-socket handler reads its ack at once, on the
        // same thread, while the handler may still hold the raw socket's buffer.
        ReceiveBuffer buffer = ReceiveBuffer.forNetlinkOnThisThread();
        for (int i = 0; i < MAX_READS_PER_EVENT && s.isOpen(); i++) {
            int n = buffer.receiveWithAddress(s.intValue());
            if (n < 0) {
                if (-n == Errno.EINTR) {
                    continue;
                }
                if (-n != Errno.EAGAIN) {
                    // ENOBUFS: the receive queue overflowed and replies were lost; their
                    // requests time out rather than hang.
                    log.warn("{} recvfrom failed: {}", name, Errno.describe(-n));
                    if (-n == Errno.ENOBUFS && notificationsLost != null) {
                        notificationsLost.run();
                    }
                }
                return;
            }
            if (n > ReceiveBuffer.CAPACITY || buffer.address.getInt(SOCKADDR_NL_PID) != 0) {
                ignored.increment(); // truncated, or not from the kernel (as keepalived, trust only pid 0)
                continue;
            }
            List<NetlinkMessage> messages;
            try {
                messages = decoder.decode(buffer.copy(n), 0, n);
            } catch (NetlinkDecodeException e) {
                ignored.increment();
                log.warn("{}: undecodable {}-byte datagram: {}", name, n, e.getMessage());
                continue;
            }
            for (NetlinkMessage m : messages) {
                dispatch(m);
            }
        }
    }

    private void dispatch(NetlinkMessage m) {
        // A change another process asked for is multicast with that process's sequence number and
        // port (an `ip addr add` notification carries ip's), not 0: what answers none of our
        // requests is a notification.
        if (notifications != null && (m.header().sequence() == 0 || !pending.containsKey(m.header().sequence()))) {
            try {
                notifications.accept(m);
            } catch (RuntimeException e) {
                log.warn("{} notification handler failed on {}: {}", name, m.header(), e.toString());
            }
            return;
        }
        Request<?> r = pending.get(m.header().sequence());
        if (r == null) {
            ignored.increment();
            log.debug("{}: no request waits for {}", name, m.header());
            return;
        }
        if (m instanceof NetlinkAck) {
            succeed(r);
        } else if (m instanceof NetlinkError e) {
            fail(r, new NativeException(r.call, e.errno()));
        } else if (m instanceof NetlinkDone done) {
            if (done.error() < 0) {
                fail(r, new NativeException(r.call, -done.error()));
            } else if (r.interrupted && r.attempts < MAX_DUMP_ATTEMPTS) {
                repeat(r);
            } else if (r.interrupted) {
                fail(r, new NativeException(r.call, Errno.EINTR, r.call + ": interrupted by concurrent changes"
                        + " (NLM_F_DUMP_INTR) " + r.attempts + " times in a row"));
            } else {
                succeed(r);
            }
        } else {
            // A dump's parts, or the reply of a request that is answered before its ack (generic
            // netlink's GET_INFO, the controller's GETFAMILY).
            r.interrupted |= r.dump && m.header().has(NetlinkHeader.NLM_F_DUMP_INTR);
            r.parts.add(m);
        }
    }

    /** Runs an interrupted dump again under a new sequence number; it stays the running dump. */
    private void repeat(Request<?> r) {
        dumpsRepeated.increment();
        log.debug("{} interrupted by a concurrent change (NLM_F_DUMP_INTR): dumping again", r.call);
        pending.remove(r.sequence, r);
        r.renumber(nextSequence());
        pending.put(r.sequence, r);
        long n = socket.sendTo(r.message, KERNEL);
        if (n < 0) {
            fail(r, new NativeException("sendto(" + r.call + ")", (int) -n));
        }
    }

    private void succeed(Request<?> r) {
        if (finish(r)) {
            r.succeed();
        }
    }

    private void fail(Request<?> r, Throwable error) {
        if (finish(r)) {
            r.future.completeExceptionally(error);
        }
    }

    /** Forgets {@code r}, starts the next waiting dump; false when {@code r} was already finished. */
    private boolean finish(Request<?> r) {
        if (!pending.remove(r.sequence, r)) {
            return false;
        }
        waitingDumps.remove(r);
        if (r.timeout != null) {
            r.timeout.cancel(false);
        }
        if (runningDump == r) {
            runningDump = null;
            Request<?> next = waitingDumps.poll();
            if (next != null) {
                transmit(next);
            }
        }
        return true;
    }

    /** The socket's fd is closed (by {@link #close} or the loop's shutdown): nothing will answer. */
    private void socketClosed() {
        closed = true;
        List<Request<?>> orphans = new ArrayList<>(pending.values());
        pending.clear();
        waitingDumps.clear();
        runningDump = null;
        for (Request<?> r : orphans) {
            if (r.timeout != null) {
                r.timeout.cancel(false);
            }
            r.future.completeExceptionally(closedException(r));
        }
    }

    private IOException closedException(Request<?> r) {
        return new IOException(r.call + ": " + name + " client closed");
    }

    /** The messages of {@code type} among a reply's, in order. */
    static <M extends NetlinkMessage> List<M> only(Class<M> type, List<NetlinkMessage> parts) {
        List<M> out = new ArrayList<>(parts.size());
        for (NetlinkMessage m : parts) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return List.copyOf(out);
    }

    private static final class Request<T> {
        int sequence;
        final String call;
        private final IntFunction<byte[]> encoder;
        byte[] message;
        final boolean dump;
        final Function<List<NetlinkMessage>, T> result;
        final CompletableFuture<T> future = new CompletableFuture<>();
        final List<NetlinkMessage> parts = new ArrayList<>();
        boolean interrupted;
        int attempts = 1;
        ScheduledFuture<?> timeout;

        Request(int sequence, String call, IntFunction<byte[]> encoder, boolean dump,
                Function<List<NetlinkMessage>, T> result) {
            this.sequence = sequence;
            this.call = call;
            this.encoder = encoder;
            this.message = encoder.apply(sequence);
            this.dump = dump;
            this.result = result;
        }

        /** For another attempt of an interrupted dump: what it gathered is thrown away. */
        void renumber(int newSequence) {
            sequence = newSequence;
            message = encoder.apply(newSequence);
            parts.clear();
            interrupted = false;
            attempts++;
        }

        void succeed() {
            try {
                future.complete(result.apply(parts));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }
}
