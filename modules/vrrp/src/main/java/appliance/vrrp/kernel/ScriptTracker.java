package appliance.vrrp.kernel;

import appliance.script.ScriptRunner;
import appliance.script.PreparedScript;
import appliance.vrrp.ScriptResults;
import appliance.vrrp.TrackedScript;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.VrrpScript;
import io.netty.channel.IoEventLoop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code track_script}: every script that an instance tracks runs once per interval
 * (a fixed rate, first at start; a run still going when the next is due is not doubled), through
 * the {@link ScriptRunner}, whose thread alone keeps the rise/fall counts. A change of good/bad is
 * turned into weights and weight-0 faults on the loops of the instances tracking it.
 */
final class ScriptTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptTracker.class);

    /** What the instances see of a script: before its first result, unknown. */
    private record Verdict(boolean known, boolean good) {
        static final Verdict UNKNOWN = new Verdict(false, false);
    }

    private final class Tracked {
        final VrrpScript script;
        final PreparedScript prepared;
        final ScriptResults results;
        volatile Verdict verdict;
        boolean running;
        int lastStatus = Integer.MIN_VALUE;

        Tracked(VrrpScript script, PreparedScript prepared) {
            this.script = script;
            this.prepared = prepared;
            this.results = new ScriptResults(script);
            this.verdict = prepared == null ? new Verdict(true, false)
                    : results.isKnown() ? new Verdict(true, results.isGood()) : Verdict.UNKNOWN;
        }

        /** On the runner's thread. */
        void due() {
            if (running) {
                log.info("Track script {} is already running, expect idle - skipping run", script.name());
                return;
            }
            running = true;
            runner.run(prepared, script.effectiveTimeout()).thenAccept(this::ended);
        }

        /** On the runner's thread. */
        private void ended(ScriptRunner.Outcome outcome) {
            running = false;
            if (closed) {
                return;
            }
            int status = outcome.timedOut() || outcome.error() != null ? -1 : outcome.exitStatus();
            if (status != lastStatus && status >= 0) {
                log.info("Script `{}` now returning {}", script.name(), status);
            }
            lastStatus = status;
            if (!results.record(outcome.success())) {
                return;
            }
            if (results.isGood()) {
                log.info("VRRP_Script({}) succeeded", script.name());
            } else {
                log.info("VRRP_Script({}) {}", script.name(), outcome.timedOut() ? "timed_out"
                        : "failed (" + outcome.describe() + ")");
            }
            verdict = new Verdict(true, results.isGood());
            trackings.changed(s -> s.name().equals(script.name()));
        }
    }

    private final ScriptRunner runner;
    private final Map<String, Tracked> scripts = new LinkedHashMap<>();
    private final Trackings<TrackedScript> trackings = new Trackings<>(this::apply);
    private volatile boolean closed;

    ScriptTracker(ScriptRunner runner) {
        this.runner = runner;
    }

    /** Before {@link #start()}: a script, once, however many instances track it. */
    void script(VrrpScript script, PreparedScript prepared) {
        scripts.putIfAbsent(script.name(), new Tracked(script, prepared));
    }

    /**
     * Before {@link #start()}: a script that cannot run here (missing, not executable, unsafe, no
     * such user). keepalived disables it; here it counts as failing, so that an instance tracking
     * it with weight 0 is in FAULT rather than master on a check that never ran.
     */
    void cannotRun(VrrpScript script, String reason) {
        log.error("VRRP_Script({}) cannot run: {}; it counts as failing until a reload or restart finds it runnable",
                script.name(), reason);
        scripts.putIfAbsent(script.name(), new Tracked(script, null));
    }

    /** Whether the script is known already (its checks need not be made again). */
    boolean has(String name) {
        return scripts.containsKey(name);
    }

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedScript> tracked) {
        trackings.add(router, loop, tracked);
    }

    /** A reload removed the instance. */
    void remove(VirtualRouter router) {
        trackings.remove(router);
    }

    boolean isEmpty() {
        return trackings.isEmpty();
    }

    /** On a router's loop, before its startup: a script not run yet holds a weight-0 tracker in FAULT. */
    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    void start() {
        for (Tracked t : scripts.values()) {
            if (t.prepared == null) {
                continue;
            }
            long interval = t.script.interval().toNanos();
            runner.thread().scheduleAtFixedRate(t::due, 0, interval, TimeUnit.NANOSECONDS);
        }
    }

    private void apply(Trackings.Tracking<TrackedScript> t) {
        for (TrackedScript s : t.tracked()) {
            Tracked script = scripts.get(s.name());
            Verdict v = script.verdict;
            if (!v.known()) {
                t.router().trackedWeight(s.description(), 0);
                t.router().trackedDown(s.description() + " (not run yet)", s.weightIn(script.script) == 0);
                continue;
            }
            // The real verdict first, so that a FAULT held since start is not left for a moment.
            t.router().trackedWeight(s.description(), s.weightWhen(script.script, v.good()));
            t.router().trackedDown(s.description(), s.faultWhen(script.script, v.good()));
            t.router().trackedDown(s.description() + " (not run yet)", false);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
