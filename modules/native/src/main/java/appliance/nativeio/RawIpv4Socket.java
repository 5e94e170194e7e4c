package appliance.nativeio;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw IPv4 socket for one protocol on one interface, as keepalived opens one per (family,
 * interface) for VRRP (protocol 112) and dispatches what it reads by VRID.
 *
 * <p>Set up as keepalived's {@code open_vrrp_read_socket}/{@code open_vrrp_send_socket}:
 * SO_BINDTODEVICE to the interface, IP_MULTICAST_IF, IP_MULTICAST_TTL and IP_TTL, no multicast
 * loop, IP_TOS 0xc0 (internetwork control) and IP_ADD_MEMBERSHIP of each group on the
 * interface. The kernel writes the IPv4 header on send; received buffers start with the IPv4
 * header, so the receiver can check the TTL (RFC 5798 §7.1: must be 255).
 *
 * <p>Threading: {@link #open} runs off the loop (at startup) and waits for the registration;
 * the handler runs on the loop; {@link #send} and {@link #close} may be called from any thread
 * ({@code send} calls sendto on the calling thread, without hopping onto the loop).
 */
public final class RawIpv4Socket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawIpv4Socket.class);

    /** IPTOS_PREC_INTERNETCONTROL: the TOS keepalived's adverts carry. */
    private static final int TOS_INTERNETWORK_CONTROL = 0xc0;

    private final EpollSocket socket;
    private final String description;
    private final String interfaceName;
    private final int interfaceIndex;
    private final PacketHandler handler;
    private final RawReceivePath receivePath;
    private final SendFailures sendFailures = new SendFailures();

    private RawIpv4Socket(String interfaceName, int interfaceIndex, PacketHandler handler, IoEventLoop loop,
                          int fd, String description) throws NativeException {
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.handler = handler;
        this.description = description;
        this.receivePath = new RawReceivePath(this, log, this::deliver);
        this.socket = EpollSocket.register(loop, fd, description, receivePath::readable, null);
    }

    /**
     * Opens the socket in the calling thread's network namespace and registers it on {@code loop}.
     * Must be called off the loop: it waits for the registration.
     *
     * @param protocol        IP protocol, 112 for VRRP
     * @param multicastGroups joined on the interface, e.g. 224.0.0.18; empty for unicast only
     * @param multicastTtl    TTL of sent packets, multicast and unicast alike (255 for VRRP)
     * @throws NativeException EPERM without CAP_NET_RAW, ENODEV for a missing interface, ...
     */
    public static RawIpv4Socket open(IoEventLoop loop, int protocol, String interfaceName,
                                     List<Inet4Address> multicastGroups, int multicastTtl, PacketHandler handler)
            throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(handler, "handler");
        List<Inet4Address> groups = List.copyOf(multicastGroups);
        if (protocol < 1 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 1..255, was " + protocol);
        }
        if (multicastTtl < 1 || multicastTtl > 255) {
            throw new IllegalArgumentException("TTL must be 1..255, was " + multicastTtl);
        }
        for (Inet4Address group : groups) {
            if (!group.isMulticastAddress()) {
                throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast group");
            }
        }
        if (loop.inEventLoop()) {
            throw new IllegalStateException("RawIpv4Socket.open waits for its loop: call it off the loop");
        }
        int ifindex = NetworkInterfaces.indexOf(interfaceName);
        int fd = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_RAW, protocol,
                "socket(AF_INET, SOCK_RAW, " + protocol + ")");
        try {
            configure(fd, interfaceName, ifindex, groups, multicastTtl);
        } catch (NativeException | RuntimeException e) {
            Syscalls.close(fd);
            throw e;
        }
        RawIpv4Socket socket = new RawIpv4Socket(interfaceName, ifindex, handler, loop, fd,
                "raw IPv4 socket (protocol " + protocol + ") on " + interfaceName);
        loop.execute(RawIpv4Socket::rehearse);
        return socket;
    }

    /**
     * On the loop, once per socket opened: the send and receive paths run once against no socket,
     * so that a backup's first advert, sent when it takes over, does not pay for class linking
     * and this thread's native blocks.
     */
    private static void rehearse() {
        SourcedDatagram.rehearse();
        DatagramBatch batch = DatagramBatch.forThisThread();
        batch.receive(-1);
        batch.select(0);
    }

    private static void configure(int fd, String name, int ifindex, List<Inet4Address> groups, int ttl)
            throws NativeException {
        Syscalls.setOption(fd, Syscalls.SOL_SOCKET, Syscalls.SO_BINDTODEVICE, Syscalls.cString(name),
                "setsockopt(SO_BINDTODEVICE, " + name + ")");
        Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_MULTICAST_IF, Syscalls.ipMreqn(null, ifindex),
                "setsockopt(IP_MULTICAST_IF, " + name + ")");
        Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_MULTICAST_TTL, ttl,
                "setsockopt(IP_MULTICAST_TTL, " + ttl + ")");
        Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_TTL, ttl, "setsockopt(IP_TTL, " + ttl + ")");
        Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_MULTICAST_LOOP, 0, "setsockopt(IP_MULTICAST_LOOP, 0)");
        Syscalls.setOption(fd, Syscalls.SOL_SOCKET, Syscalls.SO_TIMESTAMPNS, 1, "setsockopt(SO_TIMESTAMPNS, 1)");
        Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_TOS, TOS_INTERNETWORK_CONTROL,
                "setsockopt(IP_TOS, 0xc0)");
        for (Inet4Address group : groups) {
            Syscalls.setOption(fd, Syscalls.IPPROTO_IP, Syscalls.IP_ADD_MEMBERSHIP, Syscalls.ipMreqn(group, ifindex),
                    "setsockopt(IP_ADD_MEMBERSHIP, " + group.getHostAddress() + ", " + name + ")");
        }
    }

    /**
     * Sends {@code payload} (the IP payload, e.g. a VRRP advertisement) to {@code destination};
     * the kernel adds the IPv4 header. Any thread; never blocks.
     *
     * @return false when the packet was not sent (EAGAIN or ENOBUFS on a full queue, ENETDOWN,
     *         closed, ...): counted in {@link #droppedSends()}, logged once per distinct errno
     */
    public boolean send(byte[] payload, Inet4Address destination) {
        return sendFailures.sent(socket.sendTo(payload, Syscalls.sockaddrIn(destination)), log, this, destination);
    }

    /**
     * As {@link #send(byte[], Inet4Address)}, from {@code source} (one of this host's addresses)
     * rather than the address the kernel would choose (IP_PKTINFO): a VRRPv3 checksum covers the
     * source, so the advert must leave with the one it was computed for.
     */
    public boolean send(byte[] payload, Inet4Address destination, Inet4Address source) {
        return send(payload, destination, source, 0);
    }

    /** As {@link #send(byte[], Inet4Address, Inet4Address)}, with IP TTL {@code ttl} (1..255; 0: the socket's). */
    public boolean send(byte[] payload, Inet4Address destination, Inet4Address source, int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("TTL must be 0..255, was " + ttl);
        }
        return sendFailures.sent(socket.sendFrom(payload, destination, source, ttl), log, this, destination);
    }

    private boolean deliver(DatagramBatch batch) {
        handler.packetReceived(batch.copy(), batch.length());
        return true;
    }

    /**
     * When the kernel received the datagram the handler is being given, in nanoseconds since the
     * epoch (CLOCK_REALTIME), or 0 when unknown. Only meaningful inside the handler. A protocol
     * timer started from this instant, rather than from when the loop got round to the packet,
     * does not run late by the receive path's latency.
     */
    public long kernelReceiveTime() {
        return receivePath.kernelReceiveTime();
    }

    /**
     * Under dense traffic, reads at most once per {@code nanos} (a wakeup then reads many
     * datagrams; see the timestamps in {@link #kernelReceiveTime()}); 0, the default, reads each
     * as it comes. Any thread.
     */
    public void paceReads(long nanos) {
        socket.paceReads(nanos);
    }

    /** On the loop: hands the handler what is queued now, whatever the pacing. */
    public void readPending() {
        socket.readNow();
    }

    public IoEventLoop eventLoop() {
        return socket.loop();
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** Packets handed to the handler. */
    public long receivedPackets() {
        return receivePath.received();
    }

    /** Failed reads, oversized datagrams and handler exceptions. */
    public long receiveErrors() {
        return receivePath.receiveErrors();
    }

    /** Packets {@link #send} could not send. */
    public long droppedSends() {
        return sendFailures.dropped();
    }

    /** Idempotent, any thread; off the loop it returns once the fd is closed. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
