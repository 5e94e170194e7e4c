package appliance.codec.icmp;

/** An ICMP message that is not a well-formed echo, with what is wrong in words. */
public final class IcmpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public IcmpDecodeException(String message) {
        super(message);
    }
}
