package appliance.codec.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * RTM_NEWROUTE / RTM_DELROUTE: a route (rtnetlink(7), struct rtmsg), as the kernel reports it in
 * a dump or a notification, or as {@link Rtnetlink#newRoute} and {@link Rtnetlink#deleteRoute}
 * write it.
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |  family (u8)  |  dst_len (u8) |  src_len (u8) |    tos (u8)   |  0
 * +---------------+---------------+---------------+---------------+
 * |  table (u8)   | protocol (u8) |   scope (u8)  |    type (u8)  |  4
 * +---------------+---------------+---------------+---------------+
 * |                    RTM_F_* flags (u32)                        |  8
 * +---------------+---------------+---------------+---------------+
 * |  attributes: RTA_TABLE, RTA_DST, RTA_PREFSRC, RTA_GATEWAY,    | 12
 * |  RTA_PRIORITY, RTA_OIF, RTA_MULTIPATH (see {@link NextHop}) ...|
 * </pre>
 *
 * Addresses are read for AF_INET and AF_INET6 routes (and the kernel's IPv4 and IPv6 multicast
 * route families, 128 and 129); for any other family they are null.
 *
 * @param family            {@link Rtnetlink#AF_INET} or {@link Rtnetlink#AF_INET6} (others pass through)
 * @param destinationLength rtm_dst_len: the prefix length, 0 for a default route
 * @param table             the routing table as an unsigned 32-bit id: RTA_TABLE when present (a
 *                          table above 255 has only that; rtm_table then says RT_TABLE_UNSPEC in a
 *                          request, RT_TABLE_COMPAT in a dump), else rtm_table
 * @param protocol          RTPROT_*: who installed it, e.g. {@link #RTPROT_KERNEL}, {@link #RTPROT_KEEPALIVED}
 * @param scope             RT_SCOPE_*, e.g. {@link Rtnetlink#RT_SCOPE_LINK}
 * @param type              RTN_*, e.g. {@link #RTN_UNICAST}, {@link #RTN_BLACKHOLE}
 * @param flags             rtm_flags (RTM_F_*, RTNH_F_* of a single-path route)
 * @param destination       RTA_DST, or null when absent (a default route)
 * @param gateway           RTA_GATEWAY, or null when absent (a direct or multipath route)
 * @param outputInterface   RTA_OIF, 0 when absent
 * @param preferredSource   RTA_PREFSRC ({@code ip route ... src}), or null when absent
 * @param priority          RTA_PRIORITY (the metric, an unsigned 32-bit value), 0 when absent
 * @param nextHops          RTA_MULTIPATH's next hops, empty for a single-path route
 */
public record RouteMessage(NetlinkHeader header, int family, int destinationLength, int sourceLength, int tos,
                           int table, int protocol, int scope, int type, int flags, InetAddress destination,
                           InetAddress gateway, int outputInterface, InetAddress preferredSource, long priority,
                           List<NextHop> nextHops) implements NetlinkMessage {

    /** Fixed part before the attributes. */
    static final int SIZE = 12;

    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    /** The highest route type (RTN_XRESOLVE). */
    public static final int RTN_MAX = 11;

    public static final int RT_TABLE_UNSPEC = 0;
    /** rtm_table of a dumped route whose table id does not fit 8 bits (the id is in RTA_TABLE). */
    public static final int RT_TABLE_COMPAT = 252;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    public static final int RTPROT_UNSPEC = 0;
    /** Routes the kernel made for an address (the prefix route, local and broadcast routes). */
    public static final int RTPROT_KERNEL = 2;
    /** What {@code ip route add} writes unless told {@code proto}. */
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    /** What keepalived writes on its virtual and static routes unless configured otherwise. */
    public static final int RTPROT_KEEPALIVED = 18;

    /** RTNL_FAMILY_IPMR and RTNL_FAMILY_IP6MR: the kernel's multicast routing tables. */
    static final int RTNL_FAMILY_IPMR = 128;
    static final int RTNL_FAMILY_IP6MR = 129;

    public RouteMessage {
        Objects.requireNonNull(header, "header");
        u8("family", family);
        u8("destination length", destinationLength);
        u8("source length", sourceLength);
        u8("tos", tos);
        u8("protocol", protocol);
        u8("scope", scope);
        u8("type", type);
        int bits = addressLength(family) * 8;
        if (bits > 0 && (destinationLength > bits || sourceLength > bits)) {
            throw new IllegalArgumentException("prefix lengths of family " + family + " must be 0.." + bits
                    + ", were " + destinationLength + " and " + sourceLength);
        }
        checkFamily("destination", destination, family);
        checkFamily("gateway", gateway, family);
        checkFamily("preferred source", preferredSource, family);
        if (outputInterface < 0) {
            throw new IllegalArgumentException("output interface must be 0 (none) or positive, was " + outputInterface);
        }
        if (priority < 0 || priority > 0xffff_ffffL) {
            throw new IllegalArgumentException("priority must be 0..4294967295, was " + priority);
        }
        nextHops = List.copyOf(nextHops);
        for (NextHop hop : nextHops) {
            checkFamily("next hop gateway", hop.gateway(), family);
        }
    }

    /** Whether the route spreads over several next hops (RTA_MULTIPATH). */
    public boolean isMultipath() {
        return !nextHops.isEmpty();
    }

    /** Bytes of an address of {@code family}: 4 or 16, 0 for a family whose addresses are not read. */
    static int addressLength(int family) {
        return switch (family) {
            case Rtnetlink.AF_INET, RTNL_FAMILY_IPMR -> 4;
            case Rtnetlink.AF_INET6, RTNL_FAMILY_IP6MR -> 16;
            default -> 0;
        };
    }

    private static void checkFamily(String what, InetAddress address, int family) {
        if (address == null) {
            return;
        }
        int length = addressLength(family);
        boolean fits = length == 4 ? address instanceof Inet4Address
                : length == 16 && address instanceof Inet6Address;
        if (!fits) {
            throw new IllegalArgumentException(what + " " + address.getHostAddress()
                    + " does not belong to family " + family);
        }
    }

    private static void u8(String what, int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(what + " must be 0..255, was " + value);
        }
    }
}
