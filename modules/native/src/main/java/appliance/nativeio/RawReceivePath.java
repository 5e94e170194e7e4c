package appliance.nativeio;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The receive path the raw IPv4 and IPv6 sockets share: reading the thread's {@link DatagramBatch}
 * until the socket is empty, dropping what was cut short, keeping each datagram's kernel
 * timestamp for the handler, counting, and surviving a handler that throws. What differs, the
 * handler's signature, is the {@link Delivery}.
 */
final class RawReceivePath {

    /** Hands the selected datagram to the socket's handler; false when it cannot (counted as an error). */
    @FunctionalInterface
    interface Delivery {
        boolean deliver(DatagramBatch batch);
    }

    private final Object socket;
    private final Logger log;
    private final Delivery delivery;
    /** Bound once, so that reading allocates nothing. */
    private final Consumer<DatagramBatch> each = this::handle;
    private final LongAdder received = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    /** Of the datagram being delivered. Loop-confined. */
    private long kernelReceiveTime;

    /** @param socket named in log lines */
    RawReceivePath(Object socket, Logger log, Delivery delivery) {
        this.socket = socket;
        this.log = log;
        this.delivery = delivery;
    }

    /** The {@link EpollSocket.Reader} of the socket. */
    void readable(EpollSocket s) {
        int errno = DatagramBatch.forThisThread().drain(s, each);
        if (errno != 0) {
            receiveErrors.increment();
            log.debug("{}: recvmmsg failed: {}", socket, Errno.describe(errno));
        }
    }

    private void handle(DatagramBatch batch) {
        if (batch.truncated()) {
            receiveErrors.increment();
            log.debug("{}: dropped a {}-byte datagram, larger than the buffer", socket, batch.length());
            return;
        }
        kernelReceiveTime = batch.receiveTime();
        received.increment(); // before the handler runs: whoever it wakes sees the count
        try {
            if (!delivery.deliver(batch)) {
                received.decrement();
                receiveErrors.increment();
            }
        } catch (RuntimeException e) {
            receiveErrors.increment();
            log.warn("{}: packet handler failed", socket, e);
        }
    }

    long kernelReceiveTime() {
        return kernelReceiveTime;
    }

    long received() {
        return received.sum();
    }

    long receiveErrors() {
        return receiveErrors.sum();
    }
}
