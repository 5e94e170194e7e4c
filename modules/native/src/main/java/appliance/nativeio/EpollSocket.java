package appliance.nativeio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket fd registered on a Netty epoll loop as an {@link EpollIoHandle}: the glue every socket
 * of this package shares. Owns the fd from registration on and closes it exactly once.
 *
 * <p>Threading: {@link Reader#readable} runs on the loop. {@link #sendTo} runs on the calling
 * thread (sendto on a non-blocking fd is thread-safe); a read lock keeps the fd from being closed
 * and its number reused under it. The fd is closed on the loop, in {@link #unregistered()}, after
 * Netty has removed it from epoll, so a read in progress never meets a closed or reused fd.
 */
final class EpollSocket implements EpollIoHandle {

    private static final Logger log = LoggerFactory.getLogger(EpollSocket.class);

    private static final long REGISTER_TIMEOUT_SECONDS = 10;
    private static final long CLOSE_TIMEOUT_MILLIS = 2000;

    /** Drains the socket; called on the loop when it is readable or has a pending error. */
    @FunctionalInterface
    interface Reader {
        void readable(EpollSocket socket);
    }

    private final IoEventLoop loop;
    private final FileDescriptor fd;
    private final String description;
    private final Reader reader;
    private final Runnable onClose;
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile IoRegistration registration;
    /** See {@link #paceReads}; 0: every readiness is handled at once. */
    private volatile long readPacingNanos;
    // loop-confined
    private long lastReadAt;
    private boolean readingPaused;
    private final Runnable resumeReading = this::resumeReading;

    private EpollSocket(IoEventLoop loop, int fd, String description, Reader reader, Runnable onClose) {
        this.loop = loop;
        this.fd = new FileDescriptor(fd);
        this.description = description;
        this.reader = reader;
        this.onClose = onClose;
    }

    /**
     * Registers {@code fd} on {@code loop}, asks for EPOLLIN when there is a reader, and waits
     * until both are done. On failure the fd is closed.
     *
     * @param reader  null for a send-only socket (epoll then reports only errors)
     * @param onClose run once when the fd has been closed (on the loop, unless the loop is gone)
     * @throws IllegalStateException when called on the loop (it would wait for itself) or the
     *                               loop is shut down
     */
    static EpollSocket register(IoEventLoop loop, int fd, String description, Reader reader, Runnable onClose)
            throws NativeException {
        if (loop.inEventLoop()) {
            Syscalls.close(fd);
            throw new IllegalStateException("open " + description + " off its event loop: it waits for the loop");
        }
        EpollSocket socket = new EpollSocket(loop, fd, description, reader, onClose);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        try {
            // Listeners of the registration future run on the loop.
            loop.register(socket).addListener((Future<IoRegistration> f) -> socket.registered(f, ready));
            ready.get(REGISTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return socket;
        } catch (ExecutionException e) {
            socket.close();
            throw registrationFailed(description, e.getCause());
        } catch (RejectedExecutionException | TimeoutException e) {
            socket.close();
            throw new IllegalStateException("event loop did not register " + description + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.close();
            throw new IllegalStateException("interrupted while registering " + description, e);
        }
    }

    private void registered(Future<IoRegistration> f, CompletableFuture<Void> ready) {
        if (!f.isSuccess()) {
            ready.completeExceptionally(f.cause());
            return;
        }
        // Keep the registration the future gives (the loop's wrapper, which also keeps the loop's
        // count of registrations), not the one handle() receives.
        IoRegistration r = f.getNow();
        registration = r;
        if (closing.get()) { // closed while registering (the opener gave up waiting)
            r.cancel();
            return;
        }
        try {
            // Until this, the fd sits in epoll with EPOLLERR only.
            if (reader != null) {
                r.submit(EpollIoOps.EPOLLIN);
            }
            ready.complete(null);
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
        }
    }

    private static NativeException registrationFailed(String description, Throwable cause) {
        if (cause instanceof UncheckedIOException u) {
            cause = u.getCause(); // how submit() reports a failed epoll_ctl
        }
        if (cause instanceof Errors.NativeIoException nio) {
            NativeException e = new NativeException("epoll_ctl(" + description + ")", -nio.expectedErr());
            e.initCause(cause);
            return e;
        }
        if (cause instanceof NativeException ne) {
            return ne;
        }
        throw new IllegalStateException("could not register " + description + " on its event loop", cause);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    IoEventLoop loop() {
        return loop;
    }

    /** The fd number, for reads on the loop. */
    int intValue() {
        return fd.intValue();
    }

    boolean isOpen() {
        return !closing.get();
    }

    /**
     * Netty calls this on the loop. Nothing may escape: an exception thrown into the epoll loop
     * makes Netty sleep a whole second before polling again.
     */
    @Override
    public void handle(IoRegistration ignored, IoEvent event) {
        if (closing.get()) {
            return;
        }
        try {
            int ops = ((EpollIoEvent) event).ops().value();
            boolean error = (ops & EpollIoOps.EPOLLERR.value()) != 0;
            if (reader != null && (error || (ops & EpollIoOps.EPOLLIN.value()) != 0)) {
                reader.readable(this); // recvfrom reports and clears a pending error
                pace();
            } else if (error) {
                int errno = Syscalls.takeSocketError(fd.intValue());
                log.debug("{}: socket error {}", description, errno == 0 ? "none" : Errno.describe(errno));
            }
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure while handling {}", description, event, e);
        }
    }

    /**
     * Reading in step with dense traffic: when datagrams keep arriving less than 4 ×
     * {@code nanos} apart, the socket is read at most once per {@code nanos} (epoll stops
     * reporting it that long; the kernel queues meanwhile), so that one wakeup of the loop reads
     * many datagrams instead of one. A backup of 255 instances at 100 ms otherwise wakes 2,550
     * times a second, and a wakeup costs more than reading a datagram. Sparse traffic is read as
     * it comes. What waits loses nothing that its kernel timestamp does not give back, and
     * {@link #readNow} reads at once whoever must not wait. 0 turns pacing off. Any thread.
     */
    void paceReads(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("pacing must be >= 0, was " + nanos);
        }
        readPacingNanos = nanos;
    }

    /** On the loop: reads what is queued now, paced or not. */
    void readNow() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException(description + ": read it on its loop");
        }
        if (reader != null && !closing.get()) {
            reader.readable(this);
        }
    }

    private void pace() {
        long pacing = readPacingNanos;
        if (pacing == 0 || readingPaused) {
            return;
        }
        long now = System.nanoTime();
        boolean dense = now - lastReadAt < 4 * pacing;
        lastReadAt = now;
        IoRegistration r = registration;
        if (!dense || r == null || closing.get()) {
            return;
        }
        r.submit(EpollIoOps.EPOLLERR); // epoll_ctl: readiness no longer reported
        readingPaused = true;
        loop.schedule(resumeReading, pacing, TimeUnit.NANOSECONDS);
    }

    private void resumeReading() {
        readingPaused = false;
        IoRegistration r = registration;
        if (r != null && !closing.get()) {
            try {
                r.submit(EpollIoOps.EPOLLIN); // level-triggered: reported at once if datagrams queued
            } catch (RuntimeException e) {
                log.error("{}: could not resume reading", description, e);
            }
        }
    }

    /** sendto from any thread; bytes sent or {@code -errno} (EBADF once closed). */
    long sendTo(byte[] buffer, byte[] address) {
        ReentrantReadWriteLock.ReadLock lock = fdLock.readLock();
        lock.lock();
        try {
            return fd.isOpen() ? Syscalls.sendTo(fd.intValue(), buffer, address) : -Errno.EBADF;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An IPv4 datagram from {@code source} ({@link SourcedDatagram}), from any thread; bytes sent
     * or {@code -errno}. No lambda on this path: its first use would be linked on a takeover.
     */
    long sendFrom(byte[] payload, java.net.Inet4Address destination, java.net.Inet4Address source, int ttl) {
        ReentrantReadWriteLock.ReadLock lock = fdLock.readLock();
        lock.lock();
        try {
            return fd.isOpen() ? SourcedDatagram.send(fd.intValue(), payload, destination, source, ttl) : -Errno.EBADF;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An IPv6 datagram from {@code source} out of {@code interfaceIndex} ({@link SourcedIpv6Datagram}),
     * from any thread; bytes sent or {@code -errno}. As {@link #sendFrom(byte[], java.net.Inet4Address,
     * java.net.Inet4Address, int)}, no lambda on this path.
     */
    long sendFrom(byte[] payload, java.net.Inet6Address destination, java.net.Inet6Address source,
                  int interfaceIndex, int hopLimit) {
        ReentrantReadWriteLock.ReadLock lock = fdLock.readLock();
        lock.lock();
        try {
            return fd.isOpen()
                    ? SourcedIpv6Datagram.send(fd.intValue(), payload, destination, source, interfaceIndex, hopLimit)
                    : -Errno.EBADF;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Idempotent, from any thread; also what Netty calls when the loop shuts down. Off the loop
     * it waits (up to 2 s) until the fd is closed, so no handler runs after it returns.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            IoRegistration r = registration;
            boolean cancelled = false;
            if (r != null) {
                try {
                    // Netty removes the fd from epoll on the loop, then calls unregistered().
                    cancelled = r.cancel();
                } catch (RejectedExecutionException e) {
                    cancelled = false; // the loop is gone; so is its epoll
                }
            }
            if (!cancelled) {
                closeOnLoop();
            }
        }
        if (!loop.inEventLoop()) {
            try {
                closed.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("{}: close did not complete on the loop in time", description);
            }
        }
    }

    @Override
    public void unregistered() {
        closeFd();
    }

    private void closeOnLoop() {
        if (loop.inEventLoop() || registration == null) {
            closeFd(); // nobody reads an fd that was never registered
            return;
        }
        try {
            loop.execute(this::closeFd);
        } catch (RejectedExecutionException e) {
            closeFd();
        }
    }

    private void closeFd() {
        closing.set(true);
        ReentrantReadWriteLock.WriteLock lock = fdLock.writeLock();
        lock.lock();
        try {
            if (fd.isOpen()) {
                fd.close();
            }
        } catch (IOException e) {
            log.debug("{}: close failed", description, e);
        } finally {
            lock.unlock();
        }
        if (!closed.isDone() && closed.complete(null) && onClose != null) {
            try {
                onClose.run();
            } catch (RuntimeException e) {
                log.error("{}: close callback failed", description, e);
            }
        }
    }

    @Override
    public String toString() {
        return description + "(fd " + fd.intValue() + (closing.get() ? ", closed)" : ")");
    }
}
