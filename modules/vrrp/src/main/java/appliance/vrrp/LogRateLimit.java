package appliance.vrrp;

/**
 * At most {@code linesPerSecond} log lines a second for one kind of event, so that a peer or a
 * flood cannot fill the log; the caller still counts every event. Confined to one thread.
 */
final class LogRateLimit {

    private static final long SECOND = 1_000_000_000L;

    private final int linesPerSecond;
    private long windowStart;
    private int linesInWindow;

    /** @param now the clock's time at creation: nanoTime may be negative, so the first window opens in the past explicitly */
    LogRateLimit(int linesPerSecond, long now) {
        this.linesPerSecond = linesPerSecond;
        this.windowStart = now - 2 * SECOND;
    }

    /** Whether a line may be logged at {@code now}. */
    boolean allow(long now) {
        if (now - windowStart >= SECOND) {
            windowStart = now;
            linesInWindow = 0;
        }
        return linesInWindow++ < linesPerSecond;
    }
}
