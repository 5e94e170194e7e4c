package appliance.codec.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A VRRP advertisement (RFC 3768 §5.1, RFC 5798 §5.1). Valid by construction: the fields fit
 * their wire widths and the version's rules. Whether an advertisement is acceptable to a given
 * virtual router (VRID, TTL, authentication) is the receiver's business, not this type's.
 *
 * @param advertInterval V2: seconds ("Adver Int", 1..255); V3: centiseconds ("Max Adver Int", 1..4095)
 * @param authType       V2 only (0 none, 1 simple password, 2 IP AH); always 0 for V3
 * @param authData       V2: exactly 8 bytes; V3: empty. Copied in and out.
 * @param ipAddresses    all of one family; V2: 1..255 IPv4; V3: 0..255
 */
public record VrrpAdvertisement(VrrpVersion version, int virtualRouterId, int priority, int advertInterval,
                                int authType, byte[] authData, List<InetAddress> ipAddresses) {

    /** IP protocol number / IPv6 next header (RFC 5798 §5.1.1.4). */
    public static final int IP_PROTOCOL = 112;
    public static final int AUTH_NONE = 0;
    /** RFC 2338 §5.3.6.1; dropped by RFC 3768, still sent by keepalived for {@code auth_type PASS}. */
    public static final int AUTH_SIMPLE_PASSWORD = 1;
    public static final int AUTH_IP_AH = 2;
    public static final int AUTH_DATA_LENGTH = 8;
    public static final int MAX_ADDRESSES = 255;

    public VrrpAdvertisement {
        Objects.requireNonNull(version, "version");
        requireRange("virtual router id", virtualRouterId, 1, 255);
        requireRange("priority", priority, 0, 255);
        Objects.requireNonNull(authData, "authData");
        Objects.requireNonNull(ipAddresses, "ipAddresses");
        if (version == VrrpVersion.V2) {
            requireRange("VRRPv2 advertisement interval (seconds)", advertInterval, 1, 255);
            requireRange("VRRPv2 auth type", authType, 0, 255);
            if (authData.length != AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException("VRRPv2 auth data must be 8 bytes, was " + authData.length);
            }
            requireRange("VRRPv2 address count", ipAddresses.size(), 1, MAX_ADDRESSES);
        } else {
            requireRange("VRRPv3 advertisement interval (centiseconds)", advertInterval, 1, 4095);
            if (authType != 0 || authData.length != 0) {
                throw new IllegalArgumentException("VRRPv3 has no authentication (RFC 5798 §9), got auth type "
                        + authType + " with " + authData.length + " bytes of auth data");
            }
            requireRange("VRRPv3 address count", ipAddresses.size(), 0, MAX_ADDRESSES);
        }
        authData = authData.clone();
        ipAddresses = copyOfOneFamily(version, ipAddresses);
    }

    /**
     * A VRRPv2 advertisement as keepalived configures one.
     *
     * @param simplePasswordOrNull {@code auth_pass}: at most 8 bytes of UTF-8, zero padded; null for no
     *                             authentication. keepalived truncates longer passwords; we refuse them.
     */
    public static VrrpAdvertisement v2(int vrid, int priority, int advertIntervalSeconds,
                                       String simplePasswordOrNull, List<InetAddress> addrs) {
        byte[] authData = new byte[AUTH_DATA_LENGTH];
        int authType = AUTH_NONE;
        if (simplePasswordOrNull != null) {
            byte[] password = simplePasswordOrNull.getBytes(StandardCharsets.UTF_8);
            if (password.length > AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException(
                        "simple password must be at most 8 bytes, was " + password.length);
            }
            System.arraycopy(password, 0, authData, 0, password.length);
            authType = AUTH_SIMPLE_PASSWORD;
        }
        return new VrrpAdvertisement(VrrpVersion.V2, vrid, priority, advertIntervalSeconds, authType, authData, addrs);
    }

    public static VrrpAdvertisement v3(int vrid, int priority, int advertIntervalCentiseconds, List<InetAddress> addrs) {
        return new VrrpAdvertisement(VrrpVersion.V3, vrid, priority, advertIntervalCentiseconds, 0, new byte[0], addrs);
    }

    /** The same advertisement at another priority, e.g. 0 when a master resigns (RFC 5798 §6.4.3). */
    public VrrpAdvertisement withPriority(int priority) {
        return new VrrpAdvertisement(version, virtualRouterId, priority, advertInterval, authType, authData, ipAddresses);
    }

    /**
     * Whether the addresses are IPv6. A VRRPv3 advertisement with no addresses carries no family
     * of its own (it takes the one of the packet it travels in) and answers false.
     */
    public boolean isIpv6() {
        return !ipAddresses.isEmpty() && ipAddresses.get(0) instanceof Inet6Address;
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /**
     * The VRRP message, checksum filled in, for an IP packet from {@code source} to {@code destination};
     * VRRPv3 needs both for its pseudo-header, and both must be of the addresses' family.
     */
    public byte[] encode(InetAddress source, InetAddress destination) {
        return VrrpWire.encode(this, source, destination);
    }

    /**
     * Reads the VRRP message filling exactly {@code buf[offset, offset + length)}, received in an IP
     * packet from {@code source} to {@code destination} (which set the address family).
     */
    public static VrrpAdvertisement decode(byte[] buf, int offset, int length, InetAddress source,
                                           InetAddress destination) throws VrrpDecodeException {
        return VrrpWire.decode(buf, offset, length, source, destination);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpAdvertisement that
                && version == that.version
                && virtualRouterId == that.virtualRouterId
                && priority == that.priority
                && advertInterval == that.advertInterval
                && authType == that.authType
                && Arrays.equals(authData, that.authData)
                && ipAddresses.equals(that.ipAddresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, virtualRouterId, priority, advertInterval, authType,
                Arrays.hashCode(authData), ipAddresses);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("VrrpAdvertisement[").append(version)
                .append(" vrid=").append(virtualRouterId)
                .append(" priority=").append(priority)
                .append(" advertInterval=").append(advertInterval)
                .append(version == VrrpVersion.V2 ? "s" : "cs");
        if (version == VrrpVersion.V2) {
            s.append(" auth=").append(VrrpText.auth(authType, authData));
        }
        s.append(" addresses=").append(VrrpText.addresses(ipAddresses)).append(']');
        return s.toString();
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + value);
        }
    }

    private static List<InetAddress> copyOfOneFamily(VrrpVersion version, List<InetAddress> addresses) {
        List<InetAddress> copy = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            if (a == null) {
                throw new IllegalArgumentException("addresses must not contain null");
            }
            if (version == VrrpVersion.V2 && !(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only, got " + a.getHostAddress());
            }
            if (!copy.isEmpty() && copy.get(0).getClass() != a.getClass()) {
                throw new IllegalArgumentException("addresses must all be of one family, got "
                        + copy.get(0).getHostAddress() + " and " + a.getHostAddress());
            }
            copy.add(a);
        }
        return List.copyOf(copy);
    }
}
