package appliance.check;

import java.time.Duration;

/**
 * keepalived's checker state (check_tcp.c's and check_http.c's epilogs): up or down, whether a
 * result has been decided yet, and the retry count. Plain Java, fed results, answering when the
 * next run is due and whether the state was decided; the runner owns time.
 *
 * <ul>
 *   <li>Without {@code alpha} a checker starts up, with it down; either way its first failure
 *       decides at once (keepalived presets the retry count), and so does every failure until a
 *       first success.</li>
 *   <li>While up, the {@code retry + 1}-th failure in a row takes it down; the ones before wait
 *       {@code delay-before-retry}; a success resets the count.</li>
 *   <li>One success brings it up (HTTP: a success on every URL, one per run).</li>
 *   <li>After a success, a final failure or a failure while down, the next run waits
 *       {@code delay-loop}; for HTTP after a failed URL, the larger of it and
 *       {@code delay-before-retry}.</li>
 * </ul>
 */
public final class CheckerState {

    /** What a result decided: the next run's delay, and the state when it was decided now (else null). */
    public record Outcome(Duration nextRun, Boolean decidedUp, boolean changed, int failuresInARow) {
    }

    private final CheckTiming timing;
    private final Duration waitWhileDown;
    private boolean up;
    private boolean decided;
    private int retries;

    /** @param waitWhileDown after a final failure and while down: delay-loop, or for HTTP max(it, delay-before-retry) */
    private CheckerState(CheckTiming timing, Duration waitWhileDown) {
        this.timing = timing;
        this.waitWhileDown = waitWhileDown;
        this.up = !timing.alpha();
        this.retries = timing.retry();
    }

    /**
     * A reload keeps what an equal check had decided: a server that failed stays failed until its
     * check passes (keepalived before 2.3 reset every checker to up).
     */
    public void carryOver(boolean up) {
        this.up = up;
        this.decided = true;
        this.retries = up ? 0 : timing.retry();
    }

    public static CheckerState of(CheckSpec spec) {
        CheckTiming t = spec.timing();
        Duration whileDown = spec instanceof HttpCheck && t.delayBeforeRetry().compareTo(t.delayLoop()) > 0
                ? t.delayBeforeRetry() : t.delayLoop();
        return new CheckerState(t, whileDown);
    }

    /**
     * A run passed. {@code cycleComplete}: it completed the check (TCP: always; HTTP: the last URL
     * of a cycle in which every URL passed).
     */
    public Outcome passed(boolean cycleComplete) {
        retries = decided ? 0 : timing.retry();
        if (!cycleComplete || (up && decided)) {
            return new Outcome(timing.delayLoop(), null, false, 0);
        }
        boolean changed = !up;
        up = true;
        decided = true;
        retries = 0;
        return new Outcome(timing.delayLoop(), true, changed, 0);
    }

    /** A run failed. */
    public Outcome failed() {
        if (!up && decided) {
            return new Outcome(waitWhileDown, null, false, retries);
        }
        retries++;
        if (retries <= timing.retry()) {
            return new Outcome(timing.delayBeforeRetry(), null, false, retries);
        }
        int failures = decided ? retries : 1;
        boolean changed = up;
        up = false;
        decided = true;
        retries = 0;
        return new Outcome(waitWhileDown, false, changed, failures);
    }

    public boolean isUp() {
        return up;
    }

    /** Whether a first result has decided the state (keepalived's has_run, near enough). */
    public boolean isDecided() {
        return decided;
    }
}
