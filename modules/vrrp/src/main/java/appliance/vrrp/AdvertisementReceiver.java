package appliance.vrrp;

import appliance.codec.ip.IpDecodeException;
import appliance.codec.ip.Ipv4Header;
import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpDecodeException;
import appliance.codec.vrrp.VrrpVersion;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path of one (address family, interface) socket: RFC 5798 section 7.1 checks, then
 * dispatch by VRID, as keepalived shares one socket among all instances of an interface. The
 * codec checks the wire (version, length, checksum); the rules (TTL, VRID, authentication,
 * interval) are checked here. Every discarded packet is counted by reason and logged, at most
 * {@value #LOG_LINES_PER_SECOND} lines per second per reason so that a flood cannot fill the disk.
 */
public final class AdvertisementReceiver {

    private static final Logger log = LoggerFactory.getLogger(AdvertisementReceiver.class);
    static final int LOG_LINES_PER_SECOND = 10;

    private final String interfaceName;
    private final Map<Integer, VirtualRouter> routersByVrid;
    private final TimerService clock;
    private final DropCounters drops = new DropCounters();
    private final LogRateLimit[] logLimits = new LogRateLimit[DropReason.values().length];

    public AdvertisementReceiver(String interfaceName, Map<Integer, VirtualRouter> routersByVrid, TimerService clock) {
        this.interfaceName = interfaceName;
        // Kept as given: a reload adds and removes instances in it, on the interface's loop, where it is read.
        this.routersByVrid = routersByVrid;
        this.clock = clock;
        for (int i = 0; i < logLimits.length; i++) {
            logLimits[i] = new LogRateLimit(LOG_LINES_PER_SECOND, clock.nanoTime());
        }
    }

    /** A datagram from an IPv4 raw socket for protocol 112, IPv4 header first, received just now. */
    public void ipv4PacketReceived(byte[] buffer, int length) {
        ipv4PacketReceived(buffer, length, clock.nanoTime());
    }

    /**
     * As {@link #ipv4PacketReceived(byte[], int)}, for a datagram the kernel received at
     * {@code receivedAt} (the clock's nanoTime base), which the router times its Master_Down_Timer from.
     */
    public void ipv4PacketReceived(byte[] buffer, int length, long receivedAt) {
        Ipv4Header ip;
        try {
            ip = Ipv4Header.decode(buffer, 0, length);
        } catch (IpDecodeException e) {
            drop(DropReason.MALFORMED, null, e.getMessage());
            return;
        }
        // RFC 5798 section 7.1 for the group; as keepalived 2.2.7, not for unicast adverts, whose
        // peers may sit behind a router (clouds).
        boolean multicast = ip.destination().isMulticastAddress();
        if (multicast && ip.ttl() != 255) {
            drop(DropReason.TTL_NOT_255, ip.source(), "TTL " + ip.ttl());
            return;
        }
        int offset = ip.headerLength();
        advertisementReceived(buffer, offset, Math.min(length, ip.totalLength()) - offset, ip.source(),
                ip.destination(), receivedAt);
    }

    /**
     * A datagram from an IPv6 raw socket for protocol 112: the VRRP message alone (the kernel
     * keeps the IPv6 header), with the source, the destination and the hop limit the kernel
     * reported with it (IPV6_PKTINFO, IPV6_HOPLIMIT; -1 when it did not).
     */
    public void ipv6PacketReceived(byte[] buffer, int length, Inet6Address source, Inet6Address destination,
                                   int hopLimit, long receivedAt) {
        if (source == null || destination == null) {
            drop(DropReason.MALFORMED, source, "the kernel reported no " + (source == null ? "source" : "destination"));
            return;
        }
        boolean multicast = destination.isMulticastAddress();
        if (multicast && hopLimit != 255) {
            drop(DropReason.TTL_NOT_255, source, "hop limit " + hopLimit);
            return;
        }
        advertisementReceived(buffer, 0, length, source, destination, receivedAt);
    }

    private void advertisementReceived(byte[] buffer, int offset, int vrrpLength, InetAddress source,
                                       InetAddress destination, long receivedAt) {
        boolean multicast = destination.isMulticastAddress();
        VrrpAdvertisement adv;
        try {
            adv = VrrpAdvertisement.decode(buffer, offset, vrrpLength, source, destination);
        } catch (VrrpDecodeException e) {
            drop(reasonFor(e.reason()), source, e.getMessage());
            return;
        }
        VirtualRouter router = routersByVrid.get(adv.virtualRouterId());
        if (router == null) {
            drop(DropReason.UNKNOWN_VRID, source, "VRID " + adv.virtualRouterId());
            return;
        }
        VirtualRouterConfig config = router.config();
        UnicastPeers unicast = config.unicast();
        if (multicast == unicast.isUnicast()) {
            drop(DropReason.UNICAST_MULTICAST_MISMATCH, source, "(" + config.name() + ") expected a "
                    + (unicast.isUnicast() ? "unicast" : "multicast") + " advert, got a "
                    + (multicast ? "multicast" : "unicast") + " one");
            return;
        }
        if (unicast.checkSource() && !unicast.peers().contains(source)) {
            drop(DropReason.UNKNOWN_PEER, source, "(" + config.name() + ") not one of its unicast-peers");
            return;
        }
        if (adv.version() != config.version()) {
            drop(DropReason.UNSUPPORTED_VERSION, source, "version " + adv.version().number() + " for ("
                    + config.name() + ") which runs version " + config.version().number());
            return;
        }
        if (config.version() == VrrpVersion.V2) {
            VrrpAdvertisement ours = router.advertisement();
            if (adv.authType() != ours.authType() || !Arrays.equals(adv.authData(), ours.authData())) {
                drop(DropReason.AUTH_MISMATCH, source, "(" + config.name() + ") auth type " + adv.authType()
                        + (adv.authType() == ours.authType() ? " with a different password" : ", ours " + ours.authType()));
                return;
            }
            if (adv.advertInterval() != ours.advertInterval()) {
                drop(DropReason.ADVERT_INTERVAL_MISMATCH, source, "(" + config.name() + ") interval "
                        + adv.advertInterval() + "s, ours " + ours.advertInterval() + "s");
                return;
            }
        }
        // keepalived's skip_check_adv_addr: a backup does not check again the list of the master it follows.
        boolean sameMaster = config.skipCheckAdvAddr() && router.state() == appliance.vrrp.VrrpState.BACKUP
                && source.equals(router.masterAddress());
        if (!sameMaster && !sameAddresses(adv, router.advertisement())) {
            drop(DropReason.ADDRESS_LIST_MISMATCH, source, "(" + config.name() + ") advertises "
                    + text(adv.ipAddresses()) + ", ours " + text(router.advertisement().ipAddresses()));
            return;
        }
        router.advertisementReceived(adv, source, receivedAt);
    }

    /**
     * RFC 5798 section 7.1 lets a receiver check the address list ("MAY"); keepalived 2.2.7 does
     * (vrrp_check_packet: same count, each of ours present) and drops a mismatch, so a mixed
     * cluster with one misconfigured peer behaves the same whichever implementation hears it.
     */
    static boolean sameAddresses(VrrpAdvertisement received, VrrpAdvertisement ours) {
        List<InetAddress> theirs = received.ipAddresses();
        return theirs.size() == ours.ipAddresses().size() && theirs.containsAll(ours.ipAddresses());
    }

    private static String text(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" ", "[", "]"));
    }

    static DropReason reasonFor(VrrpDecodeException.Reason reason) {
        return switch (reason) {
            case BAD_CHECKSUM -> DropReason.BAD_CHECKSUM;
            case LENGTH_MISMATCH -> DropReason.BAD_LENGTH;
            case UNSUPPORTED_VERSION -> DropReason.UNSUPPORTED_VERSION;
            default -> DropReason.MALFORMED;
        };
    }

    private void drop(DropReason reason, InetAddress source, String detail) {
        long count = drops.increment(reason);
        if (logLimits[reason.ordinal()].allow(clock.nanoTime())) {
            log.warn("{}: VRRP packet from {} dropped: {} ({}) ({} dropped for this reason)", interfaceName,
                    source == null ? "?" : source.getHostAddress(), reason, detail, count);
        }
    }

    public DropCounters drops() {
        return drops;
    }

    public String interfaceName() {
        return interfaceName;
    }
}
