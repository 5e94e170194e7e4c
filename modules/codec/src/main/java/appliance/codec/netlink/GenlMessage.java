package appliance.codec.netlink;

import java.util.List;
import java.util.Objects;

/**
 * A generic netlink message (struct genlmsghdr: cmd, version, reserved) and its top-level
 * attributes; the header's type is the family's id (resolved by name, {@link GenericNetlink}).
 */
public record GenlMessage(NetlinkHeader header, int command, int version, List<NetlinkAttribute> attributes)
        implements NetlinkMessage {

    public GenlMessage {
        Objects.requireNonNull(header, "header");
        attributes = List.copyOf(attributes);
    }

    /** The last attribute of {@code type}, or null. */
    public NetlinkAttribute attribute(int type) {
        return NetlinkAttribute.find(attributes, type);
    }
}
