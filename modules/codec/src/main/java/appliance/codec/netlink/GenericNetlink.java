package appliance.codec.netlink;

import java.util.List;

/**
 * Generic netlink (NETLINK_GENERIC): families such as IPVS are reached through an id that the
 * controller ("nlctrl", id 0x10) gives for their name. Builds requests and decodes datagrams.
 */
public final class GenericNetlink {

    /** The controller's fixed family id. */
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_NEWFAMILY = 1;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int CTRL_ATTR_VERSION = 3;
    /** struct genlmsghdr: cmd u8, version u8, reserved u16. */
    public static final int GENL_HEADER = 4;

    private GenericNetlink() {
    }

    /**
     * The start of a request to {@code family}: header and genlmsghdr; the caller adds
     * attributes and calls {@link NetlinkWriter#toByteArray()}.
     */
    public static NetlinkWriter request(int family, int flags, int sequence, int command, int version) {
        return new NetlinkWriter(family, flags, sequence).u8(command).u8(version).u16(0);
    }

    /** Asks the controller for the family named {@code name}: its reply is a CTRL_CMD_NEWFAMILY. */
    public static byte[] getFamily(int sequence, String name) {
        return request(GENL_ID_CTRL, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK, sequence, CTRL_CMD_GETFAMILY, 1)
                .attributeString(CTRL_ATTR_FAMILY_NAME, name)
                .toByteArray();
    }

    /** The family id in the controller's reply. */
    public static int familyId(GenlMessage reply) throws NetlinkDecodeException {
        NetlinkAttribute id = reply.attribute(CTRL_ATTR_FAMILY_ID);
        if (reply.header().type() != GENL_ID_CTRL || reply.command() != CTRL_CMD_NEWFAMILY || id == null) {
            throw new NetlinkDecodeException("not the controller's family reply: " + reply.header() + " command "
                    + reply.command());
        }
        return id.u16();
    }

    /** The messages of a datagram: acks, errors, done, and generic netlink messages of any family. */
    public static List<NetlinkMessage> decode(byte[] buf, int off, int len) throws NetlinkDecodeException {
        return NetlinkDatagram.split(buf, off, len, (header, b, o, l) -> {
            if (l < GENL_HEADER) {
                throw new NetlinkDecodeException("generic netlink message without its genlmsghdr: " + l + " bytes");
            }
            return new GenlMessage(header, Byte.toUnsignedInt(b[o]), Byte.toUnsignedInt(b[o + 1]),
                    NetlinkAttribute.parse(b, o + GENL_HEADER, l - GENL_HEADER));
        });
    }
}
