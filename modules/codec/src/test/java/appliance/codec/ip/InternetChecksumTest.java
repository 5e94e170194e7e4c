package appliance.codec.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesTheWorkedExampleOfRfc1071() {
        // RFC 1071 §3: the one's complement sum of these bytes is 0xddf2.
        byte[] data = HEX.parseHex("0001f203f4f5f6f7");

        assertEquals(~0xddf2 & 0xffff, InternetChecksum.compute(data, 0, data.length));
    }

    @Test
    void padsAnOddTrailingByteWithZero() {
        assertEquals(InternetChecksum.compute(HEX.parseHex("abcdef00"), 0, 4),
                InternetChecksum.compute(HEX.parseHex("abcdef"), 0, 3));
        assertEquals(0x54ff, InternetChecksum.compute(HEX.parseHex("ab"), 0, 1));
    }

    @Test
    void foldsCarriesBackIntoTheSum() {
        // 0xffff + 0x0001 = 0x10000, folded to 0x0001.
        assertEquals(0xfffe, InternetChecksum.compute(HEX.parseHex("ffff0001"), 0, 4));
        assertEquals(0xffff, InternetChecksum.compute(new byte[0], 0, 0));
    }

    @Test
    void aMessageCarryingItsChecksumVerifiesToZero() {
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[2 + r.nextInt(200)];
            r.nextBytes(data);
            int at = r.nextInt(data.length / 2) * 2;
            data[at] = 0;
            data[at + 1] = 0;
            int sum = InternetChecksum.compute(data, 0, data.length);
            data[at] = (byte) (sum >>> 8);
            data[at + 1] = (byte) sum;

            assertEquals(0, InternetChecksum.compute(data, 0, data.length), "iteration " + i);
            // and a checksum that verified everything would pass the line above: one flipped bit
            // must be caught (it moves the sum by 2^k, never by a multiple of 0xffff).
            data[r.nextInt(data.length)] ^= (byte) (1 << r.nextInt(8));
            assertNotEquals(0, InternetChecksum.compute(data, 0, data.length), "iteration " + i + " flipped");
        }
    }

    @Test
    void coversOnlyTheGivenRange() {
        byte[] data = HEX.parseHex("ff0001f203f4f5f6f7ff");

        assertEquals(~0xddf2 & 0xffff, InternetChecksum.compute(data, 1, 8));
    }

    @Test
    void pseudoHeaderVariantEqualsTheChecksumOfTheConcatenation() {
        byte[] pseudo = HEX.parseHex("0a630001e00000120070000c");
        byte[] message = HEX.parseHex("3107c8030032fb6f0a630064");
        byte[] both = HEX.parseHex("0a630001e00000120070000c3107c8030032fb6f0a630064");

        assertEquals(InternetChecksum.compute(both, 0, both.length),
                InternetChecksum.compute(pseudo, message, 0, message.length));
        assertThrows(IllegalArgumentException.class, () -> InternetChecksum.compute(new byte[3], message, 0, 4));
    }

    @Test
    void buildsTheIpv4PseudoHeaderWithA16BitLength() throws Exception {
        byte[] p = InternetChecksum.pseudoHeader(InetAddress.getByName("10.99.0.1"),
                InetAddress.getByName("224.0.0.18"), 112, 20);

        assertArrayEquals(HEX.parseHex("0a630001" + "e0000012" + "00" + "70" + "0014"), p);
    }

    @Test
    void buildsTheIpv6PseudoHeaderWithA32BitLengthAndNextHeaderLast() throws Exception {
        byte[] p = InternetChecksum.pseudoHeader(InetAddress.getByName("fe80::1"),
                InetAddress.getByName("ff02::12"), 112, 24);

        assertArrayEquals(HEX.parseHex("fe800000000000000000000000000001" + "ff020000000000000000000000000012"
                + "00000018" + "000000" + "70"), p);
    }

    @Test
    void refusesPseudoHeadersMixingFamilies() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> InternetChecksum.pseudoHeader(
                InetAddress.getByName("10.0.0.1"), InetAddress.getByName("ff02::12"), 112, 8));
        assertThrows(IllegalArgumentException.class, () -> InternetChecksum.pseudoHeader(
                InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"), 112, 65536));
    }
}
