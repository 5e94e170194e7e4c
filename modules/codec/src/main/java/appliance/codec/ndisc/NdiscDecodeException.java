package appliance.codec.ndisc;

import java.util.Objects;

/**
 * A frame that is not a valid Neighbor Advertisement usable to learn a link-layer address;
 * {@link #reason()} says why, for counting drops. The checks are those of RFC 4861 §7.1.2.
 */
public final class NdiscDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Fewer bytes than Ethernet, IPv6 and a 24-byte advertisement, or an ICMPv6 length under 24. */
        TOO_SHORT,
        /** The EtherType is not 0x86dd, or the IP version is not 6. */
        NOT_IPV6,
        /** The next header is not 58: another protocol, or an extension header, which we do not follow. */
        NOT_ICMPV6,
        /** The IPv6 payload length claims more bytes than the frame holds. */
        LENGTH_MISMATCH,
        /** ICMPv6 type other than 136, or code other than 0. */
        NOT_NEIGHBOR_ADVERTISEMENT,
        /** Hop limit other than 255: the advertisement did not originate on this link. */
        BAD_HOP_LIMIT,
        /** The ICMPv6 checksum, over the IPv6 pseudo-header, does not verify. */
        BAD_CHECKSUM,
        /** The target address is multicast. */
        INVALID_TARGET,
        /** The Solicited flag is set on an advertisement sent to a multicast address. */
        INVALID_FLAGS,
        /** An option of length 0, one that runs past the message, or a target link-layer address that is not 6 bytes. */
        BAD_OPTION,
        /** No Target Link-Layer Address option: such an advertisement says nothing about where the target is. */
        MISSING_TARGET_LINK_LAYER_ADDRESS
    }

    private final Reason reason;

    NdiscDecodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
