package appliance.codec.ip;

import static appliance.codec.ip.IpDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.ip.IpDecodeException.Reason.INVALID_FIELD;
import static appliance.codec.ip.IpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ip.IpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.ip.IpDecodeException.Reason.UNSUPPORTED_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.DecodeShare;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

    private static final byte[] SRC = {10, 99, 0, 1};
    private static final byte[] DST = {(byte) 224, 0, 0, 18};

    @Test
    void decodesTheHeaderKeepalivedSent() throws Exception {
        // v2-ipv4-pass-auth-2vips.pcap, frame 1, after the Ethernet header.
        byte[] b = HexFormat.of().parseHex("45c0002c00010000ff70d02a0a630001e0000012" + "00".repeat(24));

        Ipv4Header h = Ipv4Header.decode(b, 0, b.length);

        assertEquals(new Ipv4Header(20, 44, 255, 112, v4("10.99.0.1"), v4("224.0.0.18")), h);
        assertEquals(24, h.payloadLength());
    }

    @Test
    void skipsOptions() throws Exception {
        byte[] b = IpHeaders.ipv4(6, 36, 1, 112, SRC, DST, 36);

        Ipv4Header h = Ipv4Header.decode(b, 0, b.length);

        assertEquals(24, h.headerLength());
        assertEquals(12, h.payloadLength());
    }

    @Test
    void ignoresBytesBeyondTheTotalLengthSuchAsEthernetPadding() throws Exception {
        byte[] b = IpHeaders.ipv4(5, 32, 255, 112, SRC, DST, 46);

        assertEquals(12, Ipv4Header.decode(b, 0, b.length).payloadLength());
    }

    @Test
    void decodesAtAnOffset() throws Exception {
        byte[] inner = IpHeaders.ipv4(5, 20, 64, 6, SRC, DST, 20);
        byte[] frame = new byte[34];
        System.arraycopy(inner, 0, frame, 14, 20);

        assertEquals(6, Ipv4Header.decode(frame, 14, 20).protocol());
    }

    @Test
    void rejectsEachMalformation() {
        assertReason(TOO_SHORT, "got 19", java.util.Arrays.copyOf(IpHeaders.ipv4(5, 20, 1, 1, SRC, DST, 20), 19));
        byte[] v6 = IpHeaders.ipv4(5, 20, 1, 1, SRC, DST, 20);
        v6[0] = 0x65;
        assertReason(UNSUPPORTED_VERSION, "version 6", v6);
        assertReason(INVALID_FIELD, "IHL 4", IpHeaders.ipv4(4, 20, 1, 1, SRC, DST, 20));
        assertReason(INVALID_FIELD, "total length 20 is shorter than the header length 24",
                IpHeaders.ipv4(6, 20, 1, 1, SRC, DST, 24));
        assertReason(LENGTH_MISMATCH, "total length 41 exceeds the 40 bytes", IpHeaders.ipv4(5, 41, 1, 1, SRC, DST, 40));
        assertReason(LENGTH_MISMATCH, "total length 60 exceeds the 20 bytes", IpHeaders.ipv4(15, 60, 1, 1, SRC, DST, 20));
        byte[] corrupt = IpHeaders.ipv4(5, 20, 1, 1, SRC, DST, 20);
        corrupt[8] = 2;
        assertReason(BAD_CHECKSUM, "does not verify", corrupt);
    }

    @Test
    void mutatedHeadersEitherDecodeOrThrowTheCheckedException() {
        DecodeShare share = new DecodeShare();
        for (long seed = 0; seed < 20_000; seed++) {
            Random r = new Random(seed);
            byte[] b = validPacket(r);
            for (int changes = r.nextInt(4); changes > 0; changes--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            if (r.nextBoolean()) {
                IpHeaders.fixChecksum(b, Math.min(b.length, Math.max(20, (b[0] & 0x0f) * 4)));
            }
            int len = r.nextInt(8) == 0 ? r.nextInt(b.length + 1) : b.length;
            try {
                Ipv4Header h = Ipv4Header.decode(b, 0, len);
                assertTrue(h.totalLength() <= len, "seed " + seed);
                share.decoded();
            } catch (IpDecodeException expected) {
                share.rejected(); // rejected is fine; any other exception fails the test
            }
        }
        // A quarter are left intact, and a changed TTL, protocol or address passes a repaired
        // checksum: about 60% decode.
        share.assertAtLeast(0.30);
    }

    /** A well-formed header: random TTL, protocol and addresses; options and padding now and then. */
    private static byte[] validPacket(Random r) {
        int ihl = r.nextInt(4) == 0 ? 5 + r.nextInt(11) : 5;
        int totalLength = ihl * 4 + r.nextInt(40);
        int padding = r.nextInt(4) == 0 ? r.nextInt(20) : 0;
        byte[] source = new byte[4];
        byte[] destination = new byte[4];
        r.nextBytes(source);
        r.nextBytes(destination);
        return IpHeaders.ipv4(ihl, totalLength, r.nextInt(256), r.nextInt(256), source, destination,
                totalLength + padding);
    }

    @Test
    void rejectsInvalidValues() {
        Inet4Address a = v4("10.0.0.1");
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(22, 40, 1, 1, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(64, 80, 1, 1, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(20, 19, 1, 1, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(20, 65536, 1, 1, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(20, 20, 256, 1, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(20, 20, 1, -1, a, a));
        assertThrows(NullPointerException.class, () -> new Ipv4Header(20, 20, 1, 1, null, a));
    }

    private static void assertReason(IpDecodeException.Reason reason, String messagePart, byte[] b) {
        IpDecodeException e = assertThrows(IpDecodeException.class, () -> Ipv4Header.decode(b, 0, b.length));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    static Inet4Address v4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
