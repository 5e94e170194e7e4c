package appliance.script;

import appliance.nativeio.Accounts;
import appliance.nativeio.NativeException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keepalived's scripts as keepalived does, off the event loops: each in a session and
 * process group of its own (util-linux {@code setsid}), as its configured user and group with
 * only that group ({@code setpriv}), with SIGTERM sent to it should this process die, input from
 * /dev/null and output discarded so that it can never block. At its timeout the whole group gets
 * SIGTERM and, two seconds later, SIGKILL (keepalived's steps); a timed-out script's leftover
 * children are killed too.
 */
public final class ScriptRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
    /** keepalived's wait between SIGTERM and SIGKILL. */
    private static final long KILL_AFTER_MILLIS = 2000;
    private static final long CLOSE_GRACE_MILLIS = 200;
    private static final File DEV_NULL = new File("/dev/null");

    /** How a run ended: an exit status, a timeout, or a failure to start at all. */
    public record Outcome(int exitStatus, boolean timedOut, String error) {
        public boolean success() {
            return exitStatus == 0 && !timedOut && error == null;
        }

        /** keepalived's words for a failure: "timed_out", "exited with status 1". */
        public String describe() {
            if (error != null) {
                return "could not run: " + error;
            }
            if (timedOut) {
                return "timed_out";
            }
            return exitStatus > 128 ? "exited with status " + exitStatus + " (signal " + (exitStatus - 128) + "?)"
                    : "exited with status " + exitStatus;
        }
    }

    /**
     * One thread that spawns and times out every script: the parent-death signal follows the
     * thread that spawned, so it must outlive the scripts.
     */
    private final ScheduledExecutorService thread;
    private final Map<Long, Process> running = new ConcurrentHashMap<>();

    public ScriptRunner(String threadName) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The runner's thread, for callers that keep their own state on it. */
    public ScheduledExecutorService thread() {
        return thread;
    }

    /** Starts {@code script} (from any thread); the outcome completes on the runner's thread. */
    public CompletableFuture<Outcome> run(PreparedScript script, Duration timeout) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        thread.execute(() -> start(script, timeout, outcome));
        return outcome;
    }

    private void start(PreparedScript script, Duration timeout, CompletableFuture<Outcome> outcome) {
        Process p;
        try {
            p = new ProcessBuilder(commandLine(script)).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        } catch (IOException e) {
            outcome.complete(new Outcome(-1, false, e.getMessage()));
            return;
        }
        long group = p.pid();
        running.put(group, p);
        boolean[] timedOut = new boolean[1];
        var term = thread.schedule(() -> {
            if (p.isAlive()) {
                timedOut[0] = true;
                signal(group, Accounts.SIGTERM);
                thread.schedule(() -> {
                    if (p.isAlive()) {
                        signal(group, Accounts.SIGKILL);
                    }
                }, KILL_AFTER_MILLIS, TimeUnit.MILLISECONDS);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        p.onExit().thenAcceptAsync(done -> {
            term.cancel(false);
            running.remove(group);
            if (timedOut[0]) {
                // The script is gone; whatever it started in its group goes with it.
                signal(group, Accounts.SIGKILL);
            }
            outcome.complete(new Outcome(done.exitValue(), timedOut[0], null));
        }, thread);
    }

    private static List<String> commandLine(PreparedScript script) {
        List<String> cmd = new ArrayList<>(List.of("setsid", "setpriv", "--pdeathsig=TERM"));
        if (script.asOther()) {
            cmd.addAll(List.of("--reuid=" + script.uid(), "--regid=" + script.gid(), "--groups=" + script.gid()));
        }
        cmd.add("--");
        cmd.addAll(script.arguments());
        return cmd;
    }

    private static void signal(long group, int signal) {
        try {
            Accounts.signalGroup(group, signal);
        } catch (NativeException e) {
            log.warn("cannot signal script process group {}: {}", group, e.getMessage());
        }
    }

    /**
     * Ends every script still running: SIGTERM to its group, as keepalived at shutdown, then
     * SIGKILL to what is left of the group after a short grace (keepalived leaves a child that
     * ignores SIGTERM running), then the thread.
     */
    @Override
    public void close() {
        List<Long> groups = List.copyOf(running.keySet());
        for (Long group : groups) {
            signal(group, Accounts.SIGTERM);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        for (Long group : groups) {
            Process p = running.get(group);
            if (p != null) {
                try {
                    p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Accounts.signalGroup(group, Accounts.SIGKILL);
            } catch (NativeException e) {
                log.debug("script process group {} at stop: {}", group, e.getMessage());
            }
        }
        thread.shutdownNow();
    }
}
