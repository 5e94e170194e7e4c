package appliance.nativeio;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * What a socket's non-blocking sends report when they fail: every failure counted, and a warning
 * only when the errno changes and is not a full queue (EAGAIN, ENOBUFS), so that a dead link at
 * 100 adverts a second logs once rather than a hundred times a second. Any thread.
 */
final class SendFailures {

    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger lastErrno = new AtomicInteger();

    /**
     * @param result      what sendto returned: a length, or {@code -errno}
     * @param socket      named in the warning
     * @param destination named in the warning, or null when the socket implies it
     * @return whether it was sent
     */
    boolean sent(long result, Logger log, Object socket, InetAddress destination) {
        if (result >= 0) {
            return true;
        }
        dropped.increment();
        int errno = (int) -result;
        if (lastErrno.getAndSet(errno) != errno && errno != Errno.EAGAIN && errno != Errno.ENOBUFS) {
            log.warn("{}: sendto{} failed: {}", socket, destination == null ? "" : " " + destination.getHostAddress(),
                    Errno.describe(errno));
        }
        return false;
    }

    long dropped() {
        return dropped.sum();
    }
}
