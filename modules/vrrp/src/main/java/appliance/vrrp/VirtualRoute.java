package appliance.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of keepalived's {@code virtual_routes} (added while the instance is MASTER) or
 * {@code static_routes} (kept whatever the state), with keepalived's options:
 * {@code [src ADDR] [to] PREFIX [via|gw ADDR [or ADDR]] [dev IF] [scope S] [table T] [metric M]},
 * or {@code blackhole PREFIX} (and unreachable, prohibit).
 *
 * @param gateways one gateway, or two and more for keepalived's {@code via A or B} (a multipath
 *                 route over all of them); none for a route to a device or of a type without next hop
 * @param table    the routing table, 254 (main) unless given
 * @param metric   the route's priority (metric), 0 unless given
 */
public record VirtualRoute(InetAddress destination, int prefixLength, Optional<InetAddress> source,
                           List<InetAddress> gateways, Optional<String> device, Optional<Scope> scope, long table,
                           long metric, Type type) {

    /** RTN_*: what the kernel does with a packet that matches. */
    public enum Type {
        UNICAST(1), BLACKHOLE(6), UNREACHABLE(7), PROHIBIT(8);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final long TABLE_MAIN = 254;
    private static final long U32_MAX = 0xffff_ffffL;

    public VirtualRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        gateways = List.copyOf(gateways);
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        boolean ipv4 = destination instanceof Inet4Address;
        int max = ipv4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " is outside 0.." + max);
        }
        source.ifPresent(s -> sameFamily("src", s, ipv4));
        gateways.forEach(g -> sameFamily("via", g, ipv4));
        device.ifPresent(VirtualRouterConfig::checkInterfaceName);
        if (gateways.stream().distinct().count() != gateways.size()) {
            throw new IllegalArgumentException("a gateway is listed twice");
        }
        if (type != Type.UNICAST && (!gateways.isEmpty() || device.isPresent())) {
            throw new IllegalArgumentException(type + " routes have no gateway or device");
        }
        if (type == Type.UNICAST && gateways.isEmpty() && device.isEmpty()) {
            throw new IllegalArgumentException("a route needs a gateway (via) or a device (dev)");
        }
        if (table < 1 || table > U32_MAX || table == 255) {
            throw new IllegalArgumentException("table must be 1..4294967295 and not 255 (local), got " + table);
        }
        if (metric < 0 || metric > U32_MAX) {
            throw new IllegalArgumentException("metric must be 0..4294967295, got " + metric);
        }
    }

    /** A route's destination: an address and a prefix length, /0 included. */
    public record Prefix(InetAddress address, int length) {
    }

    /** "10.98.0.0/16", "0.0.0.0/0" or "default"; a bare address is a host route. */
    public static Prefix parsePrefix(String text) {
        String t = text.strip();
        if (t.equals("default")) {
            t = "0.0.0.0/0";
        }
        int slash = t.indexOf('/');
        InetAddress a = VirtualAddress.parseLiteral(slash < 0 ? t : t.substring(0, slash));
        int max = a instanceof Inet4Address ? 32 : 128;
        int length = max;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length that is not a number");
            }
        }
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("\"" + text + "\": prefix length outside 0.." + max);
        }
        // A prefix with host bits set would be refused by the kernel (EINVAL); say so here.
        byte[] bytes = a.getAddress();
        for (int bit = length; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("\"" + text + "\" has host bits set beyond /" + length);
            }
        }
        return new Prefix(a, length);
    }

    /** The scope the route is added with: as iproute2, link for a route to a device alone, else global. */
    public Scope effectiveScope() {
        return scope.orElse(type == Type.UNICAST && gateways.isEmpty() ? Scope.LINK : Scope.GLOBAL);
    }

    public boolean isIpv4() {
        return destination instanceof Inet4Address;
    }

    private static void sameFamily(String key, InetAddress a, boolean ipv4) {
        if ((a instanceof Inet4Address) != ipv4) {
            throw new IllegalArgumentException(key + " " + a.getHostAddress() + " is not of the destination's family");
        }
    }

    /** As keepalived writes it: {@code src 10.99.0.1 10.98.0.0/16 via 10.99.0.254 dev e0 table 100}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        source.ifPresent(a -> s.append("src ").append(a.getHostAddress()).append(' '));
        if (type != Type.UNICAST) {
            s.append(type).append(' ');
        }
        s.append(destination.getHostAddress()).append('/').append(prefixLength);
        for (int i = 0; i < gateways.size(); i++) {
            s.append(i == 0 ? " via " : " or ").append(gateways.get(i).getHostAddress());
        }
        device.ifPresent(d -> s.append(" dev ").append(d));
        scope.ifPresent(sc -> s.append(" scope ").append(sc));
        if (table != TABLE_MAIN) {
            s.append(" table ").append(table);
        }
        if (metric != 0) {
            s.append(" metric ").append(metric);
        }
        return s.toString();
    }
}
