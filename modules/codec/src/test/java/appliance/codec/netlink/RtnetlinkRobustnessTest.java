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
            KernelCaptures.EEXIST, KernelCaptures.EADDRNOTAVAIL, KernelCaptures.MACVLAN_LINK,
            KernelCaptures.LINK_ENODEV, KernelCaptures.ADDRESS_WITH_OPTIONS,
            KernelRouteCaptures.ROUTE_DUMP_IPV4, KernelRouteCaptures.ROUTE_DUMP_IPV4_DONE,
            KernelRouteCaptures.ROUTE_DUMP_IPV6, KernelRouteCaptures.ROUTE_DUMP_IPV6_DONE,
            KernelRouteCaptures.ROUTE_EEXIST, KernelRouteCaptures.ROUTE_ESRCH,
            KernelRouteCaptures.ROUTE_ACK_IPV6_MULTIPATH);

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
    void routeAttributesThatLieAreRejected() throws Exception {
        byte[] multipath = Rtnetlink.newRoute(1, RouteEncodingTest.multipath());
        int rtnexthop = NetlinkHeader.SIZE + RouteMessage.SIZE + 8 + NetlinkWriter.ATTRIBUTE_HEADER; // after RTA_DST
        for (int lie : new int[] {0, 7, 0x21, 0xffff}) {
            byte[] copy = multipath.clone();
            copy[rtnexthop] = (byte) lie;
            copy[rtnexthop + 1] = (byte) (lie >> 8);
            assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(copy, 0, copy.length), "rtnh_len " + lie);
        }
        byte[] shortGateway = Rtnetlink.newRoute(1, RouteEncodingTest.viaDevSrcMetricTable1000());
        int gateway = NetlinkHeader.SIZE + RouteMessage.SIZE + 3 * 8; // RTA_TABLE, RTA_DST, RTA_PREFSRC
        shortGateway[gateway] = 6; // rta_len 6: a 2-byte IPv4 address
        assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(shortGateway, 0, shortGateway.length));
        byte[] truncated = Rtnetlink.newRoute(1, RouteEncodingTest.dev());
        java.nio.ByteBuffer.wrap(truncated).order(ByteOrder.nativeOrder()).putInt(0, NetlinkHeader.SIZE + 11);
        assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(truncated, 0, NetlinkHeader.SIZE + 11));
    }

    @Test
    void linkInfoThatLiesIsRejected() {
        byte[] macvlan = Rtnetlink.newMacvlan(1, "vrrp.51", 2, new byte[] {0, 0, 0x5e, 0, 1, 0x33},
                Rtnetlink.MACVLAN_MODE_PRIVATE);
        int kind = macvlan.length - 24; // IFLA_LINKINFO { IFLA_INFO_KIND (12), IFLA_INFO_DATA (12) }
        macvlan[kind] = 0x7f;
        assertThrows(NetlinkDecodeException.class, () -> Rtnetlink.decode(macvlan, 0, macvlan.length));
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
