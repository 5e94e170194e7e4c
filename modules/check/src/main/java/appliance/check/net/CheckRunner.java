package appliance.check.net;

import appliance.check.CheckSpec;
import appliance.check.CheckerState;
import appliance.check.HttpCheck;
import appliance.check.SmtpCheck;
import appliance.check.DnsCheck;
import appliance.check.UdpCheck;
import appliance.check.TcpCheck;
import appliance.check.Verdict;
import appliance.check.WeightChange;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One check's runs on one loop: the first 1 s plus a random part of its warmup after start (as
 * keepalived spreads its checkers), each next one when the previous has ended and the delay its
 * {@link CheckerState} gives has passed, so that a slow run never overlaps the next. Decided
 * states go to {@code verdicts}, on the loop.
 */
public final class CheckRunner {

    /** keepalived's BOOTSTRAP_DELAY: the first run comes no sooner. */
    static final Duration BOOTSTRAP_DELAY = Duration.ofSeconds(1);

    private final CheckSpec check;
    private final EventLoop loop;
    private final Probe probe;
    private final CheckerState state;
    private final Consumer<Verdict> verdicts;
    private final Runnable run = this::runOnce;
    // loop-confined
    private ScheduledFuture<?> next;
    private boolean stopped;

    /** The weight change last published while up. */
    private WeightChange published = WeightChange.NONE;

    /** A check that opens a connection (not a MISC_CHECK, whose script is prepared first, nor a FILE_CHECK). */
    public CheckRunner(CheckSpec check, EventLoop loop, Consumer<Verdict> verdicts) {
        this(check, loop, verdicts, check instanceof HttpCheck h ? new HttpProbe(h)
                : check instanceof SmtpCheck s ? new SmtpProbe(s)
                : check instanceof UdpCheck u ? new UdpProbe(u)
                : check instanceof DnsCheck d ? new DnsProbe(d)
                : new TcpProbe((TcpCheck) check));
    }

    CheckRunner(CheckSpec check, EventLoop loop, Consumer<Verdict> verdicts, Probe probe) {
        this.check = check;
        this.loop = loop;
        this.verdicts = verdicts;
        this.state = CheckerState.of(check);
        this.probe = probe;
    }

    public CheckSpec check() {
        return check;
    }

    /** Before {@link #start}: the state an equal check had decided before a reload. */
    void carryOver(boolean up, WeightChange weight) {
        state.carryOver(up);
        published = up ? weight : WeightChange.NONE;
    }

    /** Any thread: the first run after {@link #BOOTSTRAP_DELAY} plus {@code warmupShare} (0..1) of the warmup. */
    public void start(double warmupShare) {
        long delay = BOOTSTRAP_DELAY.toNanos() + (long) (check.timing().warmup().toNanos() * warmupShare);
        loop.execute(() -> schedule(delay));
    }

    /** Any thread; a run in progress ends without a verdict, and none comes once the future is done. */
    public io.netty.util.concurrent.Future<?> stop() {
        return loop.submit(() -> {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void schedule(long delayNanos) {
        if (!stopped) {
            next = loop.schedule(run, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void runOnce() {
        if (stopped) {
            return;
        }
        long started = System.nanoTime();
        probe.run(loop).addListener((Future<ProbeResult> f) -> ended(f.getNow(), started));
    }

    private void ended(ProbeResult result, long started) {
        if (stopped) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        CheckerState.Outcome outcome;
        if (result.passed()) {
            boolean cycleComplete = !(probe instanceof HttpProbe http) || http.cursor().passed();
            outcome = state.passed(cycleComplete);
        } else {
            if (probe instanceof HttpProbe http) {
                http.cursor().failed();
            }
            boolean wasUp = state.isUp();
            outcome = state.failed();
            if (wasUp && outcome.decidedUp() == null && check.timing().logAllFailures()) {
                CheckLog.failedTry(check, result.reason(), outcome.failuresInARow());
            }
        }
        if (outcome.decidedUp() != null) {
            published = outcome.decidedUp() ? result.weight() : WeightChange.NONE;
            verdicts.accept(new Verdict(check, outcome.decidedUp(), result.reason(), took, published));
        } else if (result.passed() && state.isUp() && state.isDecided() && !result.weight().equals(published)) {
            // Still up, with another weight (misc-dynamic's exit code changed).
            published = result.weight();
            verdicts.accept(new Verdict(check, true, result.reason(), took, published));
        }
        schedule(outcome.nextRun().toNanos());
    }
}
