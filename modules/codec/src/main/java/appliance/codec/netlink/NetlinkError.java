package appliance.codec.netlink;

import java.util.Objects;

/**
 * An NLMSG_ERROR with a non-zero error: the request failed. On the wire the error is
 * {@code -errno} (s32), followed by the failed request's header (and, without NETLINK_CAP_ACK,
 * its payload, which is not kept here).
 *
 * @param errno   positive, e.g. 17 (EEXIST) when an address is added twice
 * @param request the failed request's header, or null when the kernel did not include it
 */
public record NetlinkError(NetlinkHeader header, int errno, NetlinkHeader request) implements NetlinkMessage {

    public NetlinkError {
        Objects.requireNonNull(header, "header");
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive, was " + errno);
        }
    }
}
