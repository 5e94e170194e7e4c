package appliance.nativeio;

import appliance.codec.icmp.IcmpDecodeException;
import appliance.codec.icmp.IcmpEcho;
import io.netty.channel.IoEventLoop;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket for the ICMP (or ICMPv6) echoes of every PING_CHECK, registered on a loop: a ping
 * socket (SOCK_DGRAM, as keepalived's checker; allowed by net.ipv4.ping_group_range) where this
 * process's group may open one, else a raw ICMP socket (CAP_NET_RAW). keepalived widens
 * ping_group_range itself; we change no system setting.
 *
 * <p>Matching: a ping socket's echoes carry the identifier the kernel gives the socket, and the
 * kernel hands it only replies to that identifier; a raw socket sees every ICMP message, so its
 * requests carry a random identifier and only replies with it are kept. The sequence number and
 * the source address tell the requests apart; the caller owns both.
 *
 * <p>Threading: {@link #open} off the loop; the handler runs on the loop; {@link #send} and
 * {@link #close} from any thread.
 */
public final class IcmpEchoSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IcmpEchoSocket.class);
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;
    private static final int SO_RCVBUF = 8;
    /** Room for a burst of replies from thousands of checks (keepalived: 128 KiB per check's socket). */
    private static final int RECEIVE_BUFFER = 4 << 20;

    /** An echo reply that matched this socket's identifier. */
    @FunctionalInterface
    public interface ReplyHandler {
        void reply(InetAddress from, int sequence);
    }

    private final boolean ipv6;
    private final boolean pingSocket;
    private final int identifier;
    private final ReplyHandler handler;
    private final String description;
    private final EpollSocket socket;

    private IcmpEchoSocket(IoEventLoop loop, int fd, boolean ipv6, boolean pingSocket, ReplyHandler handler)
            throws NativeException {
        this.ipv6 = ipv6;
        this.pingSocket = pingSocket;
        this.identifier = new SecureRandom().nextInt(0x10000);
        this.handler = handler;
        this.description = (pingSocket ? "ping" : "raw ICMP") + (ipv6 ? "v6" : "") + " socket";
        this.socket = EpollSocket.register(loop, fd, description, this::readable, null);
    }

    /**
     * Opens the socket in the calling thread's network namespace and registers it on {@code loop}.
     *
     * @throws NativeException EACCES/EPERM when neither a ping socket (ping_group_range) nor a raw
     *                         one (CAP_NET_RAW) is allowed
     */
    public static IcmpEchoSocket open(IoEventLoop loop, boolean ipv6, ReplyHandler handler) throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        int family = ipv6 ? Syscalls.AF_INET6 : Syscalls.AF_INET;
        int protocol = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        int fd;
        boolean ping;
        try {
            fd = Syscalls.socket(family, Syscalls.SOCK_DGRAM, protocol, "socket(ping" + (ipv6 ? "v6" : "") + ")");
            ping = true;
        } catch (NativeException e) {
            if (e.errno() != Errno.EACCES && e.errno() != Errno.EPERM && e.errno() != Errno.EPROTONOSUPPORT) {
                throw e;
            }
            try {
                fd = Syscalls.socket(family, Syscalls.SOCK_RAW, protocol, "socket(raw ICMP" + (ipv6 ? "v6" : "") + ")");
            } catch (NativeException raw) {
                throw new NativeException("PING_CHECK needs a ping socket (this group is outside"
                        + " net.ipv4.ping_group_range) or a raw ICMP socket (CAP_NET_RAW), and has neither: socket",
                        raw.errno());
            }
            ping = false;
        }
        try {
            Syscalls.setOption(fd, Syscalls.SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER, "setsockopt(SO_RCVBUF)");
        } catch (NativeException e) {
            log.debug("ICMP socket: SO_RCVBUF not set: {}", e.getMessage());
        }
        return new IcmpEchoSocket(loop, fd, ipv6, ping, handler);
    }

    /** Whether this is a ping socket (else a raw one). */
    public boolean isPingSocket() {
        return pingSocket;
    }

    /**
     * Sends an echo request with {@code sequence} and {@code data} to {@code to}, on the calling thread.
     *
     * @throws NativeException when the kernel refuses it (ENETUNREACH, EACCES for a broadcast, ...)
     */
    public void send(InetAddress to, int sequence, byte[] data) throws NativeException {
        if ((to instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException(to.getHostAddress() + " is not of this socket's family");
        }
        byte[] message = IcmpEcho.request(ipv6, identifier, sequence, data).encode();
        long n = socket.sendTo(message, ipv6 ? sockaddrIn6((Inet6Address) to) : Syscalls.sockaddrIn((Inet4Address) to));
        if (n < 0) {
            throw new NativeException("sendto(" + to.getHostAddress() + ")", (int) -n);
        }
    }

    private void readable(EpollSocket s) {
        ReceiveBuffer buffer = ReceiveBuffer.forThisThread();
        while (s.isOpen()) {
            int n = buffer.receiveWithAddress(s.intValue());
            if (n < 0) {
                if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
                    log.debug("{}: receive failed: {}", description, Errno.describe(-n));
                }
                return;
            }
            int length = Math.min(n, ReceiveBuffer.CAPACITY);
            byte[] bytes = buffer.copy(length);
            InetAddress from = source(buffer);
            if (from != null) {
                deliver(from, bytes, length);
            }
        }
    }

    private void deliver(InetAddress from, byte[] bytes, int length) {
        int offset = 0;
        if (!pingSocket && !ipv6) {
            // A raw IPv4 socket reads the IP header too.
            offset = length > 0 ? (bytes[0] & 0x0f) * 4 : 0;
            if (offset < 20 || offset > length) {
                return;
            }
        }
        IcmpEcho echo;
        try {
            echo = IcmpEcho.decode(ipv6, bytes, offset, length - offset);
        } catch (IcmpDecodeException e) {
            // A raw socket sees every ICMP message (our own requests on lo, unreachables, others' pings).
            return;
        }
        if (!echo.reply() || !pingSocket && echo.identifier() != identifier) {
            return;
        }
        try {
            handler.reply(from, echo.sequence());
        } catch (RuntimeException e) {
            log.warn("{}: reply handler failed", description, e);
        }
    }

    private InetAddress source(ReceiveBuffer buffer) {
        int size = buffer.addressLength.getInt(0);
        try {
            if (!ipv6 && size >= 8) {
                byte[] a = new byte[4];
                buffer.address.get(4, a, 0, 4);
                return InetAddress.getByAddress(a);
            }
            if (ipv6 && size >= Syscalls.SOCKADDR_IN6_SIZE) {
                byte[] a = new byte[16];
                buffer.address.get(8, a, 0, 16);
                return InetAddress.getByAddress(a);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /** struct sockaddr_in6 for {@code to}, its scope kept for link-local targets. */
    private static byte[] sockaddrIn6(Inet6Address to) {
        ByteBuffer b = ByteBuffer.allocate(Syscalls.SOCKADDR_IN6_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) Syscalls.AF_INET6);
        b.putShort((short) 0);
        b.putInt(0);
        b.put(to.getAddress());
        b.putInt(to.getScopeId());
        return Arrays.copyOf(b.array(), Syscalls.SOCKADDR_IN6_SIZE);
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
