package appliance.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's {@code unicast_src_ip}, {@code unicast_peer} and {@code check_unicast_src}: with
 * peers, adverts go to each of them instead of the multicast group (clouds and other networks
 * without multicast). {@link #NONE} means multicast.
 *
 * @param sourceAddress the adverts' source; empty: the interface's primary address
 * @param peers         where adverts go, in configuration order
 * @param checkSource   drop adverts from a source that is not one of {@code peers}
 * @param ttl           the IP TTL of unicast adverts (keepalived's unicast_ttl, default 255)
 */
public record UnicastPeers(Optional<InetAddress> sourceAddress, List<InetAddress> peers, boolean checkSource, int ttl) {

    public static final int DEFAULT_TTL = 255;
    public static final UnicastPeers NONE = new UnicastPeers(Optional.empty(), List.of(), false, DEFAULT_TTL);

    public UnicastPeers {
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        peers = List.copyOf(peers);
        sourceAddress.ifPresent(a -> checkAddress("unicast-src-ip", a));
        for (InetAddress p : peers) {
            checkAddress("unicast-peers", p);
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("unicast-ttl must be 1..255, got " + ttl);
        }
        if (peers.stream().distinct().count() != peers.size()) {
            throw new IllegalArgumentException("unicast-peers lists the same address twice");
        }
        if (peers.stream().map(p -> p instanceof Inet4Address).distinct().count() > 1) {
            throw new IllegalArgumentException("unicast-peers mixes IPv4 and IPv6 addresses; an instance advertises one family");
        }
        if (sourceAddress.isPresent() && peers.contains(sourceAddress.get())) {
            throw new IllegalArgumentException("unicast-peers lists unicast-src-ip "
                    + sourceAddress.get().getHostAddress() + ", this node's own address");
        }
    }

    private static void checkAddress(String key, InetAddress a) {
        if (a.isMulticastAddress() || a.isAnyLocalAddress() || a.isLoopbackAddress()) {
            throw new IllegalArgumentException(key + ": " + a.getHostAddress() + " is not a unicast host address");
        }
    }

    /** Whether adverts are unicast to peers (else multicast to the VRRP group). */
    public boolean isUnicast() {
        return !peers.isEmpty();
    }
}
