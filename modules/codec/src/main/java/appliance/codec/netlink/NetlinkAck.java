package appliance.codec.netlink;

import java.util.Objects;

/**
 * An NLMSG_ERROR whose error is 0: the kernel acknowledges a request sent with NLM_F_ACK.
 *
 * @param request the acknowledged request's header; its sequence matches {@code header().sequence()}
 */
public record NetlinkAck(NetlinkHeader header, NetlinkHeader request) implements NetlinkMessage {

    public NetlinkAck {
        Objects.requireNonNull(header, "header");
    }
}
