package appliance.check;

import java.time.Duration;
import java.util.Objects;

/**
 * When a check runs and how failures count, as keepalived's options: a run may take up to
 * {@code connectTimeout}; after a success, a final failure or a failure while already down the
 * next run waits {@code delayLoop}; a failure that is not yet final ({@code retry} more are
 * allowed while up) waits {@code delayBeforeRetry}. The first run waits 1 s plus a uniform random
 * part of {@code warmup}. With {@code alpha} the check starts down and needs one success. With
 * {@code logAllFailures} (keepalived's log_all_failures) every failed try of a check that is up is
 * logged, not only the one that takes it down.
 */
public record CheckTiming(Duration connectTimeout, Duration delayLoop, int retry, Duration delayBeforeRetry,
                          Duration warmup, boolean alpha, boolean logAllFailures) {

    public CheckTiming(Duration connectTimeout, Duration delayLoop, int retry, Duration delayBeforeRetry,
                       Duration warmup, boolean alpha) {
        this(connectTimeout, delayLoop, retry, delayBeforeRetry, warmup, alpha, false);
    }

    /** keepalived's {@code connect_timeout} default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** keepalived's {@code delay_loop} default. */
    public static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

    public CheckTiming {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(delayLoop, "delayLoop");
        Objects.requireNonNull(delayBeforeRetry, "delayBeforeRetry");
        Objects.requireNonNull(warmup, "warmup");
        positive(connectTimeout, "connect-timeout");
        positive(delayLoop, "delay-loop");
        if (delayBeforeRetry.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("delay-before-retry and warmup must not be negative");
        }
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be >= 0, was " + retry);
        }
    }

    /** keepalived's defaults for {@code type} under a virtual server's {@code delayLoop}. */
    public static CheckTiming defaults(CheckType type, Duration delayLoop) {
        return new CheckTiming(DEFAULT_CONNECT_TIMEOUT, delayLoop, type.defaultRetry(),
                type.defaultDelayBeforeRetry(delayLoop), delayLoop, false);
    }

    private static void positive(Duration d, String key) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }
}
