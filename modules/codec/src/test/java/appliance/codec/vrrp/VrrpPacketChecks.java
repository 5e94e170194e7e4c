package appliance.codec.vrrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.ip.IpDecodeException;
import appliance.codec.ip.Ipv4Header;
import appliance.codec.ip.Ipv6Header;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * What the fuzz tests hold the receive path to, for any bytes: an IP packet decodes down to an
 * advertisement or is refused with {@link IpDecodeException} or {@link VrrpDecodeException};
 * any other exception escapes to Jazzer as a finding. What decodes must encode back to itself.
 */
final class VrrpPacketChecks {

    private static final int CHECKSUM = 6;
    private static final int V3_RESERVED = 4;

    private VrrpPacketChecks() {
    }

    /** An IPv4 packet as a raw socket for protocol 112 hands it over: header first. */
    static void ipv4(byte[] packet) {
        Ipv4Header ip;
        try {
            ip = Ipv4Header.decode(packet, 0, packet.length);
        } catch (IpDecodeException refused) {
            return;
        }
        assertTrue(ip.totalLength() <= packet.length, ip.toString());
        // Whatever the protocol field says: the VRRP decoder must stand any payload.
        advert(packet, ip.headerLength(), ip.payloadLength(), ip.source(), ip.destination());
    }

    /** An IPv6 packet, fixed header first; VRRP follows it directly (RFC 5798 §5.1.2). */
    static void ipv6(byte[] packet) {
        Ipv6Header ip;
        try {
            ip = Ipv6Header.decode(packet, 0, packet.length);
        } catch (IpDecodeException refused) {
            return;
        }
        assertTrue(Ipv6Header.HEADER_LENGTH + ip.payloadLength() <= packet.length, ip.toString());
        advert(packet, Ipv6Header.HEADER_LENGTH, ip.payloadLength(), ip.source(), ip.destination());
    }

    private static void advert(byte[] buf, int off, int len, InetAddress source, InetAddress destination) {
        VrrpAdvertisement advert;
        try {
            advert = VrrpAdvertisement.decode(buf, off, len, source, destination);
        } catch (VrrpDecodeException refused) {
            return;
        }
        byte[] again = advert.encode(source, destination);
        try {
            assertEquals(advert, VrrpAdvertisement.decode(again, 0, again.length, source, destination));
        } catch (VrrpDecodeException e) {
            throw new AssertionError("re-encoded " + advert + " does not decode", e);
        }
        byte[] received = Arrays.copyOfRange(buf, off, off + len);
        assertArrayEquals(keptBits(received, advert.version()), keptBits(again, advert.version()),
                "the decoder dropped a bit it should keep: " + advert);
    }

    /**
     * The message without the bits a decoder may drop: the checksum, whose zero has two forms in
     * one's complement (0x0000 and 0xffff both verify), and VRRPv3's four reserved bits, which a
     * receiver ignores (RFC 5798 §5.2.4).
     */
    private static byte[] keptBits(byte[] message, VrrpVersion version) {
        byte[] b = message.clone();
        b[CHECKSUM] = 0;
        b[CHECKSUM + 1] = 0;
        if (version == VrrpVersion.V3) {
            b[V3_RESERVED] &= 0x0f;
        }
        return b;
    }
}
