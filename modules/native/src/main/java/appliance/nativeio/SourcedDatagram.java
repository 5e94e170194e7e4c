package appliance.nativeio;

import java.net.Inet4Address;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One IPv4 datagram sent with sendmsg(2) and an IP_PKTINFO control message whose ipi_spec_dst
 * names the source address (ip(7)): the kernel then writes that source into the IPv4 header
 * instead of choosing one. A VRRP advert must come from the address its checksum and the peers'
 * tie-break assume, and the kernel's own choice (the first primary address of the interface)
 * can be a virtual address once an interface is renumbered.
 *
 * <p>The msghdr, iovec, sockaddr_in, control message and payload sit in one block of native
 * memory per thread, filled anew for each send (x86_64 layouts).
 */
final class SourcedDatagram {

    static final int MAX_PAYLOAD = 2048;
    private static final int IPPROTO_IP = 0;
    private static final int IP_PKTINFO = 8;

    // struct sockaddr_in
    private static final int NAME = MessageHeader.END;
    private static final int NAME_SIZE = 16;
    // struct cmsghdr (len, level, type) + struct in_pktinfo (ifindex, spec_dst, addr): CMSG_SPACE(12) = 32
    private static final int CONTROL = NAME + NAME_SIZE;
    private static final int CMSG_LEN = 16 + 12;
    private static final int PKTINFO_SPACE = 32;
    // then, when asked for, struct cmsghdr + int for IP_TTL: CMSG_SPACE(4) = 24
    private static final int TTL_CONTROL = CONTROL + PKTINFO_SPACE;
    private static final int TTL_CMSG_LEN = 16 + 4;
    private static final int TTL_SPACE = 24;
    private static final int IP_TTL = 2;
    private static final int PAYLOAD = TTL_CONTROL + TTL_SPACE;

    private static final ThreadLocal<Pointer> BLOCK = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(Syscalls.runtime(), PAYLOAD + MAX_PAYLOAD, true));

    private SourcedDatagram() {
    }

    /**
     * Runs the whole path once on the calling thread against no socket (fd -1: EBADF, nothing is
     * sent): the class, this thread's native block and the sendmsg binding are ready before a
     * backup's first advert, which is the first thing it sends when it takes over.
     */
    static void rehearse() {
        try {
            Inet4Address any = (Inet4Address) java.net.InetAddress.getByAddress(new byte[4]);
            send(-1, new byte[1], any, any, 0);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
        }
    }

    /**
     * Bytes sent or {@code -errno}; EMSGSIZE for a payload over {@value #MAX_PAYLOAD} bytes.
     *
     * @param ttl the IP TTL (1..255), or 0 for the socket's
     */
    static long send(int fd, byte[] payload, Inet4Address destination, Inet4Address source, int ttl) {
        if (payload.length > MAX_PAYLOAD) {
            return -Errno.EMSGSIZE;
        }
        Pointer m = BLOCK.get();
        long base = m.address();
        m.put(PAYLOAD, payload, 0, payload.length);
        byte[] name = Syscalls.sockaddrIn(destination);
        m.put(NAME, name, 0, name.length);

        m.putLong(CONTROL, CMSG_LEN);
        m.putInt(CONTROL + 8, IPPROTO_IP);
        m.putInt(CONTROL + 12, IP_PKTINFO);
        m.putInt(CONTROL + 16, 0); // ipi_ifindex: 0 keeps the socket's interface
        m.put(CONTROL + 20, source.getAddress(), 0, 4); // ipi_spec_dst: the source
        m.putInt(CONTROL + 24, 0); // ipi_addr: ignored on send

        int controlLength = PKTINFO_SPACE;
        if (ttl > 0) {
            m.putLong(TTL_CONTROL, TTL_CMSG_LEN);
            m.putInt(TTL_CONTROL + 8, IPPROTO_IP);
            m.putInt(TTL_CONTROL + 12, IP_TTL);
            m.putInt(TTL_CONTROL + 16, ttl);
            controlLength += TTL_SPACE;
        }
        MessageHeader.fill(m, NAME, name.length, base + PAYLOAD, payload.length, CONTROL, controlLength);
        return Syscalls.sendMessage(fd, m);
    }
}
