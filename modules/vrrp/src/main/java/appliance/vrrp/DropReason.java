package appliance.vrrp;

/** Why a received VRRP packet was discarded, after RFC 5798 section 7.1 and RFC 3768 section 7.1. */
public enum DropReason {
    /** Not a well-formed IPv4/VRRP packet: truncated, wrong type, wrong address family. */
    MALFORMED,
    /** IP TTL / hop limit is not 255: the packet may have been routed from off-link. */
    TTL_NOT_255,
    /** VRRP version other than the one the instance with this VRID runs. */
    UNSUPPORTED_VERSION,
    BAD_CHECKSUM,
    /** Length does not match the address count. */
    BAD_LENGTH,
    /** No instance on this interface has the VRID. */
    UNKNOWN_VRID,
    /** VRRPv2 authentication type or password differs from ours. */
    AUTH_MISMATCH,
    /** VRRPv2 only: the advertisement interval differs from ours (RFC 3768 section 7.1). */
    ADVERT_INTERVAL_MISMATCH,
    /** The advert's address count or list differs from the instance's (keepalived 2.2.7 drops it too). */
    ADDRESS_LIST_MISMATCH,
    /** A multicast advert for a unicast instance, or the other way round (keepalived 2.2.7 drops both). */
    UNICAST_MULTICAST_MISMATCH,
    /** With check-unicast-src: the source is not one of the instance's unicast peers. */
    UNKNOWN_PEER
}
