package appliance.check;

import java.net.InetSocketAddress;
import java.util.Objects;

/** keepalived's TCP_CHECK: up when a TCP connection to the target is established within connect-timeout. */
public record TcpCheck(InetSocketAddress target, LocalEnd local, CheckTiming timing)
        implements CheckSpec {

    public TcpCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timing, "timing");
        if (target.isUnresolved() || target.getPort() == 0) {
            throw new IllegalArgumentException("a TCP_CHECK needs an address and a port: " + target);
        }
    }

    @Override
    public CheckType type() {
        return CheckType.TCP_CHECK;
    }
}
