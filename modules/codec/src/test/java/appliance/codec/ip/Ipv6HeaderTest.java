package appliance.codec.ip;

import static appliance.codec.ip.IpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ip.IpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.ip.IpDecodeException.Reason.UNSUPPORTED_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.DecodeShare;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv6HeaderTest {

    private static final byte[] LINK_LOCAL = HexFormat.of().parseHex("fe800000000000000000000000000001");
    private static final byte[] ALL_ROUTERS = HexFormat.of().parseHex("ff020000000000000000000000000012");

    @Test
    void decodesTheHeaderKeepalivedSent() throws Exception {
        // v3-ipv6.pcap, frame 1: traffic class 0xc0 and a non-zero flow label, which we do not keep.
        byte[] b = HexFormat.of().parseHex("6c0d331d001870ff" + "fe80000000000000e4b918fffe567aac"
                + "ff020000000000000000000000000012" + "00".repeat(24));

        Ipv6Header h = Ipv6Header.decode(b, 0, b.length);

        assertEquals(new Ipv6Header(24, 112, 255, v6("fe80::e4b9:18ff:fe56:7aac"), v6("ff02::12")), h);
        assertEquals(40, h.headerLength());
    }

    @Test
    void ignoresBytesBeyondThePayload() throws Exception {
        byte[] b = IpHeaders.ipv6(8, 112, 255, LINK_LOCAL, ALL_ROUTERS, 64);

        assertEquals(8, Ipv6Header.decode(b, 0, b.length).payloadLength());
    }

    @Test
    void keepsIpv4MappedAddressesAsIpv6() throws Exception {
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff0a000001");
        byte[] b = IpHeaders.ipv6(0, 112, 255, mapped, ALL_ROUTERS, 40);

        assertEquals(Inet6Address.class, Ipv6Header.decode(b, 0, b.length).source().getClass());
    }

    @Test
    void rejectsEachMalformation() {
        assertReason(TOO_SHORT, "got 39", IpHeaders.ipv6(0, 112, 255, LINK_LOCAL, ALL_ROUTERS, 40), 39);
        byte[] v4 = IpHeaders.ipv6(0, 112, 255, LINK_LOCAL, ALL_ROUTERS, 40);
        v4[0] = 0x45;
        assertReason(UNSUPPORTED_VERSION, "version 4", v4, 40);
        assertReason(LENGTH_MISMATCH, "payload length 9 exceeds the 8 bytes",
                IpHeaders.ipv6(9, 112, 255, LINK_LOCAL, ALL_ROUTERS, 48), 48);
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
            int len = r.nextInt(8) == 0 ? r.nextInt(b.length + 1) : b.length;
            try {
                Ipv6Header h = Ipv6Header.decode(b, 0, len);
                assertTrue(40 + h.payloadLength() <= len, "seed " + seed);
                share.decoded();
            } catch (IpDecodeException expected) {
                share.rejected(); // rejected is fine; any other exception fails the test
            }
        }
        // No checksum here: only changes to the version or the payload length, and cuts, are
        // refused; over 80% decode.
        share.assertAtLeast(0.50);
    }

    /** A well-formed header with random fields, random payload and padding now and then. */
    private static byte[] validPacket(Random r) {
        int payloadLength = r.nextInt(64);
        int padding = r.nextInt(4) == 0 ? r.nextInt(20) : 0;
        byte[] source = new byte[16];
        byte[] destination = new byte[16];
        r.nextBytes(source);
        r.nextBytes(destination);
        byte[] b = IpHeaders.ipv6(payloadLength, r.nextInt(256), r.nextInt(256), source, destination,
                40 + payloadLength + padding);
        for (int i = 40; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void rejectsInvalidValues() {
        Inet6Address a = v6("fe80::1");
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Header(65536, 112, 255, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Header(0, 256, 255, a, a));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Header(0, 112, -1, a, a));
        assertThrows(NullPointerException.class, () -> new Ipv6Header(0, 112, 255, a, null));
    }

    private static void assertReason(IpDecodeException.Reason reason, String messagePart, byte[] b, int len) {
        IpDecodeException e = assertThrows(IpDecodeException.class, () -> Ipv6Header.decode(b, 0, len));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static Inet6Address v6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
