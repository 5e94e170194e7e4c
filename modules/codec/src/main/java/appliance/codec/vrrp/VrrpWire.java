package appliance.codec.vrrp;

import static appliance.codec.vrrp.VrrpDecodeException.Reason.ADDRESS_FAMILY_MISMATCH;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.INVALID_FIELD;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.NOT_ADVERTISEMENT;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.UNSUPPORTED_VERSION;

import appliance.codec.ip.InternetChecksum;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The two advertisement layouts; they differ only in the second word and the trailer.
 *
 * <pre>
 * VRRPv2 (RFC 3768 §5.1)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Adver Int   |          Checksum             |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              IPv4 Address (1) .. (Count), 4 bytes each        |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Authentication Data, 8 bytes                     |  8 + 4 * Count
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * VRRPv3 (RFC 5798 §5.1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |(rsvd) |     Max Adver Int     |          Checksum             |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   IPvX Address (1) .. (Count), 4 (IPv4) or 16 (IPv6) bytes    |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The VRRPv2 checksum covers the message alone; the VRRPv3 one is preceded by the IPv4 or IPv6
 * pseudo-header (RFC 5798 §5.2.8), which is why encoding and decoding need the IP addresses.
 * The family of VRRPv3 addresses is not on the wire: it is the IP header's.
 */
final class VrrpWire {

    static final int HEADER_LENGTH = 8;
    static final int TYPE_ADVERTISEMENT = 1;

    private static final int VERSION_TYPE = 0;
    private static final int VRID = 1;
    private static final int PRIORITY = 2;
    private static final int COUNT = 3;
    private static final int V2_AUTH_TYPE = 4;
    private static final int V2_ADVER_INT = 5;
    private static final int V3_MAX_ADVER_INT = 4;
    private static final int CHECKSUM = 6;
    private static final int ADDRESSES = 8;
    private static final int V3_INTERVAL_MASK = 0x0fff;

    private VrrpWire() {
    }

    static byte[] encode(VrrpAdvertisement a, InetAddress source, InetAddress destination) {
        requireOneFamily(source, destination);
        if (a.version() == VrrpVersion.V2 && !(source instanceof Inet4Address)) {
            throw new IllegalArgumentException("VRRPv2 runs over IPv4 only, source was " + source.getHostAddress());
        }
        List<InetAddress> addresses = a.ipAddresses();
        if (!addresses.isEmpty() && addresses.get(0).getClass() != source.getClass()) {
            throw new IllegalArgumentException("addresses " + VrrpText.addresses(addresses)
                    + " are not of the family of source " + source.getHostAddress());
        }
        int addressLength = source.getAddress().length;
        byte[] out = new byte[length(a.version(), addresses.size(), addressLength)];
        out[VERSION_TYPE] = (byte) (a.version().number() << 4 | TYPE_ADVERTISEMENT);
        out[VRID] = (byte) a.virtualRouterId();
        out[PRIORITY] = (byte) a.priority();
        out[COUNT] = (byte) addresses.size();
        if (a.version() == VrrpVersion.V2) {
            out[V2_AUTH_TYPE] = (byte) a.authType();
            out[V2_ADVER_INT] = (byte) a.advertInterval();
        } else {
            // The 4 reserved bits stay zero (RFC 5798 §5.2.4).
            out[V3_MAX_ADVER_INT] = (byte) (a.advertInterval() >>> 8);
            out[V3_MAX_ADVER_INT + 1] = (byte) a.advertInterval();
        }
        int at = ADDRESSES;
        for (InetAddress address : addresses) {
            System.arraycopy(address.getAddress(), 0, out, at, addressLength);
            at += addressLength;
        }
        if (a.version() == VrrpVersion.V2) {
            System.arraycopy(a.authData(), 0, out, at, VrrpAdvertisement.AUTH_DATA_LENGTH);
        }
        int checksum = checksum(a.version(), out, 0, out.length, source, destination);
        out[CHECKSUM] = (byte) (checksum >>> 8);
        out[CHECKSUM + 1] = (byte) checksum;
        return out;
    }

    static VrrpAdvertisement decode(byte[] buf, int off, int len, InetAddress source, InetAddress destination)
            throws VrrpDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        requireOneFamily(source, destination);
        if (len < HEADER_LENGTH) {
            throw new VrrpDecodeException(TOO_SHORT, "VRRP header needs " + HEADER_LENGTH + " bytes, got " + len);
        }
        int number = (buf[off + VERSION_TYPE] & 0xff) >>> 4;
        if (number != 2 && number != 3) {
            throw new VrrpDecodeException(UNSUPPORTED_VERSION, "VRRP version " + number + ", expected 2 or 3");
        }
        VrrpVersion version = VrrpVersion.of(number);
        int type = buf[off + VERSION_TYPE] & 0x0f;
        if (type != TYPE_ADVERTISEMENT) {
            throw new VrrpDecodeException(NOT_ADVERTISEMENT, "VRRP type " + type + ", expected 1 (ADVERTISEMENT)");
        }
        if (version == VrrpVersion.V2 && !(source instanceof Inet4Address)) {
            throw new VrrpDecodeException(ADDRESS_FAMILY_MISMATCH,
                    "VRRPv2 over IPv6 from " + source.getHostAddress() + "; RFC 3768 defines IPv4 only");
        }
        int count = buf[off + COUNT] & 0xff;
        int addressLength = source.getAddress().length;
        int expected = length(version, count, addressLength);
        if (len != expected) {
            throw new VrrpDecodeException(LENGTH_MISMATCH, String.format(
                    "%s with %d IPv%d addresses is %d bytes, got %d", version, count,
                    addressLength == 4 ? 4 : 6, expected, len));
        }
        int sum = checksum(version, buf, off, len, source, destination);
        if (sum != 0) {
            int stored = ((buf[off + CHECKSUM] & 0xff) << 8) | (buf[off + CHECKSUM + 1] & 0xff);
            throw new VrrpDecodeException(BAD_CHECKSUM, String.format("%s checksum 0x%04x does not verify"
                    + " (from %s to %s, sum 0x%04x)", version, stored, source.getHostAddress(),
                    destination.getHostAddress(), sum));
        }
        int vrid = buf[off + VRID] & 0xff;
        int interval = version == VrrpVersion.V2
                ? buf[off + V2_ADVER_INT] & 0xff
                : ((buf[off + V3_MAX_ADVER_INT] & 0xff) << 8 | buf[off + V3_MAX_ADVER_INT + 1] & 0xff) & V3_INTERVAL_MASK;
        if (vrid == 0) {
            throw new VrrpDecodeException(INVALID_FIELD, "virtual router id 0 is reserved");
        }
        if (interval == 0) {
            throw new VrrpDecodeException(INVALID_FIELD, version + " advertisement interval 0");
        }
        if (version == VrrpVersion.V2 && count == 0) {
            throw new VrrpDecodeException(INVALID_FIELD, "VRRPv2 advertisement with no IP addresses");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0, at = off + ADDRESSES; i < count; i++, at += addressLength) {
            addresses.add(address(buf, at, addressLength));
        }
        int authType = 0;
        byte[] authData = new byte[0];
        if (version == VrrpVersion.V2) {
            authType = buf[off + V2_AUTH_TYPE] & 0xff;
            int at = off + ADDRESSES + count * addressLength;
            authData = Arrays.copyOfRange(buf, at, at + VrrpAdvertisement.AUTH_DATA_LENGTH);
        }
        return new VrrpAdvertisement(version, vrid, buf[off + PRIORITY] & 0xff, interval, authType, authData,
                addresses);
    }

    static int length(VrrpVersion version, int count, int addressLength) {
        return HEADER_LENGTH + count * addressLength
                + (version == VrrpVersion.V2 ? VrrpAdvertisement.AUTH_DATA_LENGTH : 0);
    }

    private static int checksum(VrrpVersion version, byte[] buf, int off, int len,
                                InetAddress source, InetAddress destination) {
        if (version == VrrpVersion.V2) {
            return InternetChecksum.compute(buf, off, len);
        }
        byte[] pseudoHeader = InternetChecksum.pseudoHeader(source, destination, VrrpAdvertisement.IP_PROTOCOL, len);
        return InternetChecksum.compute(pseudoHeader, buf, off, len);
    }

    private static void requireOneFamily(InetAddress source, InetAddress destination) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.getClass() != destination.getClass()) {
            throw new IllegalArgumentException("source " + source.getHostAddress() + " and destination "
                    + destination.getHostAddress() + " are of different families");
        }
    }

    // Inet6Address.getByAddress keeps ::ffff:a.b.c.d IPv6, so a V3 advert stays of one family.
    private static InetAddress address(byte[] buf, int at, int length) {
        byte[] bytes = Arrays.copyOfRange(buf, at, at + length);
        try {
            return length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
