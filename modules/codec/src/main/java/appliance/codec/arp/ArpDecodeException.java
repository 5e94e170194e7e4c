package appliance.codec.arp;

import java.util.Objects;

/** A frame that is not an Ethernet/IPv4 ARP packet; {@link #reason()} says why, for counting drops. */
public final class ArpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Fewer bytes than an Ethernet header and the 28-byte ARP body. */
        TOO_SHORT,
        /** The EtherType is not 0x0806. */
        NOT_ARP,
        /** ARP for other than Ethernet hardware and IPv4 protocol addresses. */
        UNSUPPORTED_FORMAT,
        /** An operation other than request (1) or reply (2), such as RARP's. */
        UNSUPPORTED_OPERATION
    }

    private final Reason reason;

    ArpDecodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
