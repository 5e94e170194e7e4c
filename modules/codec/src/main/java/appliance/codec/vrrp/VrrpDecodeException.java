package appliance.codec.vrrp;

import java.util.Objects;

/** Bytes that are not a well-formed VRRP advertisement; {@link #reason()} says why, for counting drops. */
public final class VrrpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Fewer bytes than the 8-byte fixed header. */
        TOO_SHORT,
        /** The version nibble is neither 2 nor 3. */
        UNSUPPORTED_VERSION,
        /** The type nibble is not 1, the only type VRRP defines. */
        NOT_ADVERTISEMENT,
        /** The length is not what the address count implies. */
        LENGTH_MISMATCH,
        /** The checksum (with the pseudo-header for VRRPv3) does not verify. */
        BAD_CHECKSUM,
        /** VRRPv2 arrived over IPv6, which RFC 3768 does not define. */
        ADDRESS_FAMILY_MISMATCH,
        /** A field holds a value the format forbids, such as VRID 0 or an interval of 0. */
        INVALID_FIELD
    }

    private final Reason reason;

    VrrpDecodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
