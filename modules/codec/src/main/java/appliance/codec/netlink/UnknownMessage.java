package appliance.codec.netlink;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A well-framed message of a type this package does not decode (NLMSG_NOOP, RTM_GETLINK, RTM_NEWNEIGH, ...). */
public record UnknownMessage(NetlinkHeader header, byte[] payload) implements NetlinkMessage {

    public UnknownMessage {
        Objects.requireNonNull(header, "header");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownMessage other && header.equals(other.header) && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UnknownMessage[header=" + header + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }
}
