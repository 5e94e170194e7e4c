package appliance.nativeio;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The buffer one event-loop thread receives single datagrams into (packet and netlink sockets;
 * the raw sockets read a {@link DatagramBatch}): native memory the kernel writes, and a reused
 * Java array the bytes are copied into for the handler. One per thread, because every socket of
 * a loop is read on that loop's thread, one at a time.
 */
final class ReceiveBuffer {

    /** The largest IPv4 datagram; also above the 32 KiB a netlink dump sends at once. */
    static final int CAPACITY = 65536;

    /** Room for the sender's sockaddr (sockaddr_storage is 128 bytes). */
    private static final int ADDRESS_CAPACITY = 128;

    private static final ThreadLocal<ReceiveBuffer> PER_THREAD = ThreadLocal.withInitial(ReceiveBuffer::new);

    final Pointer data = Memory.allocateDirect(Syscalls.runtime(), CAPACITY);
    final Pointer address = Memory.allocateDirect(Syscalls.runtime(), ADDRESS_CAPACITY);
    final Pointer addressLength = Memory.allocateDirect(Syscalls.runtime(), 4);
    final byte[] array = new byte[CAPACITY];

    static ReceiveBuffer forThisThread() {
        return PER_THREAD.get();
    }

    private static final ThreadLocal<ReceiveBuffer> NETLINK_PER_THREAD = ThreadLocal.withInitial(ReceiveBuffer::new);

    /**
     * A second buffer for netlink sockets, which may be read while a raw or packet socket's
     * handler still holds {@link #forThisThread()}'s (an address change's ack, read at once).
     */
    static ReceiveBuffer forNetlinkOnThisThread() {
        return NETLINK_PER_THREAD.get();
    }

    /** Receives one datagram; its length, or {@code -errno}. Longer than {@link #CAPACITY}: truncated. */
    int receive(int fd) {
        return Syscalls.receive(fd, data, CAPACITY, null, null);
    }

    /** As {@link #receive(int)}, also keeping the sender's sockaddr in {@link #address}. */
    int receiveWithAddress(int fd) {
        addressLength.putInt(0, ADDRESS_CAPACITY);
        return Syscalls.receive(fd, data, CAPACITY, address, addressLength);
    }

    /** Copies the first {@code length} received bytes into {@link #array}. */
    byte[] copy(int length) {
        data.get(0, array, 0, length);
        return array;
    }
}
