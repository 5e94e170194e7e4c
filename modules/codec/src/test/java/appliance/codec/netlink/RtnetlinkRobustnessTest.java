package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import appliance.codec.DecodeShare;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Whatever bytes arrive, decoding returns messages or throws NetlinkDecodeException: nothing else. */
class RtnetlinkRobustnessTest {

    private static final List<byte[]> SAMPLES = List.of(
            KernelCaptures.LINK_DUMP_LO_VB, KernelCaptures.LINK_DUMP_VA, KernelCaptures.LINK_DUMP_DONE,
            KernelCaptures.ADDRESS_DUMP, KernelCaptures.ADDRESS_DUMP_DONE, KernelCaptures.ACK,
            KernelCaptures.EEXIST, KernelCaptures.EADDRNOTAVAIL);

    @Test
    void everyTruncationOfAKernelReplyDecodesOrThrowsTheCheckedException() {
        DecodeShare share = new DecodeShare();
        for (byte[] sample : SAMPLES) {
            for (int length = 0; length <= sample.length; length++) {
                decodeQuietly(sample, length, share);
            }
        }
        // Only whole replies and cuts at a message boundary of a dump decode: a count, not a share.
        share.assertDecodedAtLeast(SAMPLES.size());
    }

    @Test
    void truncatedHeaderIsRejected() {
        byte[] ack = KernelCaptures.ACK;
        assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(ack, 0, 15));
    }

    @Test
    void lengthsThatLieAreRejected() throws Exception {
        byte[] request = Rtnetlink.newAddress(1, 1, InetAddress.getByName("192.0.2.1"), 24);
        for (int lie : new int[] {0, 15, request.length + 4, -1}) {
            byte[] copy = request.clone();
            copy[0] = (byte) lie;
            copy[1] = (byte) (lie >> 8);
            copy[2] = (byte) (lie >> 16);
            copy[3] = (byte) (lie >> 24);
            assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(copy, 0, copy.length), "length " + lie);
        }
        byte[] zeroAttribute = request.clone();
        zeroAttribute[24] = 0; // first rta_len: 0 would never advance
        zeroAttribute[25] = 0;
        assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(zeroAttribute, 0, zeroAttribute.length));
    }

    @Test
    void flippedBitsInKernelRepliesDecodeOrThrowTheCheckedException() {
        DecodeShare share = new DecodeShare();
        Random random = new Random(20240601);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = SAMPLES.get(random.nextInt(SAMPLES.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
            }
            decodeQuietly(mutated, mutated.length, share);
        }
        // Most bytes of a reply are attribute values and padding, where a flip changes a value
        // only: about 70% decode.
        share.assertAtLeast(0.50);
    }

    @Test
    void randomBytesDecodeOrThrowTheCheckedException() {
        DecodeShare share = new DecodeShare();
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] noise = new byte[random.nextInt(256)];
            random.nextBytes(noise);
            if (noise.length >= NetlinkHeader.SIZE && random.nextBoolean()) {
                frameAsMessages(noise, random);
            }
            decodeQuietly(noise, noise.length, share);
        }
        // Half are framed, and most framed messages have a type decoded as UnknownMessage: about
        // 45% decode.
        share.assertAtLeast(0.20);
    }

    /** Writes truthful length fields over the noise, so that decoding gets past the framing. */
    private static void frameAsMessages(byte[] noise, Random random) {
        ByteBuffer b = ByteBuffer.wrap(noise).order(ByteOrder.nativeOrder());
        int at = 0;
        while (noise.length - at >= NetlinkHeader.SIZE) {
            int length = NetlinkHeader.SIZE + 4 * random.nextInt(16);
            if (noise.length - at - length < NetlinkHeader.SIZE) {
                length = noise.length - at; // the last message takes the rest, unpadded
            }
            b.putInt(at, length);
            at += length;
        }
    }

    private static void decodeQuietly(byte[] buf, int length, DecodeShare share) {
        try {
            // An empty datagram is an empty list: that one proves nothing about the decoder.
            if (Rtnetlink.decode(buf, 0, length).isEmpty()) {
                share.rejected();
            } else {
                share.decoded();
            }
        } catch (NetlinkDecodeException expected) {
            share.rejected(); // the one exception allowed
        } catch (RuntimeException e) {
            fail("decoding " + length + " bytes " + Arrays.toString(Arrays.copyOf(buf, Math.min(length, 64)))
                    + " threw " + e, e);
        }
    }
}
