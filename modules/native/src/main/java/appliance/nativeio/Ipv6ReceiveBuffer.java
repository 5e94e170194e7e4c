package appliance.nativeio;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * recvmsg(2) around the thread's {@link ReceiveBuffer}, for a raw IPv6 socket: such a socket hands
 * over the payload only, so what the receiver checks (RFC 5798 §7.1: hop limit 255; keepalived:
 * multicast or unicast destination) comes with it: the source in the sockaddr_in6, the hop limit
 * and the destination in the IPV6_HOPLIMIT and IPV6_PKTINFO control messages (RFC 3542 §6).
 *
 * <p>One per thread, as {@link ReceiveBuffer}: the msghdr, iovec, sockaddr_in6 and control buffer
 * sit in one block of native memory (x86_64 layouts), and the last source and destination seen are
 * kept as {@link Inet6Address}es, so that a steady stream from one master allocates nothing.
 */
final class Ipv6ReceiveBuffer {

    // struct sockaddr_in6: family, port, flowinfo, addr[16], scope_id (28 bytes, 32 with padding)
    private static final int NAME = MessageHeader.END;
    private static final int NAME_ADDR = NAME + 8;
    private static final int NAME_SPACE = 32;
    /** CMSG_SPACE(in6_pktinfo) 40 + CMSG_SPACE(int) 24, with room for one more the kernel may add. */
    private static final int CONTROL = NAME + NAME_SPACE;
    private static final int CONTROL_CAPACITY = 128;
    private static final int BLOCK_SIZE = CONTROL + CONTROL_CAPACITY;
    // struct cmsghdr: len (size_t), level, type; data from 16; each one CMSG_ALIGNed to 8
    private static final int CMSG_HEADER = 16;
    private static final int IN6_PKTINFO_SIZE = 20;

    private static final ThreadLocal<Ipv6ReceiveBuffer> PER_THREAD = ThreadLocal.withInitial(Ipv6ReceiveBuffer::new);

    private final ReceiveBuffer buffer = ReceiveBuffer.forThisThread();
    private final Pointer block = Memory.allocateDirect(Syscalls.runtime(), BLOCK_SIZE, true);
    private final byte[] scratch = new byte[16];
    private final byte[] sourceBytes = new byte[16];
    private final byte[] destinationBytes = new byte[16];
    private Inet6Address source;
    private Inet6Address destination;
    private boolean hasSource;
    private boolean hasDestination;
    private int hopLimit;
    private boolean truncated;

    private Ipv6ReceiveBuffer() {
        MessageHeader.fill(block, NAME, Syscalls.SOCKADDR_IN6_SIZE, buffer.data.address(), ReceiveBuffer.CAPACITY,
                CONTROL, CONTROL_CAPACITY);
    }

    static Ipv6ReceiveBuffer forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * Receives one datagram and reads its sender and control messages; its length, or
     * {@code -errno}. Longer than {@link ReceiveBuffer#CAPACITY}: truncated.
     */
    int receive(int fd) {
        block.putInt(MessageHeader.NAMELEN, Syscalls.SOCKADDR_IN6_SIZE); // the kernel writes back the lengths
        block.putLong(MessageHeader.CONTROLLEN, CONTROL_CAPACITY);
        block.putInt(MessageHeader.FLAGS, 0);
        int n = Syscalls.receiveMessage(fd, block);
        if (n < 0) {
            return n;
        }
        truncated = (block.getInt(MessageHeader.FLAGS) & Syscalls.MSG_TRUNC) != 0;
        hasSource = block.getInt(MessageHeader.NAMELEN) >= Syscalls.SOCKADDR_IN6_SIZE
                && block.getShort(NAME) == Syscalls.AF_INET6;
        if (hasSource) {
            block.get(NAME_ADDR, scratch, 0, 16);
            source = cached(source, sourceBytes);
        }
        readControlMessages();
        return n;
    }

    /** Walks the cmsgs as CMSG_FIRSTHDR/CMSG_NXTHDR do; unknown ones are skipped. */
    private void readControlMessages() {
        hopLimit = -1;
        hasDestination = false;
        long length = Math.min(block.getLong(MessageHeader.CONTROLLEN), CONTROL_CAPACITY);
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLength = block.getLong(CONTROL + offset);
            if (cmsgLength < CMSG_HEADER || offset + cmsgLength > length) {
                return; // malformed, or cut short (MSG_CTRUNC)
            }
            int at = CONTROL + (int) offset;
            if (block.getInt(at + 8) == Syscalls.IPPROTO_IPV6) {
                int type = block.getInt(at + 12);
                long dataLength = cmsgLength - CMSG_HEADER;
                if (type == Syscalls.IPV6_HOPLIMIT && dataLength >= 4) {
                    hopLimit = block.getInt(at + CMSG_HEADER);
                } else if (type == Syscalls.IPV6_PKTINFO && dataLength >= IN6_PKTINFO_SIZE) {
                    block.get(at + CMSG_HEADER, scratch, 0, 16); // ipi6_addr
                    destination = cached(destination, destinationBytes);
                    hasDestination = true;
                }
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

    /** Whether the last datagram was longer than the buffer (MSG_TRUNC in msg_flags). */
    boolean truncated() {
        return truncated;
    }

    /** The sender of the last datagram, or null when the kernel gave no sockaddr_in6. */
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

    /** See {@link ReceiveBuffer#receiveTimestamp(int)}. */
    long receiveTimestamp(int fd) {
        return buffer.receiveTimestamp(fd);
    }

    /** See {@link ReceiveBuffer#copy(int)}. */
    byte[] copy(int length) {
        return buffer.copy(length);
    }
}
