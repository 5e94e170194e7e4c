package appliance.codec.ndisc;

import static appliance.codec.ndisc.NdiscFrames.CAPTURED;
import static appliance.codec.ndisc.NdiscFrames.FLAGS;
import static appliance.codec.ndisc.NdiscFrames.MAC;
import static appliance.codec.ndisc.NdiscFrames.VIP;
import static appliance.codec.ndisc.NdiscFrames.v6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighborAdvertisementTest {

    @Test
    void unsolicitedIsTheFrameKeepalivedSends() {
        NeighborAdvertisement na = NeighborAdvertisement.unsolicited(MAC, VIP, false);

        assertTrue(na.override());
        assertFalse(na.solicited());
        assertArrayEquals(CAPTURED, na.toEthernetFrame());
        assertEquals(NdiscWire.FRAME_LENGTH, CAPTURED.length);
    }

    @Test
    void routerFlagIsTheTopBitAndChangesOnlyItAndTheChecksum() {
        byte[] router = NeighborAdvertisement.unsolicited(MAC, VIP, true).toEthernetFrame();

        assertEquals((byte) 0xa0, router[FLAGS]);
        // 0x8000 more in the sum is 0x8000 less in its complement.
        assertEquals(0xdfaf - 0x8000, (router[56] & 0xff) << 8 | router[57] & 0xff);
        assertArrayEquals(Arrays.copyOfRange(CAPTURED, 58 + 1, 86), Arrays.copyOfRange(router, 58 + 1, 86));
    }

    @Test
    void decodingAnEncodedAdvertisementGivesItBack() throws Exception {
        Random r = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            NeighborAdvertisement na = new NeighborAdvertisement(unicast(r), mac(r), r.nextBoolean(), false,
                    r.nextBoolean());
            byte[] frame = na.toEthernetFrame();

            assertEquals(NdiscWire.FRAME_LENGTH, frame.length);
            assertEquals(na, NeighborAdvertisement.fromEthernetFrame(frame, 0, frame.length), "iteration " + i);
        }
    }

    @Test
    void solicitedAdvertisementHasNoFrameOfItsOwn() {
        NeighborAdvertisement solicited = new NeighborAdvertisement(VIP, MAC, false, true, true);

        IllegalStateException e = assertThrows(IllegalStateException.class, solicited::toEthernetFrame);
        assertTrue(e.getMessage().contains("solicitor"), e.getMessage());
    }

    @Test
    void ignoresPaddingAndDecodesAtAnOffset() throws Exception {
        byte[] buf = new byte[8 + CAPTURED.length + 4];
        Arrays.fill(buf, (byte) 0x5a);
        System.arraycopy(CAPTURED, 0, buf, 8, CAPTURED.length);

        assertEquals(NeighborAdvertisement.unsolicited(MAC, VIP, false),
                NeighborAdvertisement.fromEthernetFrame(buf, 8, CAPTURED.length + 4));
    }

    @Test
    void linkLayerAddressIsSixBytesCopiedInAndOut() {
        byte[] mac = MAC.clone();
        NeighborAdvertisement na = NeighborAdvertisement.unsolicited(mac, VIP, false);
        mac[0] = 0;
        na.targetLinkLayerAddress()[1] = 0;

        assertArrayEquals(MAC, na.targetLinkLayerAddress());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeighborAdvertisement.unsolicited(new byte[8], VIP, false));
        assertTrue(e.getMessage().contains("must be 6 bytes, was 8"), e.getMessage());
        assertThrows(NullPointerException.class, () -> NeighborAdvertisement.unsolicited(null, VIP, false));
        assertThrows(NullPointerException.class, () -> NeighborAdvertisement.unsolicited(MAC, null, false));
    }

    @Test
    void targetCannotBeMulticast() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeighborAdvertisement.unsolicited(MAC, v6("ff02::1"), false));
        assertTrue(e.getMessage().contains("ff02:0:0:0:0:0:0:1 is multicast"), e.getMessage());
    }

    @Test
    void equalsComparesByValue() {
        NeighborAdvertisement na = NeighborAdvertisement.unsolicited(MAC, VIP, false);

        assertEquals(na, NeighborAdvertisement.unsolicited(MAC.clone(), v6("fd00:99::100"), false));
        assertEquals(na.hashCode(), NeighborAdvertisement.unsolicited(MAC.clone(), VIP, false).hashCode());
        assertNotEquals(na, NeighborAdvertisement.unsolicited(new byte[6], VIP, false));
        assertNotEquals(na, NeighborAdvertisement.unsolicited(MAC, VIP, true));
        assertNotEquals(na, new NeighborAdvertisement(VIP, MAC, false, false, false));
        assertNotEquals(na, NeighborAdvertisement.unsolicited(MAC, v6("fd00:99::101"), false));
    }

    @Test
    void toStringShowsTargetMacAndFlags() {
        assertEquals("NeighborAdvertisement[target=fd00:99:0:0:0:0:0:100 lladdr=e6:b9:18:56:7a:ac flags=[router, override]]",
                NeighborAdvertisement.unsolicited(MAC, VIP, true).toString());
        assertEquals("NeighborAdvertisement[target=fd00:99:0:0:0:0:0:100 lladdr=e6:b9:18:56:7a:ac flags=[]]",
                new NeighborAdvertisement(VIP, MAC, false, false, false).toString());
    }

    private static byte[] mac(Random r) {
        byte[] mac = new byte[6];
        r.nextBytes(mac);
        return mac;
    }

    private static Inet6Address unicast(Random r) throws Exception {
        byte[] b = new byte[16];
        r.nextBytes(b);
        b[0] = (byte) (b[0] == (byte) 0xff ? 0xfe : b[0]);
        return Inet6Address.getByAddress(null, b, -1);
    }
}
