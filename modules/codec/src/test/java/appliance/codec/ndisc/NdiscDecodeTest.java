package appliance.codec.ndisc;

import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_HOP_LIMIT;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_OPTION;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.INVALID_FLAGS;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.INVALID_TARGET;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.MISSING_TARGET_LINK_LAYER_ADDRESS;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_ICMPV6;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_IPV6;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_NEIGHBOR_ADVERTISEMENT;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.TOO_SHORT;
import static appliance.codec.ndisc.NdiscFrames.CAPTURED;
import static appliance.codec.ndisc.NdiscFrames.CHECKSUM;
import static appliance.codec.ndisc.NdiscFrames.FLAGS;
import static appliance.codec.ndisc.NdiscFrames.HEX;
import static appliance.codec.ndisc.NdiscFrames.HOP_LIMIT;
import static appliance.codec.ndisc.NdiscFrames.ICMP;
import static appliance.codec.ndisc.NdiscFrames.IP_DESTINATION;
import static appliance.codec.ndisc.NdiscFrames.IP_SOURCE;
import static appliance.codec.ndisc.NdiscFrames.MAC;
import static appliance.codec.ndisc.NdiscFrames.OPTIONS;
import static appliance.codec.ndisc.NdiscFrames.TARGET;
import static appliance.codec.ndisc.NdiscFrames.VIP;
import static appliance.codec.ndisc.NdiscFrames.v6;
import static appliance.codec.ndisc.NdiscFrames.with;
import static appliance.codec.ndisc.NdiscFrames.withChecksum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.DecodeShare;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder against hand-made bad frames, each derived from keepalived's captured one. */
class NdiscDecodeTest {

    private static final NeighborAdvertisement KEEPALIVED = NeighborAdvertisement.unsolicited(MAC, VIP, false);

    @Test
    void rejectsWhatIsNotAnIcmpv6NeighborAdvertisement() {
        assertReason(NOT_IPV6, "EtherType 0x0800", with(CAPTURED, 12, 0x08, 0x00));
        assertReason(NOT_IPV6, "IP version 4", with(CAPTURED, 14, 0x40));
        // Hop-by-hop options first, as an MLD report has them: not followed.
        assertReason(NOT_ICMPV6, "next header 0", with(CAPTURED, 20, 0));
        assertReason(NOT_ICMPV6, "next header 112", with(CAPTURED, 20, 112));
        assertReason(NOT_NEIGHBOR_ADVERTISEMENT, "type 135 code 0", withChecksum(with(CAPTURED, ICMP, 135)));
        assertReason(NOT_NEIGHBOR_ADVERTISEMENT, "type 136 code 1", withChecksum(with(CAPTURED, ICMP + 1, 1)));
    }

    @Test
    void rejectsAnAdvertisementThatCrossedARouter() {
        assertReason(BAD_HOP_LIMIT, "hop limit 254", with(CAPTURED, HOP_LIMIT, 254));
        assertReason(BAD_HOP_LIMIT, "hop limit 1", with(CAPTURED, HOP_LIMIT, 1));
    }

    @Test
    void rejectsLengthsThatDoNotAddUp() {
        assertReason(LENGTH_MISMATCH, "payload length 40 exceeds the 32 bytes", with(CAPTURED, 18, 0, 40));
        assertReason(TOO_SHORT, "payload length 16, a Neighbor Advertisement needs 24", with(CAPTURED, 18, 0, 16));
    }

    @Test
    void truncationAtEveryLengthIsRejected() {
        for (int len = 0; len < CAPTURED.length; len++) {
            byte[] b = Arrays.copyOf(CAPTURED, len);
            // Below the fixed part the frame is too short; from there the payload length overruns.
            NdiscDecodeException.Reason expected = len < OPTIONS ? TOO_SHORT : LENGTH_MISMATCH;
            assertReason(expected, len < OPTIONS ? "got " + len : "exceeds the " + (len - ICMP) + " bytes", b);
        }
    }

    @Test
    void everySingleBitFlipUnderTheChecksumIsCaught() {
        // From the IPv6 source (the pseudo-header starts there) to the end, type and code aside.
        for (int at = IP_SOURCE; at < CAPTURED.length; at++) {
            if (at == ICMP || at == ICMP + 1) {
                continue;
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = CAPTURED.clone();
                b[at] ^= (byte) (1 << bit);
                assertReason(BAD_CHECKSUM, "checksum 0x", b);
            }
        }
        assertReason(BAD_CHECKSUM, "checksum 0x0000 does not verify", with(CAPTURED, CHECKSUM, 0, 0));
    }

    @Test
    void rejectsAMulticastTarget() {
        assertReason(INVALID_TARGET, "ff02:0:0:0:0:0:0:1 is multicast", withChecksum(with(CAPTURED, TARGET, v6("ff02::1"))));
    }

    @Test
    void rejectsSolicitedToMulticastButDecodesItToAUnicastAddress() throws Exception {
        byte[] solicited = with(CAPTURED, FLAGS, 0x60);
        assertReason(INVALID_FLAGS, "Solicited flag set on an advertisement to multicast ff02:0:0:0:0:0:0:1",
                withChecksum(solicited));

        byte[] toSolicitor = withChecksum(with(solicited, IP_DESTINATION, v6("fd00:99::1")));
        assertEquals(new NeighborAdvertisement(VIP, MAC, false, true, true), decode(toSolicitor));
    }

    @Test
    void rejectsOptionsOfLengthZeroOrPastTheEnd() {
        assertReason(BAD_OPTION, "option type 2 at ICMPv6 offset 24 has length 0",
                withChecksum(with(CAPTURED, OPTIONS + 1, 0)));
        assertReason(BAD_OPTION, "has length 2 (16 bytes), 8 remain", withChecksum(with(CAPTURED, OPTIONS + 1, 2)));
        // Payload length 30: the option's 8 bytes would end past the 30.
        assertReason(BAD_OPTION, "has length 1 (8 bytes), 6 remain", withChecksum(with(CAPTURED, 18, 0, 30)));
        // Payload length 25: one byte where an option header needs two.
        assertReason(BAD_OPTION, "1 byte left", withChecksum(with(CAPTURED, 18, 0, 25)));
    }

    @Test
    void rejectsATargetLinkLayerAddressThatIsNotEthernet() {
        byte[] b = frameWithOptions("0202" + "e6b918567aac" + "0000000000000000");
        assertReason(BAD_OPTION, "Target Link-Layer Address option has length 2, expected 1", b);
    }

    @Test
    void rejectsAnAdvertisementWithoutTargetLinkLayerAddress() {
        // Source Link-Layer Address (type 1) is not the target's: still missing.
        assertReason(MISSING_TARGET_LINK_LAYER_ADDRESS, "in 8 bytes of options",
                withChecksum(with(CAPTURED, OPTIONS, 1)));
        assertReason(MISSING_TARGET_LINK_LAYER_ADDRESS, "in 0 bytes of options", frameWithOptions(""));
    }

    @Test
    void skipsOtherOptionsAndKeepsTheFirstTargetLinkLayerAddress() throws Exception {
        // An unknown option (type 200) is skipped; of two target addresses the first counts, as in Linux.
        byte[] b = frameWithOptions("c801000000000000" + "0201e6b918567aac" + "0201020000000002");

        assertEquals(KEEPALIVED, decode(b));
    }

    @Test
    void ignoresReservedBits() throws Exception {
        assertEquals(KEEPALIVED, decode(withChecksum(with(CAPTURED, FLAGS, 0x3f, 0xff, 0xff, 0xff))));
    }

    @Test
    void randomBytesEitherDecodeOrThrowTheCheckedException() {
        DecodeShare share = new DecodeShare();
        for (long seed = 0; seed < 20_000; seed++) {
            Random r = new Random(seed);
            byte[] b = CAPTURED.clone();
            if (r.nextInt(4) == 0) {
                b = new byte[r.nextInt(100)];
                r.nextBytes(b);
            }
            for (int flips = r.nextInt(3); flips > 0 && b.length > 0; flips--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            if (r.nextBoolean()) {
                b = withChecksum(b);
            }
            int len = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : b.length;
            try {
                NeighborAdvertisement.fromEthernetFrame(b, 0, len);
                share.decoded();
            } catch (NdiscDecodeException expected) {
                share.rejected(); // any other exception fails the test
            }
        }
        // Flips in the Ethernet addresses, IPv6 source or reserved bits pass once the checksum
        // is repaired; those that break it without repair do not.
        share.assertAtLeast(0.15);
    }

    /** keepalived's advertisement with its options replaced by {@code optionsHex}, lengths and checksum fixed. */
    private static byte[] frameWithOptions(String optionsHex) {
        byte[] options = HEX.parseHex(optionsHex);
        byte[] b = Arrays.copyOf(CAPTURED, OPTIONS + options.length);
        System.arraycopy(options, 0, b, OPTIONS, options.length);
        int icmpLength = b.length - ICMP;
        return withChecksum(with(b, 18, icmpLength >>> 8, icmpLength));
    }

    private static NeighborAdvertisement decode(byte[] b) throws NdiscDecodeException {
        return NeighborAdvertisement.fromEthernetFrame(b, 0, b.length);
    }

    private static void assertReason(NdiscDecodeException.Reason reason, String messagePart, byte[] b) {
        NdiscDecodeException e = assertThrows(NdiscDecodeException.class, () -> decode(b));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
