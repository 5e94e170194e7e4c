package appliance.nativeio;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One IPv6 datagram sent with sendmsg(2) and an IPV6_PKTINFO control message whose ipi6_addr
 * names the source address and ipi6_ifindex the interface (ipv6(7), RFC 3542 §6.1), as keepalived's
 * {@code vrrp_build_ancillary_data}: the VRRPv3 checksum covers the IPv6 pseudo-header, so the
 * advert must leave from the address it was computed with. An IPV6_HOPLIMIT control message
 * follows when a hop limit is asked for (keepalived's {@code unicast_ttl}).
 *
 * <p>The msghdr, iovec, sockaddr_in6, control messages and payload sit in one block of native
 * memory per thread, filled anew for each send (x86_64 layouts).
 */
final class SourcedIpv6Datagram {

    static final int MAX_PAYLOAD = 2048;

    // struct sockaddr_in6: family, port, flowinfo, addr[16], scope_id (28 bytes, 32 with padding)
    private static final int NAME = MessageHeader.END;
    private static final int NAME_ADDR = NAME + 8;
    private static final int NAME_SCOPE_ID = NAME + 24;
    private static final int NAME_SPACE = 32;
    // struct cmsghdr (len, level, type) + struct in6_pktinfo (addr[16], ifindex): CMSG_SPACE(20) = 40
    private static final int CONTROL = NAME + NAME_SPACE;
    private static final int PKTINFO_CMSG_LEN = 16 + 20;
    private static final int PKTINFO_SPACE = 40;
    // then, when asked for, struct cmsghdr + int for IPV6_HOPLIMIT: CMSG_SPACE(4) = 24
    private static final int HOPLIMIT_CONTROL = CONTROL + PKTINFO_SPACE;
    private static final int HOPLIMIT_CMSG_LEN = 16 + 4;
    private static final int HOPLIMIT_SPACE = 24;
    private static final int PAYLOAD = HOPLIMIT_CONTROL + HOPLIMIT_SPACE;

    // Cleared once: the padding of each control message stays zero.
    private static final ThreadLocal<Pointer> BLOCK = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(Syscalls.runtime(), PAYLOAD + MAX_PAYLOAD, true));

    private SourcedIpv6Datagram() {
    }

    /**
     * Runs the whole path once on the calling thread against no socket (fd -1: EBADF, nothing is
     * sent): the class, this thread's native block and the sendmsg binding are ready before a
     * backup's first advert, which is the first thing it sends when it takes over.
     */
    static void rehearse() {
        try {
            Inet6Address any = Inet6Address.getByAddress(null, new byte[16], -1);
            send(-1, new byte[1], any, any, 0, 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // sixteen bytes are always an IPv6 address
        }
    }

    /**
     * Bytes sent or {@code -errno}; EMSGSIZE for a payload over {@value #MAX_PAYLOAD} bytes.
     *
     * @param interfaceIndex the socket's interface: ipi6_ifindex, and the scope of a link-local
     *                       destination (the scope id {@code destination} may carry is ignored)
     * @param hopLimit       1..255, or 0 for the socket's
     */
    static long send(int fd, byte[] payload, Inet6Address destination, Inet6Address source, int interfaceIndex,
                     int hopLimit) {
        if (payload.length > MAX_PAYLOAD) {
            return -Errno.EMSGSIZE;
        }
        Pointer m = BLOCK.get();
        long base = m.address();
        m.put(PAYLOAD, payload, 0, payload.length);

        m.putShort(NAME, (short) Syscalls.AF_INET6);
        m.putShort(NAME + 2, (short) 0); // sin6_port: raw sockets ignore it
        m.putInt(NAME + 4, 0);           // sin6_flowinfo
        m.put(NAME_ADDR, destination.getAddress(), 0, 16);
        m.putInt(NAME_SCOPE_ID, needsScope(destination) ? interfaceIndex : 0);

        m.putLong(CONTROL, PKTINFO_CMSG_LEN);
        m.putInt(CONTROL + 8, Syscalls.IPPROTO_IPV6);
        m.putInt(CONTROL + 12, Syscalls.IPV6_PKTINFO);
        m.put(CONTROL + 16, source.getAddress(), 0, 16); // ipi6_addr: the source
        m.putInt(CONTROL + 32, interfaceIndex);          // ipi6_ifindex

        int controlLength = PKTINFO_SPACE;
        if (hopLimit > 0) {
            m.putLong(HOPLIMIT_CONTROL, HOPLIMIT_CMSG_LEN);
            m.putInt(HOPLIMIT_CONTROL + 8, Syscalls.IPPROTO_IPV6);
            m.putInt(HOPLIMIT_CONTROL + 12, Syscalls.IPV6_HOPLIMIT);
            m.putInt(HOPLIMIT_CONTROL + 16, hopLimit);
            controlLength += HOPLIMIT_SPACE;
        }
        MessageHeader.fill(m, NAME, Syscalls.SOCKADDR_IN6_SIZE, base + PAYLOAD, payload.length, CONTROL,
                controlLength);
        return Syscalls.sendMessage(fd, m);
    }

    /** Link-local unicast (fe80::/10) and link-local-scope multicast (ffx2::/16) name their link. */
    private static boolean needsScope(Inet6Address destination) {
        return destination.isLinkLocalAddress() || destination.isMCLinkLocal();
    }
}
