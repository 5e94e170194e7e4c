package appliance.check;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** A real server of a virtual server, with its checks: alive while none of them is down. */
public record RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks) {

    public RealServer {
        Objects.requireNonNull(address, "address");
        checks = List.copyOf(checks);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0, was " + weight);
        }
    }
}
