package appliance.check;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * keepalived's PING_CHECK: an ICMP (or ICMPv6) echo request to the target's address
 * ({@code connect-ip}, else the real server's), up when the reply comes within connect-timeout.
 * The target's port is the real server's, kept only so that two real servers on one address stay
 * two checks, as in keepalived; no echo carries it.
 */
public record PingCheck(InetSocketAddress target, CheckTiming timing) implements CheckSpec {

    public PingCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timing, "timing");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("a PING_CHECK needs an address: " + target);
        }
        if (target.getAddress().isMulticastAddress() || target.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("a PING_CHECK needs a unicast address, not "
                    + target.getAddress().getHostAddress());
        }
    }

    @Override
    public CheckType type() {
        return CheckType.PING_CHECK;
    }

    @Override
    public LocalEnd local() {
        return LocalEnd.ANY;
    }
}
