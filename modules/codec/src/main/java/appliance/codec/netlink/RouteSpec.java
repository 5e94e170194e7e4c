package appliance.codec.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A route to add or delete, as keepalived's {@code virtual_routes} and {@code static_routes}
 * and {@code ip route} describe one. Start from a factory named after the {@code ip route}
 * form and add the rest:
 *
 * <pre>{@code
 * RouteSpec.via(dst, 24, gateway).withOutputInterface(3).withTable(100).withMetric(10)
 * RouteSpec.dev(dst, 24, 3).withPreferredSource(vip)
 * RouteSpec.multipath(dst, 8, List.of(new NextHop(gw1, 3), new NextHop(gw2, 4, 3)))
 * RouteSpec.blackhole(dst, 16).withTable(1000)
 * }</pre>
 *
 * Factories fill in the main table, metric 0 (the kernel's default: 0 for IPv4, 1024 for IPv6),
 * universe scope (link scope for an IPv4 route to a device, as {@code ip route} chooses) and
 * {@link RouteMessage#RTPROT_KEEPALIVED}, the protocol keepalived marks its routes with, so that
 * {@code ip route} shows them as {@code proto keepalived}.
 *
 * @param destination       the destination prefix (0.0.0.0 or :: with length 0 for a default
 *                          route); its family is the route's
 * @param destinationLength 0..32 or 0..128; the bits of {@code destination} beyond it must be 0
 *                          (the kernel refuses an IPv4 prefix with host bits with EINVAL)
 * @param gateway           {@code via}, or null
 * @param outputInterface   {@code dev}: an interface index, or 0 for none
 * @param preferredSource   {@code src}, or null
 * @param table             {@code table}: an unsigned 32-bit id, not 0 (RT_TABLE_UNSPEC); ids above
 *                          2^31-1 are given as negative ints ({@code (int) 3000000000L})
 * @param metric            {@code metric} (RTA_PRIORITY): 0..4294967295, 0 for the kernel's default
 * @param scope             RT_SCOPE_*: 0..255
 * @param type              RTN_* from {@link RouteMessage#RTN_UNICAST} to {@link RouteMessage#RTN_MAX}
 * @param nextHops          the paths of a multipath route (two or more), else empty
 * @param protocol          RTPROT_*: 0..255
 */
public record RouteSpec(InetAddress destination, int destinationLength, InetAddress gateway, int outputInterface,
                        InetAddress preferredSource, int table, long metric, int scope, int type,
                        List<NextHop> nextHops, int protocol) {

    public RouteSpec {
        Objects.requireNonNull(destination, "destination");
        nextHops = nextHops == null ? List.of() : List.copyOf(nextHops);
        boolean ipv4 = destination instanceof Inet4Address;
        int bits = ipv4 ? 32 : 128;
        if (destinationLength < 0 || destinationLength > bits) {
            throw new IllegalArgumentException("prefix length of " + destination.getHostAddress()
                    + " must be 0.." + bits + ", was " + destinationLength);
        }
        checkNoHostBits(destination, destinationLength);
        sameFamily("gateway", gateway, ipv4);
        sameFamily("preferred source", preferredSource, ipv4);
        for (NextHop hop : nextHops) {
            sameFamily("next hop gateway", hop.gateway(), ipv4);
            if (hop.gateway() == null && hop.interfaceIndex() == 0) {
                throw new IllegalArgumentException("a next hop needs a gateway or an interface: " + hop);
            }
        }
        if (outputInterface < 0) {
            throw new IllegalArgumentException("output interface must be 0 (none) or positive, was " + outputInterface);
        }
        if (table == RouteMessage.RT_TABLE_UNSPEC) {
            throw new IllegalArgumentException("table must be 1..4294967295, was 0 (RT_TABLE_UNSPEC)");
        }
        if (metric < 0 || metric > 0xffff_ffffL) {
            throw new IllegalArgumentException("metric must be 0..4294967295, was " + metric);
        }
        if (scope < 0 || scope > 0xff) {
            throw new IllegalArgumentException("scope must be 0..255, was " + scope);
        }
        if (protocol < 0 || protocol > 0xff) {
            throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
        }
        if (type < RouteMessage.RTN_UNICAST || type > RouteMessage.RTN_MAX) {
            throw new IllegalArgumentException("type must be RTN_UNICAST (1)..RTN_XRESOLVE (11), was " + type);
        }
        boolean single = gateway != null || outputInterface != 0;
        if (isWithoutNextHop(type) && (single || !nextHops.isEmpty())) {
            throw new IllegalArgumentException("a route of type " + type
                    + " (blackhole, unreachable, prohibit, throw) has no gateway, interface or next hops");
        }
        if (!nextHops.isEmpty() && (nextHops.size() < 2 || single)) {
            throw new IllegalArgumentException("a multipath route has two or more next hops and no gateway or"
                    + " interface of its own, had " + nextHops.size() + " next hops, gateway " + gateway
                    + ", interface " + outputInterface);
        }
        if (type == RouteMessage.RTN_UNICAST && !single && nextHops.isEmpty()) {
            throw new IllegalArgumentException("a unicast route needs a gateway, an interface or next hops");
        }
    }

    /** {@code ip route add DESTINATION/LENGTH via GATEWAY}. */
    public static RouteSpec via(InetAddress destination, int destinationLength, InetAddress gateway) {
        Objects.requireNonNull(gateway, "gateway");
        return unicast(destination, destinationLength, gateway, 0, List.of(), Rtnetlink.RT_SCOPE_UNIVERSE);
    }

    /**
     * {@code ip route add DESTINATION/LENGTH dev IF}: hosts reached directly on the link. Link
     * scope for IPv4, as {@code ip route} chooses for a unicast route without a gateway (the
     * kernel ignores the scope of IPv6 routes; iproute2 writes universe there).
     */
    public static RouteSpec dev(InetAddress destination, int destinationLength, int outputInterface) {
        if (outputInterface <= 0) {
            throw new IllegalArgumentException("interface index must be positive, was " + outputInterface);
        }
        int scope = destination instanceof Inet4Address ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE;
        return unicast(destination, destinationLength, null, outputInterface, List.of(), scope);
    }

    /** {@code ip route add DESTINATION/LENGTH nexthop via A [dev IF] [weight W] nexthop via B ...}. */
    public static RouteSpec multipath(InetAddress destination, int destinationLength, List<NextHop> nextHops) {
        Objects.requireNonNull(nextHops, "nextHops");
        return unicast(destination, destinationLength, null, 0, nextHops, Rtnetlink.RT_SCOPE_UNIVERSE);
    }

    /** {@code ip route add blackhole DESTINATION/LENGTH}: packets are dropped silently. */
    public static RouteSpec blackhole(InetAddress destination, int destinationLength) {
        return ofType(RouteMessage.RTN_BLACKHOLE, destination, destinationLength);
    }

    /** {@code ip route add unreachable DESTINATION/LENGTH}: senders get ICMP host unreachable. */
    public static RouteSpec unreachable(InetAddress destination, int destinationLength) {
        return ofType(RouteMessage.RTN_UNREACHABLE, destination, destinationLength);
    }

    /** {@code ip route add prohibit DESTINATION/LENGTH}: senders get ICMP administratively prohibited. */
    public static RouteSpec prohibit(InetAddress destination, int destinationLength) {
        return ofType(RouteMessage.RTN_PROHIBIT, destination, destinationLength);
    }

    /** {@code dev IF} beside a gateway. */
    public RouteSpec withOutputInterface(int index) {
        return new RouteSpec(destination, destinationLength, gateway, index, preferredSource, table, metric,
                scope, type, nextHops, protocol);
    }

    /** {@code src ADDRESS}: the source the kernel prefers for traffic it originates on this route. */
    public RouteSpec withPreferredSource(InetAddress source) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, source, table, metric,
                scope, type, nextHops, protocol);
    }

    /** {@code table ID} (see {@link #table()} for ids above 2^31-1). */
    public RouteSpec withTable(int id) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, preferredSource, id, metric,
                scope, type, nextHops, protocol);
    }

    /** {@code metric M}. */
    public RouteSpec withMetric(long value) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, preferredSource, table, value,
                scope, type, nextHops, protocol);
    }

    /** {@code scope S}: an RT_SCOPE_* value. */
    public RouteSpec withScope(int value) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, preferredSource, table, metric,
                value, type, nextHops, protocol);
    }

    /** {@code proto P}: an RTPROT_* value. */
    public RouteSpec withProtocol(int value) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, preferredSource, table, metric,
                scope, type, nextHops, value);
    }

    /** Routes whose packets go nowhere: they carry no next hop. */
    static boolean isWithoutNextHop(int type) {
        return type == RouteMessage.RTN_BLACKHOLE || type == RouteMessage.RTN_UNREACHABLE
                || type == RouteMessage.RTN_PROHIBIT || type == RouteMessage.RTN_THROW;
    }

    private static RouteSpec unicast(InetAddress destination, int destinationLength, InetAddress gateway,
                                     int outputInterface, List<NextHop> nextHops, int scope) {
        return new RouteSpec(destination, destinationLength, gateway, outputInterface, null,
                RouteMessage.RT_TABLE_MAIN, 0, scope, RouteMessage.RTN_UNICAST, nextHops,
                RouteMessage.RTPROT_KEEPALIVED);
    }

    private static RouteSpec ofType(int type, InetAddress destination, int destinationLength) {
        return new RouteSpec(destination, destinationLength, null, 0, null, RouteMessage.RT_TABLE_MAIN, 0,
                Rtnetlink.RT_SCOPE_UNIVERSE, type, List.of(), RouteMessage.RTPROT_KEEPALIVED);
    }

    private static void checkNoHostBits(InetAddress destination, int length) {
        byte[] bytes = destination.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException(destination.getHostAddress() + "/" + length
                        + " has bits set beyond the prefix length");
            }
        }
    }

    private static void sameFamily(String what, InetAddress address, boolean ipv4) {
        if (address != null && (address instanceof Inet4Address) != ipv4) {
            throw new IllegalArgumentException(what + " " + address.getHostAddress() + " is not an "
                    + (ipv4 ? "IPv4" : "IPv6") + " address like the destination");
        }
    }
}
