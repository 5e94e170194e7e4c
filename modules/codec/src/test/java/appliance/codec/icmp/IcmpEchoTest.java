package appliance.codec.icmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {

    /**
     * An echo reply captured on lo (tcpdump) for iputils' {@code ping -c1 -p 0001020304050607 -s 8
     * 127.0.0.1}: id 25571 (0x63e3), seq 1, 8 bytes of data; the IP header cut.
     */
    static final byte[] CAPTURED_REPLY = HexFormat.of().parseHex("0000900b63e300010001020304050607");

    @Test
    void aCapturedReplyDecodesWithItsIdentifierAndSequence() throws Exception {
        IcmpEcho e = IcmpEcho.decode(false, CAPTURED_REPLY, 0, CAPTURED_REPLY.length);
        assertTrue(e.reply());
        assertEquals(25571, e.identifier());
        assertEquals(1, e.sequence());
        assertArrayEquals(HexFormat.of().parseHex("0001020304050607"), e.data());
    }

    @Test
    void requestsEncodeWithTheirChecksumAndDecodeEqual() throws Exception {
        IcmpEcho request = IcmpEcho.request(false, 0xbeef, 513, "keepalived".getBytes());
        byte[] wire = request.encode();
        assertEquals(8, wire[0]);
        assertEquals(0, appliance.codec.ip.InternetChecksum.compute(wire, 0, wire.length), "checksum over all is 0");
        assertEquals(request, IcmpEcho.decode(false, wire, 0, wire.length));
        IcmpEcho v6 = IcmpEcho.request(true, 7, 65535, new byte[0]);
        byte[] wire6 = v6.encode();
        assertEquals(128, wire6[0] & 0xff);
        assertEquals(0, wire6[2] | wire6[3], "ICMPv6: the kernel fills the checksum");
        assertEquals(v6, IcmpEcho.decode(true, wire6, 0, wire6.length));
    }

    @Test
    void whatIsNotAnEchoIsRefusedWithTheReason() {
        byte[] corrupted = CAPTURED_REPLY.clone();
        corrupted[9] ^= 1;
        assertTrue(assertThrows(IcmpDecodeException.class, () -> IcmpEcho.decode(false, corrupted, 0, corrupted.length))
                .getMessage().contains("checksum"));
        byte[] unreachable = HexFormat.of().parseHex("0303fcfc00000000");
        assertTrue(assertThrows(IcmpDecodeException.class, () -> IcmpEcho.decode(false, unreachable, 0, 8))
                .getMessage().contains("type 3 is not an echo"));
        assertTrue(assertThrows(IcmpDecodeException.class, () -> IcmpEcho.decode(false, CAPTURED_REPLY, 0, 7))
                .getMessage().contains("shorter"));
        assertThrows(IcmpDecodeException.class, () -> IcmpEcho.decode(true, CAPTURED_REPLY, 0, CAPTURED_REPLY.length),
                "type 0 is not an ICMPv6 echo");
    }

    @Test
    void anyBytesDecodeOrAreRefusedAndWhatDecodesReencodesToTheSameBytes() throws Exception {
        Random random = new Random(5798);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(24)];
            random.nextBytes(b);
            boolean ipv6 = random.nextBoolean();
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (ipv6 ? 128 + random.nextInt(2) : random.nextBoolean() ? 0 : 8);
                if (b.length > 1) {
                    b[1] = 0;
                }
            }
            if (!ipv6 && b.length >= 8 && random.nextBoolean()) {
                b[2] = 0;
                b[3] = 0;
                int sum = appliance.codec.ip.InternetChecksum.compute(b, 0, b.length);
                b[2] = (byte) (sum >> 8);
                b[3] = (byte) sum;
            }
            IcmpEcho e;
            try {
                e = IcmpEcho.decode(ipv6, b, 0, b.length);
            } catch (IcmpDecodeException refused) {
                continue;
            }
            decoded++;
            byte[] again = e.encode();
            if (ipv6) {
                again[2] = b[2];
                again[3] = b[3];
            }
            assertArrayEquals(b, again, e.toString());
        }
        assertTrue(decoded > 10_000, "the generator reaches the decoder's far end: " + decoded);
    }
}
