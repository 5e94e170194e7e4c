package appliance.codec.netlink;

import java.util.Objects;

/**
 * NLMSG_DONE: the end of a dump. Its payload is an s32 status, 0 unless the dump itself failed
 * (then {@code -errno}); very old kernels send no payload, read as 0.
 */
public record NetlinkDone(NetlinkHeader header, int error) implements NetlinkMessage {

    public NetlinkDone {
        Objects.requireNonNull(header, "header");
    }
}
