package appliance.nativeio;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * recvmmsg(2) of up to {@link #SLOTS} datagrams from a raw socket in one call, each with what
 * came beside it: the kernel's receive time (SO_TIMESTAMPNS), and for IPv6 the sender
 * (sockaddr_in6), the hop limit (IPV6_HOPLIMIT) and the destination (IPV6_PKTINFO), which a raw
 * IPv6 socket does not put in the payload (RFC 3542 §6).
 *
 * <p>Why a batch: a backup of 255 instances at 100 ms reads 2,550 adverts a second. One recvfrom
 * per advert, an ioctl for its timestamp and a last recvfrom that answers EAGAIN made four calls
 * per wakeup where this makes one; a batch shorter than the slots means the queue was empty,
 * and the fd, registered level-triggered, is reported again if more arrived since.
 *
 * <p>One per loop thread, as every socket of a loop is read on its thread, one at a time: the
 * mmsghdr vector, the iovecs, sockaddrs, control buffers and data sit in one block of native
 * memory (x86_64 layouts), and the last source and destination seen are kept as
 * {@link Inet6Address}es, so that a steady stream from one master allocates nothing.
 */
final class DatagramBatch {

    /** Datagrams one call may return. */
    static final int SLOTS = 16;
    /**
     * Room for one datagram: a VRRP advert is at most 1,096 bytes over IPv4 (60 of header, 8,
     * 255 addresses) and 4,088 over IPv6; longer ones arrive truncated and are dropped.
     */
    static final int DATA_CAPACITY = 9216;

    // struct mmsghdr: struct msghdr (56 bytes), then msg_len (unsigned int), padded to 64
    private static final int MMSGHDR_SIZE = 64;
    private static final int MSG_LEN = 56;
    // after the vector, per slot: iovec (16), sockaddr_in6 (28, 32 with padding), control
    private static final int IOVEC_SIZE = 16;
    private static final int NAME_SPACE = 32;
    private static final int NAME_ADDR = 8;
    /**
     * CMSG_SPACE(timespec) 32 + CMSG_SPACE(in6_pktinfo) 40 + CMSG_SPACE(int) 24, with room for
     * one more the kernel may add.
     */
    private static final int CONTROL_CAPACITY = 128;
    private static final int SLOT_PARTS = IOVEC_SIZE + NAME_SPACE + CONTROL_CAPACITY;
    private static final int PARTS = SLOTS * MMSGHDR_SIZE;
    private static final int BLOCK_SIZE = PARTS + SLOTS * SLOT_PARTS;
    // struct cmsghdr: len (size_t), level, type; data from 16; each one CMSG_ALIGNed to 8
    private static final int CMSG_HEADER = 16;
    private static final int IN6_PKTINFO_SIZE = 20;
    private static final int TIMESPEC_SIZE = 16;

    private static final ThreadLocal<DatagramBatch> PER_THREAD = ThreadLocal.withInitial(DatagramBatch::new);

    private final Pointer block = Memory.allocateDirect(Syscalls.runtime(), BLOCK_SIZE, true);
    private final Pointer data = Memory.allocateDirect(Syscalls.runtime(), SLOTS * DATA_CAPACITY, false);
    private final byte[] array = new byte[DATA_CAPACITY];
    private final byte[] scratch = new byte[16];
    private final byte[] sourceBytes = new byte[16];
    private final byte[] destinationBytes = new byte[16];
    private Inet6Address source;
    private Inet6Address destination;
    // of the slot last read by select()
    private int slot = -1;
    private int length;
    private boolean truncated;
    private boolean hasSource;
    private boolean hasDestination;
    private int hopLimit;
    private long receiveTime;

    private DatagramBatch() {
        long base = block.address();
        for (int i = 0; i < SLOTS; i++) {
            int parts = PARTS + i * SLOT_PARTS;
            int header = i * MMSGHDR_SIZE;
            block.putLong(header + MessageHeader.NAME, base + parts + IOVEC_SIZE);
            block.putLong(header + MessageHeader.IOV, base + parts);
            block.putLong(header + MessageHeader.IOVLEN, 1);
            block.putLong(header + MessageHeader.CONTROL, base + parts + IOVEC_SIZE + NAME_SPACE);
            block.putLong(parts, data.address() + (long) i * DATA_CAPACITY);
            block.putLong(parts + 8, DATA_CAPACITY);
        }
    }

    static DatagramBatch forThisThread() {
        return PER_THREAD.get();
    }

    /** recvmmsg calls per readiness event before the other sockets of the loop get a turn. */
    private static final int MAX_CALLS_PER_EVENT = 16;

    /**
     * Reads {@code socket} until its queue is empty (or {@link #MAX_CALLS_PER_EVENT} batches were
     * read), giving {@code each} every datagram, selected, in order; stops when the socket closes.
     *
     * @return the errno of a failed read, 0 when the queue was emptied (EAGAIN) or the budget spent
     */
    int drain(EpollSocket socket, java.util.function.Consumer<DatagramBatch> each) {
        for (int calls = 0; calls < MAX_CALLS_PER_EVENT && socket.isOpen(); calls++) {
            int count = receive(socket.intValue());
            if (count < 0) {
                if (-count == Errno.EINTR) {
                    continue;
                }
                return -count == Errno.EAGAIN ? 0 : -count;
            }
            for (int i = 0; i < count && socket.isOpen(); i++) {
                select(i);
                each.accept(this);
            }
            if (count < SLOTS) {
                return 0; // the queue was empty; level-triggered epoll reports what arrived since
            }
        }
        return 0;
    }

    /**
     * Receives up to {@link #SLOTS} datagrams without waiting; how many, or {@code -errno}
     * (EAGAIN when none was queued). Read each with {@link #select(int)}.
     */
    int receive(int fd) {
        for (int i = 0; i < SLOTS; i++) {
            int header = i * MMSGHDR_SIZE;
            // the kernel writes back the lengths and flags
            block.putInt(header + MessageHeader.NAMELEN, NAME_SPACE);
            block.putLong(header + MessageHeader.CONTROLLEN, CONTROL_CAPACITY);
            block.putInt(header + MessageHeader.FLAGS, 0);
        }
        slot = -1;
        return Syscalls.receiveMessages(fd, block, SLOTS);
    }

    /** Makes datagram {@code i} of the last {@link #receive} the one the accessors describe. */
    void select(int i) {
        if (i < 0 || i >= SLOTS) {
            throw new IndexOutOfBoundsException(i);
        }
        slot = i;
        int header = i * MMSGHDR_SIZE;
        // with MSG_TRUNC a raw socket gives the datagram's real length, even when cut short
        length = block.getInt(header + MSG_LEN);
        truncated = length > DATA_CAPACITY || (block.getInt(header + MessageHeader.FLAGS) & Syscalls.MSG_TRUNC) != 0;
        int name = PARTS + i * SLOT_PARTS + IOVEC_SIZE;
        hasSource = block.getInt(header + MessageHeader.NAMELEN) >= Syscalls.SOCKADDR_IN6_SIZE
                && block.getShort(name) == Syscalls.AF_INET6;
        if (hasSource) {
            block.get(name + NAME_ADDR, scratch, 0, 16);
            source = cached(source, sourceBytes);
        }
        readControlMessages(name + NAME_SPACE, block.getLong(header + MessageHeader.CONTROLLEN));
    }

    /** Walks the cmsgs as CMSG_FIRSTHDR/CMSG_NXTHDR do; unknown ones are skipped. */
    private void readControlMessages(int control, long controlLength) {
        hopLimit = -1;
        hasDestination = false;
        receiveTime = 0;
        long end = Math.min(controlLength, CONTROL_CAPACITY);
        long offset = 0;
        while (offset + CMSG_HEADER <= end) {
            long cmsgLength = block.getLong(control + offset);
            if (cmsgLength < CMSG_HEADER || offset + cmsgLength > end) {
                return; // malformed, or cut short (MSG_CTRUNC)
            }
            int at = control + (int) offset;
            int level = block.getInt(at + 8);
            int type = block.getInt(at + 12);
            long dataLength = cmsgLength - CMSG_HEADER;
            if (level == Syscalls.SOL_SOCKET && type == Syscalls.SO_TIMESTAMPNS && dataLength >= TIMESPEC_SIZE) {
                receiveTime = block.getLong(at + CMSG_HEADER) * 1_000_000_000L + block.getLong(at + CMSG_HEADER + 8);
            } else if (level == Syscalls.IPPROTO_IPV6 && type == Syscalls.IPV6_HOPLIMIT && dataLength >= 4) {
                hopLimit = block.getInt(at + CMSG_HEADER);
            } else if (level == Syscalls.IPPROTO_IPV6 && type == Syscalls.IPV6_PKTINFO
                    && dataLength >= IN6_PKTINFO_SIZE) {
                block.get(at + CMSG_HEADER, scratch, 0, 16); // ipi6_addr
                destination = cached(destination, destinationBytes);
                hasDestination = true;
            }
            offset += (cmsgLength + 7) & ~7L;
        }
    }

    /** The address in {@link #scratch}: {@code last} when it is the same, else a new one kept in {@code lastBytes}. */
    private Inet6Address cached(Inet6Address last, byte[] lastBytes) {
        if (last != null && Arrays.equals(scratch, lastBytes)) {
            return last;
        }
        System.arraycopy(scratch, 0, lastBytes, 0, 16);
        try {
            // Without a scope id: equal to, and printed as, the configured literal.
            return Inet6Address.getByAddress(null, lastBytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // sixteen bytes are always an IPv6 address
        }
    }

    /** The selected datagram's real length, also when {@link #truncated()}. */
    int length() {
        return length;
    }

    /** Whether it was longer than {@link #DATA_CAPACITY} and so arrived cut short. */
    boolean truncated() {
        return truncated;
    }

    /** When the kernel received it, in nanoseconds since the epoch (CLOCK_REALTIME); 0 when unknown. */
    long receiveTime() {
        return receiveTime;
    }

    /** Its sender, for an IPv6 socket; null when the kernel gave no sockaddr_in6. */
    Inet6Address source() {
        return hasSource ? source : null;
    }

    /** Its destination (IPV6_PKTINFO), or null when absent. */
    Inet6Address destination() {
        return hasDestination ? destination : null;
    }

    /** Its hop limit as received (IPV6_HOPLIMIT), or -1 when absent. */
    int hopLimit() {
        return hopLimit;
    }

    /**
     * The selected datagram's bytes, copied into an array this batch reuses (valid until the next
     * copy); the first {@link #length()} bytes are the datagram. Not truncated ones.
     */
    byte[] copy() {
        if (slot < 0 || truncated) {
            throw new IllegalStateException("no datagram selected, or it was truncated");
        }
        data.get((long) slot * DATA_CAPACITY, array, 0, length);
        return array;
    }
}
