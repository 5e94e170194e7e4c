package appliance.codec.netlink;

/** A datagram that is not a well-formed sequence of netlink messages. */
public final class NetlinkDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public NetlinkDecodeException(String message) {
        super(message);
    }

    public NetlinkDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
