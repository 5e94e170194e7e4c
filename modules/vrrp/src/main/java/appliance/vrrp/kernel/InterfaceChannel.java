package appliance.vrrp.kernel;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.nativeio.NativeException;
import appliance.nativeio.PacketSocket;
import appliance.nativeio.RawIpv4Socket;
import appliance.nativeio.RawIpv6Socket;
import appliance.vrrp.AdvertisementReceiver;
import io.netty.channel.IoEventLoop;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * One interface's sockets for one address family, as keepalived keeps one per (family,
 * interface): the raw socket for protocol 112 shared by every instance of that family on the
 * interface (dispatch by VRID happens in the {@link AdvertisementReceiver}), and the AF_PACKET
 * socket for gratuitous ARP or unsolicited neighbour advertisements. Both sit on one event loop,
 * the same one that runs the instances' timers.
 */
final class InterfaceChannel implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InterfaceChannel.class);

    static final Inet4Address VRRP_GROUP_V4 = (Inet4Address) literal("224.0.0.18");
    /** RFC 5798 section 5.1.2.2: the IPv6 VRRP group, link-local scope. */
    static final Inet6Address VRRP_GROUP_V6 = (Inet6Address) literal("ff02::12");
    /** RFC 5798 sections 5.1.1.3 and 5.1.2.3: sent with TTL (hop limit) 255 so receivers can reject off-link packets. */
    static final int VRRP_TTL = 255;

    /** Replaced when the interface's source address changes; the sockets stay. */
    private volatile InterfaceInfo info;
    final IoEventLoop loop;
    private final boolean ipv6;
    private final RawIpv4Socket vrrpSocket;
    private final RawIpv6Socket vrrpSocket6;
    private final PacketSocket frameSocket;
    private volatile AdvertisementReceiver receiver;
    /** Read when the sockets open: keepalived sets the NA router flag when the interface forwards IPv6 (IPv6 excluded addresses of an IPv4 instance too). */
    private final boolean ipv6Forwarding;

    /** A packet socket and the MAC of an interface that a virtual address names with {@code dev}. */
    private record OtherDevice(PacketSocket socket, byte[] mac) {
    }

    /** By name; opened with the channel, those missing then are left out (their announcements are not sent). */
    private final java.util.Map<String, OtherDevice> otherDevices = new java.util.HashMap<>();

    /**
     * @param otherDevices    interfaces other than this one that some of its instances' addresses go on
     * @param readPacingNanos see {@link #readPacingNanos(long)}
     */
    InterfaceChannel(InterfaceInfo info, IoEventLoop loop, boolean ipv6, java.util.Set<String> otherDevices,
                     long readPacingNanos) throws NativeException {
        this.info = info;
        this.loop = loop;
        this.ipv6 = ipv6;
        this.vrrpSocket = ipv6 ? null : RawIpv4Socket.open(loop, VrrpAdvertisement.IP_PROTOCOL, info.name(),
                List.of(VRRP_GROUP_V4), VRRP_TTL, this::packetReceived);
        this.vrrpSocket6 = ipv6 ? RawIpv6Socket.open(loop, VrrpAdvertisement.IP_PROTOCOL, info.name(),
                List.of(VRRP_GROUP_V6), VRRP_TTL, this::packetReceived) : null;
        if (ipv6) {
            vrrpSocket6.paceReads(readPacingNanos);
        } else {
            vrrpSocket.paceReads(readPacingNanos);
        }
        PacketSocket packet;
        try {
            packet = PacketSocket.open(loop, info.name());
        } catch (NativeException e) {
            closeVrrpSocket();
            throw e;
        }
        this.frameSocket = packet;
        this.ipv6Forwarding = forwardsIpv6(info.name());
        for (String dev : otherDevices) {
            try {
                byte[] mac = appliance.nativeio.NetworkInterfaces.hardwareAddress(dev);
                this.otherDevices.put(dev, new OtherDevice(PacketSocket.open(loop, dev), mac));
            } catch (NativeException e) {
                log.warn("{}: cannot open a packet socket on {} for the virtual addresses that name it: {};"
                        + " their announcements are not sent until {}'s sockets reopen", info.name(), dev,
                        e.getMessage(), info.name());
            }
        }
    }

    /**
     * How long the VRRP socket may hold adverts unread when they come densely (many instances):
     * 1/32 of the shortest advert interval of the interface's instances, at most 10 ms. One
     * wakeup then reads many adverts; a backup of 255 instances at 100 ms woke 2,550 times a
     * second, one wakeup per advert, and spent more than keepalived doing it. Timers lose
     * nothing (they run from each advert's kernel timestamp, and the Master_Down_Timer reads what
     * waits before it expires); what waits is a master's answer to a higher or lower priority
     * advert, by at most this long, and only under dense traffic.
     */
    static long readPacingNanos(long shortestAdvertIntervalNanos) {
        return Math.min(shortestAdvertIntervalNanos / 32, MAX_READ_PACING_NANOS);
    }

    private static final long MAX_READ_PACING_NANOS = 10_000_000L;

    /** On the loop: the adverts queued on the VRRP socket, handed to the receiver now. */
    void readPending() {
        if (ipv6) {
            vrrpSocket6.readPending();
        } else {
            vrrpSocket.readPending();
        }
    }

    /** The MAC of {@code device}, this interface's or one of the others'; null when it could not be opened. */
    byte[] hardwareAddress(String device) {
        if (device.equals(info.name())) {
            return info.hardwareAddress();
        }
        OtherDevice d = otherDevices.get(device);
        return d == null ? null : d.mac();
    }

    /** From /proc, off the loops (the channel opens on the control thread); false when unreadable. */
    private static boolean forwardsIpv6(String name) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv6/conf", name, "forwarding"))
                    .strip().equals("1");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    boolean ipv6Forwarding() {
        return ipv6Forwarding;
    }

    InterfaceInfo info() {
        return info;
    }

    boolean isIpv6() {
        return ipv6;
    }

    void sourceChanged(InetAddress source) {
        info = new InterfaceInfo(info.name(), info.index(), info.hardwareAddress(), source);
    }

    void attach(AdvertisementReceiver receiver) {
        this.receiver = receiver;
    }

    private void packetReceived(byte[] buffer, int length) {
        AdvertisementReceiver r = receiver;
        if (r != null) {
            r.ipv4PacketReceived(buffer, length, receivedAt(vrrpSocket.kernelReceiveTime()));
        }
    }

    private void packetReceived(byte[] buffer, int length, Inet6Address source, Inet6Address destination,
                                int hopLimit) {
        AdvertisementReceiver r = receiver;
        if (r != null) {
            r.ipv6PacketReceived(buffer, length, source, destination, hopLimit,
                    receivedAt(vrrpSocket6.kernelReceiveTime()));
        }
    }

    /**
     * The kernel's receive time (epoch ns, 0 if unknown) on the System.nanoTime scale the timers
     * use. Measured on the lab (adverts at 100 ms and 10 ms, 396 packets), the loop read a packet
     * 0.20 to 0.24 ms after its arrival in the median, 0.4 to 0.5 ms at the 90th percentile and
     * once 27 ms (a pause). A wall-clock step makes the age implausible: the packet then counts
     * as received now.
     */
    static long receivedAt(long kernelEpochNanos) {
        long now = System.nanoTime();
        if (kernelEpochNanos <= 0) {
            return now;
        }
        java.time.Instant wall = java.time.Instant.now();
        long age = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - kernelEpochNanos;
        return age >= 0 && age < MAX_PLAUSIBLE_AGE_NANOS ? now - age : now;
    }

    private static final long MAX_PLAUSIBLE_AGE_NANOS = 1_000_000_000L;

    AdvertisementReceiver receiver() {
        return receiver;
    }

    /**
     * To {@code destination} (the VRRP group, or a unicast peer) from {@code source}, the
     * addresses the advert's checksum was computed with, whatever source the kernel would pick;
     * {@code ttl} 0 keeps the socket's 255. Both addresses are of the channel's family.
     */
    boolean sendAdvertisement(byte[] vrrpMessage, InetAddress destination, InetAddress source, int ttl) {
        return ipv6
                ? vrrpSocket6.send(vrrpMessage, (Inet6Address) destination, (Inet6Address) source, ttl)
                : vrrpSocket.send(vrrpMessage, (Inet4Address) destination, (Inet4Address) source, ttl);
    }

    /** A gratuitous ARP or an unsolicited neighbour advertisement, as a whole Ethernet frame. */
    boolean sendFrame(byte[] ethernetFrame) {
        return frameSocket.send(ethernetFrame, etherType(ethernetFrame));
    }

    /** As {@link #sendFrame(byte[])}, on {@code device} (this interface or one a virtual address names). */
    boolean sendFrame(String device, byte[] ethernetFrame) {
        if (device.equals(info.name())) {
            return sendFrame(ethernetFrame);
        }
        OtherDevice d = otherDevices.get(device);
        return d != null && d.socket().send(ethernetFrame, etherType(ethernetFrame));
    }

    private static int etherType(byte[] frame) {
        return (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
    }

    @Override
    public void close() {
        closeVrrpSocket();
        frameSocket.close();
        otherDevices.values().forEach(d -> d.socket().close());
    }

    private void closeVrrpSocket() {
        if (vrrpSocket != null) {
            vrrpSocket.close();
        }
        if (vrrpSocket6 != null) {
            vrrpSocket6.close();
        }
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
