package appliance.codec.ipvs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of an IPVS service: address and port, how packets reach it
 * ({@link #MASQ} NAT, {@link #DROUTE} direct routing, {@link #TUNNEL}), its weight (0: no new
 * connections), its connection thresholds (0: none) and, for tunnels, the tunnel's type, port and
 * flags. Its family may differ from the service's only with tunnelling.
 */
public record IpvsDestination(InetAddress address, int port, int forwarding, int weight, int upperThreshold,
                              int lowerThreshold, int tunnelType, int tunnelPort, int tunnelFlags) {

    public static final int MASQ = 0;
    public static final int LOCALNODE = 1;
    public static final int TUNNEL = 2;
    public static final int DROUTE = 3;
    public static final int BYPASS = 4;
    public static final int TUNNEL_TYPE_IPIP = 0;
    public static final int TUNNEL_TYPE_GUE = 1;
    public static final int TUNNEL_TYPE_GRE = 2;

    public IpvsDestination {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (forwarding < MASQ || forwarding > BYPASS) {
            throw new IllegalArgumentException("forwarding is IP_VS_CONN_F_MASQ..BYPASS (0..4), not " + forwarding);
        }
        if (weight < 0 || upperThreshold < 0 || lowerThreshold < 0) {
            throw new IllegalArgumentException("weight and thresholds are >= 0");
        }
        if (forwarding != TUNNEL && (tunnelType != 0 || tunnelPort != 0 || tunnelFlags != 0)) {
            throw new IllegalArgumentException("tunnel settings need TUNNEL forwarding");
        }
        if (forwarding == TUNNEL && tunnelType == TUNNEL_TYPE_GUE && tunnelPort == 0) {
            throw new IllegalArgumentException("a GUE tunnel needs a port");
        }
    }

    public static IpvsDestination of(InetAddress address, int port, int forwarding, int weight) {
        return new IpvsDestination(address, port, forwarding, weight, 0, 0, 0, 0, 0);
    }

    public int family() {
        return address instanceof Inet4Address ? IpvsService.AF_INET : IpvsService.AF_INET6;
    }

    public IpvsDestination withWeight(int newWeight) {
        return new IpvsDestination(address, port, forwarding, newWeight, upperThreshold, lowerThreshold, tunnelType,
                tunnelPort, tunnelFlags);
    }

    /** The table's identity of a destination within its service. */
    public boolean sameServer(IpvsDestination other) {
        return address.equals(other.address) && port == other.port;
    }

    /** As ipvsadm -Ln prints it. */
    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (address instanceof Inet4Address ? host : "[" + host + "]") + ":" + port + " "
                + switch (forwarding) {
                    case MASQ -> "Masq";
                    case LOCALNODE -> "Local";
                    case TUNNEL -> "Tunnel";
                    case DROUTE -> "Route";
                    default -> "Bypass";
                } + " " + weight;
    }
}
