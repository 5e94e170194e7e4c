package appliance.nativeio;

import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw IPv6 socket for one protocol on one interface: VRRP over IPv6 (RFC 5798, protocol 112),
 * as keepalived 2.2.7 opens one per (family, interface) and dispatches what it reads by VRID.
 *
 * <p>Set up as keepalived's {@code open_vrrp_read_socket}/{@code open_vrrp_send_socket}:
 * SO_BINDTODEVICE to the interface, IPV6_MULTICAST_IF, IPV6_MULTICAST_HOPS (and, here, also
 * IPV6_UNICAST_HOPS), no multicast loop, IPV6_TCLASS 0xc0 (CS6, keepalived's
 * {@code if_setsockopt_priority}), IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO, and IPV6_ADD_MEMBERSHIP
 * of each group on the interface. Unlike keepalived, no IPV6_CHECKSUM: the caller computes the
 * VRRPv3 checksum, so the kernel neither fills it in on send nor checks it on receive.
 *
 * <p>A raw IPv6 socket delivers the payload without the IPv6 header, so the handler is given the
 * source, the destination and the hop limit beside it ({@link Ipv6PacketHandler}), read with
 * recvmsg(2) from the sockaddr_in6 and the control messages. Sends carry an IPV6_PKTINFO
 * control message naming the source, as keepalived's {@code vrrp_build_ancillary_data}.
 *
 * <p>Threading: {@link #open} runs off the loop (at startup) and waits for the registration;
 * the handler runs on the loop; {@link #send} and {@link #close} may be called from any thread
 * ({@code send} calls sendmsg on the calling thread, without hopping onto the loop).
 */
public final class RawIpv6Socket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawIpv6Socket.class);

    /** The traffic class keepalived's adverts carry: 0xc0, DSCP CS6 (as IPv4's internetwork control). */
    private static final int TCLASS_NETWORK_CONTROL = 0xc0;

    private final EpollSocket socket;
    private final String description;
    private final String interfaceName;
    private final int interfaceIndex;
    private final Ipv6PacketHandler handler;
    private final RawReceivePath receivePath;
    private final SendFailures sendFailures = new SendFailures();

    private RawIpv6Socket(String interfaceName, int interfaceIndex, Ipv6PacketHandler handler, IoEventLoop loop,
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
     * @param protocol        IP protocol (IPv6 next header), 112 for VRRP
     * @param multicastGroups joined on the interface, e.g. ff02::12; empty for unicast only
     * @param hopLimit        hop limit of sent packets, multicast and unicast alike (255 for VRRP)
     * @throws NativeException EPERM without CAP_NET_RAW, ENODEV for a missing interface, ...
     */
    public static RawIpv6Socket open(IoEventLoop loop, int protocol, String interfaceName,
                                     List<Inet6Address> multicastGroups, int hopLimit, Ipv6PacketHandler handler)
            throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(handler, "handler");
        List<Inet6Address> groups = List.copyOf(multicastGroups);
        if (protocol < 1 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 1..255, was " + protocol);
        }
        if (hopLimit < 1 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit must be 1..255, was " + hopLimit);
        }
        for (Inet6Address group : groups) {
            if (!group.isMulticastAddress()) {
                throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast group");
            }
        }
        if (loop.inEventLoop()) {
            throw new IllegalStateException("RawIpv6Socket.open waits for its loop: call it off the loop");
        }
        int ifindex = NetworkInterfaces.indexOf(interfaceName);
        int fd = Syscalls.socket(Syscalls.AF_INET6, Syscalls.SOCK_RAW, protocol,
                "socket(AF_INET6, SOCK_RAW, " + protocol + ")");
        try {
            configure(fd, interfaceName, ifindex, groups, hopLimit);
        } catch (NativeException | RuntimeException e) {
            Syscalls.close(fd);
            throw e;
        }
        RawIpv6Socket socket = new RawIpv6Socket(interfaceName, ifindex, handler, loop, fd,
                "raw IPv6 socket (protocol " + protocol + ") on " + interfaceName);
        loop.execute(RawIpv6Socket::rehearse);
        return socket;
    }

    private static void configure(int fd, String name, int ifindex, List<Inet6Address> groups, int hopLimit)
            throws NativeException {
        int v6 = Syscalls.IPPROTO_IPV6;
        Syscalls.setOption(fd, Syscalls.SOL_SOCKET, Syscalls.SO_BINDTODEVICE, Syscalls.cString(name),
                "setsockopt(SO_BINDTODEVICE, " + name + ")");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_MULTICAST_IF, ifindex, "setsockopt(IPV6_MULTICAST_IF, " + name + ")");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_MULTICAST_HOPS, hopLimit,
                "setsockopt(IPV6_MULTICAST_HOPS, " + hopLimit + ")");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_UNICAST_HOPS, hopLimit,
                "setsockopt(IPV6_UNICAST_HOPS, " + hopLimit + ")");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_MULTICAST_LOOP, 0, "setsockopt(IPV6_MULTICAST_LOOP, 0)");
        // RFC 5798 §7.1 checks the hop limit, keepalived whether the destination was multicast:
        // neither is in the payload a raw IPv6 socket delivers, so have them as control messages.
        Syscalls.setOption(fd, v6, Syscalls.IPV6_RECVHOPLIMIT, 1, "setsockopt(IPV6_RECVHOPLIMIT, 1)");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_RECVPKTINFO, 1, "setsockopt(IPV6_RECVPKTINFO, 1)");
        Syscalls.setOption(fd, Syscalls.SOL_SOCKET, Syscalls.SO_TIMESTAMPNS, 1, "setsockopt(SO_TIMESTAMPNS, 1)");
        Syscalls.setOption(fd, v6, Syscalls.IPV6_TCLASS, TCLASS_NETWORK_CONTROL, "setsockopt(IPV6_TCLASS, 0xc0)");
        for (Inet6Address group : groups) {
            Syscalls.setOption(fd, v6, Syscalls.IPV6_ADD_MEMBERSHIP, Syscalls.ipv6Mreq(group, ifindex),
                    "setsockopt(IPV6_ADD_MEMBERSHIP, " + group.getHostAddress() + ", " + name + ")");
        }
    }

    /**
     * On the loop, once per socket opened: the send and receive paths run once against no socket,
     * so that a backup's first advert, sent when it takes over, does not pay for class linking
     * and this thread's native blocks.
     */
    private static void rehearse() {
        SourcedIpv6Datagram.rehearse();
        DatagramBatch batch = DatagramBatch.forThisThread();
        batch.receive(-1);
        batch.select(0);
    }

    /**
     * Sends {@code payload} (the IPv6 payload, e.g. a VRRPv3 advertisement with its checksum) to
     * {@code destination} from {@code source} (one of the interface's addresses), out of this
     * socket's interface; the kernel adds the IPv6 header. The source is given (IPV6_PKTINFO)
     * because the VRRPv3 checksum covers it. A link-local destination (fe80::/10, ffx2::/16) is
     * scoped to this socket's interface, whatever scope id it carries. Any thread; never blocks.
     *
     * @param hopLimit 1..255 for this datagram (IPV6_HOPLIMIT, keepalived's {@code unicast_ttl});
     *                 0 for the socket's
     * @return false when the packet was not sent (EAGAIN or ENOBUFS on a full queue, ENETDOWN,
     *         EINVAL for a source that is not (yet) an address of the interface, closed, ...):
     *         counted in {@link #droppedSends()}, logged once per distinct errno
     */
    public boolean send(byte[] payload, Inet6Address destination, Inet6Address source, int hopLimit) {
        if (hopLimit < 0 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit must be 0..255, was " + hopLimit);
        }
        return sendFailures.sent(socket.sendFrom(payload, destination, source, interfaceIndex, hopLimit),
                log, this, destination);
    }

    private boolean deliver(DatagramBatch batch) {
        Inet6Address source = batch.source();
        if (source == null) {
            log.debug("{}: dropped a datagram without its sender's address", this);
            return false;
        }
        handler.packetReceived(batch.copy(), batch.length(), source, batch.destination(), batch.hopLimit());
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

    /** Failed reads, oversized datagrams, datagrams without a sender and handler exceptions. */
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
