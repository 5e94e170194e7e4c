package appliance.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts how many of a random-input test's inputs decoded. "Every input decodes or throws the
 * checked exception" also holds for a decoder that rejects everything, so each such test also
 * requires a share of its inputs to decode; the inputs start from valid encodings or captures
 * (with checksums repaired for some) so that a fair number of them still do after mutation.
 */
public final class DecodeShare {

    private int decoded;
    private int rejected;

    public void decoded() {
        decoded++;
    }

    public void rejected() {
        rejected++;
    }

    /** Fails unless at least {@code minimum} (a fraction, 0..1) of the inputs counted so far decoded. */
    public void assertAtLeast(double minimum) {
        int total = decoded + rejected;
        assertTrue(total > 0 && decoded >= minimum * total, String.format(
                "%d of %d inputs decoded (%.1f%%), expected at least %.0f%%: is valid input being rejected?",
                decoded, total, total == 0 ? 0.0 : 100.0 * decoded / total, 100 * minimum));
    }

    /** For inputs of which few can decode (every truncation of a reply): fails below {@code count}. */
    public void assertDecodedAtLeast(int count) {
        assertTrue(decoded >= count, decoded + " of " + (decoded + rejected)
                + " inputs decoded, expected at least " + count + ": is valid input being rejected?");
    }
}
