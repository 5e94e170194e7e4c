package appliance.codec.vrrp;

/** The protocol version in the high nibble of an advertisement's first byte. */
public enum VrrpVersion {
    /** RFC 3768: IPv4 only, interval in seconds, 8 bytes of authentication data. */
    V2,
    /** RFC 5798: IPv4 or IPv6, interval in centiseconds, checksum over a pseudo-header. */
    V3;

    public int number() {
        return this == V2 ? 2 : 3;
    }

    public static VrrpVersion of(int number) {
        return switch (number) {
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IllegalArgumentException("VRRP version must be 2 or 3, was " + number);
        };
    }
}
