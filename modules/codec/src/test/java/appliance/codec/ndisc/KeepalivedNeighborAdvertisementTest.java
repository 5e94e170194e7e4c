package appliance.codec.ndisc;

import static appliance.codec.ndisc.NdiscFrames.CAPTURE;
import static appliance.codec.ndisc.NdiscFrames.CAPTURED;
import static appliance.codec.ndisc.NdiscFrames.VIP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.pcap.PcapReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.2.7 (v3-ipv6.conf: fd00:99::100 on e0) sent these unsolicited advertisements on
 * becoming master; our codec must read each and produce the same bytes.
 */
class KeepalivedNeighborAdvertisementTest {

    @Test
    void everyIcmpv6FrameOfTheCaptureIsAnAdvertisementThatDecodes() throws Exception {
        List<PcapReader.Frame> frames = NdiscFrames.capturedIcmpv6();

        assertEquals(5, frames.size(), CAPTURE + " ICMPv6 frames");
        for (PcapReader.Frame f : frames) {
            NeighborAdvertisement na = NeighborAdvertisement.fromEthernetFrame(f.data(), 0, f.data().length);
            assertEquals(VIP, na.target(), "frame " + f.index());
        }
    }

    @Test
    void unsolicitedAdvertisementMatchesTheCaptureByteForByte() throws Exception {
        for (PcapReader.Frame f : NdiscFrames.capturedIcmpv6()) {
            byte[] captured = f.data();
            NeighborAdvertisement seen = NeighborAdvertisement.fromEthernetFrame(captured, 0, captured.length);
            // The Ethernet source is the interface's MAC, which the option repeats.
            byte[] mac = Arrays.copyOfRange(captured, 6, 12);
            NeighborAdvertisement expected = NeighborAdvertisement.unsolicited(mac, VIP, seen.router());

            assertEquals(expected, seen, "frame " + f.index());
            // Anything after the IPv6 payload would be Ethernet padding; keepalived's 86 bytes need none.
            int unpadded = 14 + 40 + ((captured[18] & 0xff) << 8 | captured[19] & 0xff);
            assertArrayEquals(Arrays.copyOf(captured, unpadded), expected.toEthernetFrame(), "frame " + f.index());
        }
    }

    @Test
    void captureShowsOverrideWithoutRouterOrSolicited() throws Exception {
        // keepalived sets Router only when e0 forwards IPv6; in the capture it did not.
        NeighborAdvertisement na = NeighborAdvertisement.fromEthernetFrame(CAPTURED, 0, CAPTURED.length);

        assertFalse(na.router());
        assertFalse(na.solicited());
        assertTrue(na.override());
        assertArrayEquals(CAPTURED, NdiscFrames.capturedIcmpv6().get(0).data());
    }
}
