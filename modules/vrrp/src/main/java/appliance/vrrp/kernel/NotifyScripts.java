package appliance.vrrp.kernel;

import appliance.vrrp.Notify;
import appliance.vrrp.VrrpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's notify scripts, run off the event loops: per instance strictly in the order of its
 * transitions (one thread per instance; keepalived forks them and promises no order), each with a
 * timeout after which it is killed, its output discarded so that it can never block. For every
 * transition: the state's own script, then the generic one with {@code INSTANCE NAME STATE
 * PRIORITY} appended, as keepalived runs them.
 */
final class NotifyScripts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifyScripts.class);
    /** keepalived gives notify_stop one second at shutdown. */
    private static final long STOP_TIMEOUT_SECONDS = 1;

    private final long timeoutSeconds;
    private final Map<String, ExecutorService> perInstance = new ConcurrentHashMap<>();
    /** keepalived's notify_fifo, opened read-write so that opening never waits for a reader; null when none. */
    private java.io.RandomAccessFile fifo;
    private Path fifoPath;

    NotifyScripts(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * keepalived's notify_fifo: made (mkfifo) when missing, then every transition is written to
     * it as {@code INSTANCE "VI_1" MASTER 100}. Off the loops, at start.
     */
    void fifo(Path path) throws IOException {
        if (!Files.exists(path)) {
            Process p = new ProcessBuilder("mkfifo", "-m", "0600", path.toString()).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("mkfifo " + path + " failed: "
                            + new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        fifo = new java.io.RandomAccessFile(path.toFile(), "rw");
        fifoPath = path;
    }

    /** From the router's loop: queues the instance's scripts (and FIFO line) for entering {@code state}. */
    void stateChanged(String instance, Notify notify, VrrpState state, int priority) {
        if (state == VrrpState.INITIALIZE || notify.isEmpty() && fifo == null) {
            return;
        }
        queue(instance, notify, notify.forState(state), state.keepalivedName(), priority, timeoutSeconds);
    }

    /** At stop: notify_stop and the generic script with STOP, waiting for them at most a second. */
    void stopped(String instance, Notify notify, int priority) {
        if (notify.isEmpty() && fifo == null) {
            return;
        }
        queue(instance, notify, notify.stop(), "STOP", priority, STOP_TIMEOUT_SECONDS);
    }

    private void writeFifo(String instance, String state, int priority) {
        java.io.RandomAccessFile f = fifo;
        if (f == null) {
            return;
        }
        byte[] line = ("INSTANCE \"" + instance + "\" " + state + " " + priority + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            synchronized (f) {
                f.write(line);
            }
        } catch (IOException e) {
            log.warn("notify FIFO {}: {}", fifoPath, e.getMessage());
        }
    }

    private void queue(String instance, Notify notify, Optional<String> script, String state, int priority,
                       long timeout) {
        ExecutorService thread = perInstance.computeIfAbsent(instance, k -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vrrp-notify-" + k);
            t.setDaemon(true);
            return t;
        }));
        thread.execute(() -> {
            writeFifo(instance, state, priority);
            script.ifPresent(s -> run(instance, Notify.split(s), timeout));
            notify.generic().ifPresent(g -> {
                List<String> args = new ArrayList<>(Notify.split(g));
                args.addAll(List.of("INSTANCE", instance, state, Integer.toString(priority)));
                run(instance, args, timeout);
            });
        });
    }

    private static void run(String instance, List<String> args, long timeoutSeconds) {
        Path program = Path.of(args.get(0));
        if (!Files.isExecutable(program)) {
            log.error("({}) notify script {} is missing or not executable", instance, program);
            return;
        }
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                            new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                log.warn("({}) notify script {} ran over {} s and was killed", instance, args, timeoutSeconds);
            } else if (p.exitValue() != 0) {
                log.warn("({}) notify script {} exited with {}", instance, args, p.exitValue());
            }
        } catch (IOException e) {
            log.error("({}) cannot run notify script {}: {}", instance, args, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets queued scripts finish (the STOP ones included), at most a few seconds. */
    @Override
    public void close() {
        for (ExecutorService e : perInstance.values()) {
            e.shutdown();
        }
        for (ExecutorService e : perInstance.values()) {
            try {
                if (!e.awaitTermination(STOP_TIMEOUT_SECONDS + 2, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (fifo != null) {
            try {
                fifo.close();
            } catch (IOException e) {
                log.debug("closing the notify FIFO: {}", e.getMessage());
            }
        }
    }
}
