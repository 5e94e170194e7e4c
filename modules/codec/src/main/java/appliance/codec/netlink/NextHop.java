package appliance.codec.netlink;

import java.net.InetAddress;

/**
 * One path of a multipath route: an element of RTA_MULTIPATH (rtnetlink(7), struct rtnexthop),
 * as {@code ip route add PREFIX nexthop via GATEWAY dev IF weight N} writes it.
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |      rtnh_len (u16)           | rtnh_flags(u8)| rtnh_hops (u8)|  0
 * +---------------+---------------+---------------+---------------+
 * |                    rtnh_ifindex (s32)                         |  4
 * +---------------+---------------+---------------+---------------+
 * |  attributes: RTA_GATEWAY ...  (rtnh_len covers them)          |  8
 * </pre>
 *
 * @param gateway        RTA_GATEWAY inside the next hop, or null for a hop to a device only
 * @param interfaceIndex rtnh_ifindex, 0 for none (the kernel then finds it from the gateway)
 * @param weight         1..256; on the wire rtnh_hops is weight - 1, as iproute2 and keepalived
 *                       ({@code weight 1}, the default, is rtnh_hops 0)
 */
public record NextHop(InetAddress gateway, int interfaceIndex, int weight) {

    public static final int MIN_WEIGHT = 1;
    public static final int MAX_WEIGHT = 256;

    public NextHop {
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("next hop interface index must be 0 (none) or positive, was "
                    + interfaceIndex);
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("next hop weight must be " + MIN_WEIGHT + ".." + MAX_WEIGHT
                    + ", was " + weight);
        }
    }

    /** A next hop of weight 1 (the default of {@code ip route ... nexthop}). */
    public NextHop(InetAddress gateway, int interfaceIndex) {
        this(gateway, interfaceIndex, MIN_WEIGHT);
    }
}
