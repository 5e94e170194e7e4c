package appliance.codec.ndisc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link NeighborAdvertisement#fromEthernetFrame}: each input
 * is decoded as mutated, which exercises the checks before the checksum, and again with its
 * checksum repaired, so that the target, flag and option checks behind it are reached too.
 *
 * <p>In {@code mvn verify} this replays its seeds (keepalived's captured advertisement and our
 * own) and any finding kept under
 * src/test/resources/appliance/codec/ndisc/NeighborAdvertisementFuzzTestInputs, then fuzzes
 * briefly in an execution of its own (see modules/codec/pom.xml). A long run, from modules/codec:
 * {@code JAZZER_FUZZ=1 nice -n 19 mvn test -Dfuzz.bounded.skip -Dtest=NeighborAdvertisementFuzzTest
 * -Djazzer.max_executions=10000000 -Djazzer.max_duration=3h}.
 */
class NeighborAdvertisementFuzzTest {

    @MethodSource("appliance.codec.ndisc.NdiscFrames#seeds")
    @FuzzTest
    void frameAsReceivedAndWithChecksumRepaired(byte[] frame) {
        decodeAndReencode(frame);
        decodeAndReencode(NdiscFrames.withChecksum(frame));
    }

    /**
     * Any bytes decode or throw {@link NdiscDecodeException}; anything else escapes to Jazzer as a
     * finding. What decodes encodes to a frame that decodes equal, unless it was solicited, which
     * has no frame of ours (it goes to its solicitor).
     */
    private static void decodeAndReencode(byte[] frame) {
        NeighborAdvertisement na;
        try {
            na = NeighborAdvertisement.fromEthernetFrame(frame, 0, frame.length);
        } catch (NdiscDecodeException refused) {
            return;
        }
        if (na.solicited()) {
            assertThrows(IllegalStateException.class, na::toEthernetFrame);
            return;
        }
        byte[] again = na.toEthernetFrame();
        try {
            assertEquals(na, NeighborAdvertisement.fromEthernetFrame(again, 0, again.length));
        } catch (NdiscDecodeException e) {
            throw new AssertionError("re-encoded " + na + " does not decode", e);
        }
    }
}
