package appliance.vrrp;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * keepalived's top-level {@code static_ipaddress} and {@code static_routes}: added at start whatever
 * any instance's state, kept while the appliance runs (put back when removed by hand), removed at
 * stop.
 *
 * @param addresses each with its interface ({@code dev}), which is required here: no instance
 *                  names one for them
 */
public record StaticConfig(List<VirtualAddress> addresses, List<VirtualRoute> routes) {

    public static final StaticConfig NONE = new StaticConfig(List.of(), List.of());

    public StaticConfig {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        Set<InetAddress> seen = new HashSet<>();
        for (VirtualAddress a : addresses) {
            if (a.device().isEmpty()) {
                throw new IllegalArgumentException("static address " + a + " needs dev (the interface it goes on)");
            }
            a.checkLabel(a.device().get());
            if (!seen.add(a.address())) {
                throw new IllegalArgumentException("static address " + a.address().getHostAddress() + " is listed twice");
            }
        }
        if (routes.stream().distinct().count() != routes.size()) {
            throw new IllegalArgumentException("static-routes lists the same route twice");
        }
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && routes.isEmpty();
    }
}
