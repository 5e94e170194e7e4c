package appliance.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual server as keepalived's {@code virtual_server}: what its real servers are checked
 * against. {@code lbAlgo}, {@code lbKind}, the persistence timeout and the sorry server are only
 * IPVS's: read and validated here, they change nothing until IPVS exists.
 */
public record VirtualServer(InetAddress address, int port, Protocol protocol, Duration delayLoop, String lbAlgo,
                            String lbKind, Optional<Duration> persistenceTimeout,
                            Optional<InetSocketAddress> sorryServer, List<RealServer> realServers) {

    public VirtualServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(delayLoop, "delayLoop");
        Objects.requireNonNull(lbAlgo, "lbAlgo");
        Objects.requireNonNull(lbKind, "lbKind");
        Objects.requireNonNull(persistenceTimeout, "persistenceTimeout");
        Objects.requireNonNull(sorryServer, "sorryServer");
        realServers = List.copyOf(realServers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /** As keepalived prints a virtual server: {@code [10.97.0.100]:tcp:80}. */
    public String text() {
        return endpoint(address, protocol, port);
    }

    /** As keepalived prints a real server: {@code [10.98.0.12]:tcp:80}. */
    public String text(RealServer rs) {
        return endpoint(rs.address(), protocol, rs.port());
    }

    /** As keepalived prints a service: {@code [10.97.0.100]:tcp:80}. */
    public static String endpoint(InetAddress address, Protocol protocol, int port) {
        return "[" + address.getHostAddress() + "]:" + protocol.text() + ":" + port;
    }
}
