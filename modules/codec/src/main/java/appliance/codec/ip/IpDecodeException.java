package appliance.codec.ip;

import java.util.Objects;

/** A buffer that is not a well-formed IP header; {@link #reason()} says why, for counting drops. */
public final class IpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Fewer bytes than the fixed header. */
        TOO_SHORT,
        /** The version nibble is not the one this decoder reads. */
        UNSUPPORTED_VERSION,
        /** A field holds a value the format forbids, such as an IHL below 5. */
        INVALID_FIELD,
        /** The header claims more bytes than the buffer holds. */
        LENGTH_MISMATCH,
        /** The IPv4 header checksum does not verify. */
        BAD_CHECKSUM
    }

    private final Reason reason;

    IpDecodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
