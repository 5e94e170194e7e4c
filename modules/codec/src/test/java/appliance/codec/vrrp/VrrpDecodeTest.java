package appliance.codec.vrrp;

import static appliance.codec.vrrp.VrrpDecodeException.Reason.ADDRESS_FAMILY_MISMATCH;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.INVALID_FIELD;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.NOT_ADVERTISEMENT;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.vrrp.VrrpDecodeException.Reason.UNSUPPORTED_VERSION;
import static appliance.codec.vrrp.VrrpSamples.V4_GROUP;
import static appliance.codec.vrrp.VrrpSamples.V4_SOURCE;
import static appliance.codec.vrrp.VrrpSamples.V6_GROUP;
import static appliance.codec.vrrp.VrrpSamples.V6_SOURCE;
import static appliance.codec.vrrp.VrrpSamples.ip;
import static appliance.codec.vrrp.VrrpSamples.ips;
import static appliance.codec.vrrp.VrrpSamples.withValidChecksum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.ip.InternetChecksum;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VrrpDecodeTest {

    private static final VrrpAdvertisement V2 = VrrpAdvertisement.v2(51, 150, 1, "secret12",
            ips("10.99.0.100", "10.99.0.101"));
    private static final VrrpAdvertisement V3 = VrrpAdvertisement.v3(7, 200, 50, ips("10.99.0.100"));
    private static final VrrpAdvertisement V3_IPV6 = VrrpAdvertisement.v3(9, 120, 100, ips("fd00:99::100"));

    @Test
    void rejectsFewerBytesThanTheFixedHeader() {
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);
        for (int len = 0; len < 8; len++) {
            assertReason(TOO_SHORT, "got " + len, wire, len, V4_SOURCE, V4_GROUP);
        }
    }

    @Test
    void rejectsVersionsOtherThanTwoAndThree() {
        for (int version : new int[] {0, 1, 4, 15}) {
            byte[] wire = V2.encode(V4_SOURCE, V4_GROUP);
            wire[0] = (byte) (version << 4 | 1);
            assertReason(UNSUPPORTED_VERSION, "version " + version, wire, V4_SOURCE, V4_GROUP);
        }
    }

    @Test
    void rejectsTypesOtherThanAdvertisement() {
        for (int type : new int[] {0, 2, 15}) {
            byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);
            wire[0] = (byte) (0x30 | type);
            assertReason(NOT_ADVERTISEMENT, "type " + type, wire, V4_SOURCE, V4_GROUP);
        }
    }

    @Test
    void rejectsV2OverIpv6() {
        byte[] wire = V2.encode(V4_SOURCE, V4_GROUP);

        assertReason(ADDRESS_FAMILY_MISMATCH, "from fe80", wire, V6_SOURCE, V6_GROUP);
    }

    @Test
    void rejectsLengthsThatDisagreeWithTheAddressCount() {
        byte[] v2 = V2.encode(V4_SOURCE, V4_GROUP);
        assertReason(LENGTH_MISMATCH, "V2 with 2 IPv4 addresses is 24 bytes, got 23", v2, 23, V4_SOURCE, V4_GROUP);
        byte[] padded = Arrays.copyOf(V3.encode(V4_SOURCE, V4_GROUP), 13);
        assertReason(LENGTH_MISMATCH, "is 12 bytes, got 13", padded, V4_SOURCE, V4_GROUP);
        byte[] miscounted = V3.encode(V4_SOURCE, V4_GROUP);
        miscounted[3] = 2;
        assertReason(LENGTH_MISMATCH, "2 IPv4 addresses is 16 bytes, got 12", miscounted, V4_SOURCE, V4_GROUP);
    }

    @Test
    void takesTheAddressFamilyFromTheIpHeader() {
        // 12 bytes is one IPv4 address, but over IPv6 one address needs 24.
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);

        assertReason(LENGTH_MISMATCH, "1 IPv6 addresses is 24 bytes, got 12", wire, V6_SOURCE, V6_GROUP);
    }

    @Test
    void rejectsACorruptChecksum() {
        byte[] wire = V2.encode(V4_SOURCE, V4_GROUP);
        wire[7] ^= 1;

        assertReason(BAD_CHECKSUM, "V2 checksum 0x", wire, V4_SOURCE, V4_GROUP);
    }

    @Test
    void v3ChecksumCoversThePseudoHeader() {
        byte[] toGroup = V3.encode(V4_SOURCE, V4_GROUP);
        assertReason(BAD_CHECKSUM, "to 10.99.0.2", toGroup, V4_SOURCE, ip("10.99.0.2"));
        byte[] ipv6 = V3_IPV6.encode(V6_SOURCE, V6_GROUP);
        assertReason(BAD_CHECKSUM, "from fe80:0:0:0:0:0:0:2", ipv6, ip("fe80::2"), V6_GROUP);
    }

    @Test
    void v3ChecksumWithoutPseudoHeaderIsRejected() {
        // What a sender computing the checksum the VRRPv2 way would put on the wire.
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);
        wire[6] = 0;
        wire[7] = 0;
        int plain = InternetChecksum.compute(wire, 0, wire.length);
        wire[6] = (byte) (plain >>> 8);
        wire[7] = (byte) plain;

        assertReason(BAD_CHECKSUM, "V3 checksum", wire, V4_SOURCE, V4_GROUP);
    }

    @Test
    void v2ChecksumIgnoresTheIpAddresses() throws Exception {
        byte[] wire = V2.encode(V4_SOURCE, V4_GROUP);

        assertEquals(V2, VrrpAdvertisement.decode(wire, 0, wire.length, ip("192.0.2.1"), ip("192.0.2.2")));
    }

    @Test
    void rejectsReservedVirtualRouterIdZero() {
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);
        wire[1] = 0;

        assertReason(INVALID_FIELD, "virtual router id 0", withValidChecksum(wire, V4_SOURCE, V4_GROUP),
                V4_SOURCE, V4_GROUP);
    }

    @Test
    void rejectsAZeroInterval() {
        byte[] v2 = V2.encode(V4_SOURCE, V4_GROUP);
        v2[5] = 0;
        assertReason(INVALID_FIELD, "V2 advertisement interval 0", withValidChecksum(v2, V4_SOURCE, V4_GROUP),
                V4_SOURCE, V4_GROUP);
        byte[] v3 = V3.encode(V4_SOURCE, V4_GROUP);
        v3[4] = (byte) 0xf0;
        v3[5] = 0;
        assertReason(INVALID_FIELD, "V3 advertisement interval 0", withValidChecksum(v3, V4_SOURCE, V4_GROUP),
                V4_SOURCE, V4_GROUP);
    }

    @Test
    void rejectsV2WithoutAddresses() {
        byte[] wire = Arrays.copyOf(V2.encode(V4_SOURCE, V4_GROUP), 16);
        wire[3] = 0;

        assertReason(INVALID_FIELD, "no IP addresses", withValidChecksum(wire, V4_SOURCE, V4_GROUP),
                V4_SOURCE, V4_GROUP);
    }

    @Test
    void ignoresTheV3ReservedBits() throws Exception {
        // RFC 5798 §5.2.4: reserved bits are ignored on reception.
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);
        wire[4] |= (byte) 0xf0;

        assertEquals(V3, VrrpAdvertisement.decode(withValidChecksum(wire, V4_SOURCE, V4_GROUP), 0, wire.length,
                V4_SOURCE, V4_GROUP));
    }

    @Test
    void keepsIpv4MappedAddressesInAnIpv6AdvertAsIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        VrrpAdvertisement advert = VrrpAdvertisement.v3(1, 100, 100, java.util.List.of(address));
        byte[] wire = advert.encode(V6_SOURCE, V6_GROUP);

        VrrpAdvertisement decoded = VrrpAdvertisement.decode(wire, 0, wire.length, V6_SOURCE, V6_GROUP);

        assertInstanceOf(Inet6Address.class, decoded.ipAddresses().get(0));
        assertEquals(advert, decoded);
    }

    @Test
    void callerMistakesAreNotDecodeErrors() {
        byte[] wire = V3.encode(V4_SOURCE, V4_GROUP);

        assertThrows(IllegalArgumentException.class,
                () -> VrrpAdvertisement.decode(wire, 0, wire.length, V4_SOURCE, V6_GROUP));
        assertThrows(IndexOutOfBoundsException.class,
                () -> VrrpAdvertisement.decode(wire, 4, wire.length, V4_SOURCE, V4_GROUP));
        assertThrows(NullPointerException.class,
                () -> VrrpAdvertisement.decode(wire, 0, wire.length, null, V4_GROUP));
    }

    private static void assertReason(VrrpDecodeException.Reason reason, String messagePart, byte[] wire,
                                     InetAddress source, InetAddress destination) {
        assertReason(reason, messagePart, wire, wire.length, source, destination);
    }

    private static void assertReason(VrrpDecodeException.Reason reason, String messagePart, byte[] wire, int length,
                                     InetAddress source, InetAddress destination) {
        VrrpDecodeException e = assertThrows(VrrpDecodeException.class,
                () -> VrrpAdvertisement.decode(wire, 0, length, source, destination));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart),
                () -> "message \"" + e.getMessage() + "\" should contain \"" + messagePart + "\"");
    }
}
