package appliance.lab;

import java.time.Duration;

/**
 * The timer formulas the lab asserts against, together: RFC 5798 §6.1 (VRRPv3) and RFC 3768
 * §6.1 (VRRPv2), and a printable form of durations.
 */
public final class ProtocolTimes {

    private ProtocolTimes() {
    }

    /**
     * Skew_Time of a backup. v3: ((256 - Priority) * Master_Adver_Interval) / 256;
     * v2: (256 - Priority) / 256 seconds, whatever the interval.
     */
    public static Duration skewTime(int version, int priority, Duration advertInterval) {
        long base = version == 2 ? Duration.ofSeconds(1).toNanos() : advertInterval.toNanos();
        return Duration.ofNanos((256 - priority) * base / 256);
    }

    /** Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time. */
    public static Duration masterDownInterval(int version, int priority, Duration advertInterval) {
        return advertInterval.multipliedBy(3).plus(skewTime(version, priority, advertInterval));
    }

    /** {@code 0.361 s}. */
    public static String seconds(Duration d) {
        return String.format("%.3f s", d.toNanos() / 1e9);
    }
}
