package appliance.it;

import static appliance.it.Subject.MARGIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ProtocolTimes;
import java.time.Duration;

/**
 * The bound of one figure a test prints, derived from RFC 5798's timers (Skew_Time,
 * Master_Down_Interval, the advert interval) and {@link Subject#MARGIN}: the test prints the
 * figure with {@link #show} and asserts it with {@link #check}, so every printed figure was checked.
 *
 * @param lower      the least the figure may be (zero: no lower bound)
 * @param upper      the most it may be
 * @param derivation how the bound follows from the protocol, for the failure message
 */
record Bound(Duration lower, Duration upper, String derivation) {

    /**
     * At most {@code protocol} + {@link Subject#MARGIN}, for a figure that the protocol says
     * {@code name} ends; nothing below it.
     */
    static Bound atMost(String name, Duration protocol) {
        return new Bound(Duration.ZERO, protocol.plus(MARGIN),
                "at most " + name + " " + ProtocolTimes.seconds(protocol) + " + " + MARGIN.toMillis() + " ms");
    }

    /** At most {@link Subject#MARGIN}, for what the protocol does at once ({@code why}). */
    static Bound atOnce(String why) {
        return new Bound(Duration.ZERO, MARGIN, "at once (" + why + ") + " + MARGIN.toMillis() + " ms");
    }

    /**
     * From {@code protocol} to {@code protocol} + {@link Subject#MARGIN}, for a figure measured
     * across the whole protocol interval {@code name}: it starts before the timer does and ends
     * after it expires, so every delay only adds to it and the lower bound needs no margin.
     */
    static Bound from(String name, Duration protocol) {
        return new Bound(protocol, protocol.plus(MARGIN),
                "from " + name + " " + ProtocolTimes.seconds(protocol) + " (the measurement spans it) to "
                        + MARGIN.toMillis() + " ms more");
    }

    /**
     * {@code protocol} ± {@link Subject#MARGIN}, for a figure measured between two log lines of
     * one node: it may start its timer a little before or after it logs the first (keepalived
     * comes out a few milliseconds under), and either line may be read late.
     */
    static Bound around(String name, Duration protocol) {
        return new Bound(protocol.minus(MARGIN), protocol.plus(MARGIN),
                name + " " + ProtocolTimes.seconds(protocol) + " ± " + MARGIN.toMillis() + " ms");
    }

    /**
     * A takeover timed from a cut at a random moment between two adverts: the backup heard the
     * last one up to an advert interval before the cut, so it takes over between
     * Master_Down_Interval minus one interval and Master_Down_Interval after it, ± {@link Subject#MARGIN}.
     */
    static Bound afterCut(Duration masterDownInterval, Duration advertInterval) {
        return new Bound(masterDownInterval.minus(advertInterval).minus(MARGIN), masterDownInterval.plus(MARGIN),
                "Master_Down_Interval " + ProtocolTimes.seconds(masterDownInterval) + " minus up to one advert interval "
                        + ProtocolTimes.seconds(advertInterval) + " (the cut's phase), ± " + MARGIN.toMillis() + " ms");
    }

    /** {@code 0.362 s (bound 0.461 s)}, or {@code (bound 0.241..0.441 s)} with a lower bound. */
    String show(Duration measured) {
        return ProtocolTimes.seconds(measured) + " (bound " + range() + ")";
    }

    /** Fails unless {@code measured} lies within the bound; {@code what} names the figure. */
    void check(String what, Duration measured) {
        assertTrue(measured.compareTo(lower) >= 0 && measured.compareTo(upper) <= 0, what + " "
                + ProtocolTimes.seconds(measured) + " is outside its bound " + range() + ": " + derivation);
    }

    private String range() {
        String most = ProtocolTimes.seconds(upper);
        return lower.isZero() ? most : String.format("%.3f..%s", lower.toNanos() / 1e9, most);
    }
}
