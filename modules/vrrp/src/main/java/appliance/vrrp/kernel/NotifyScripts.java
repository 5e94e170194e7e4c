package appliance.vrrp.kernel;

import appliance.script.ScriptRunner;
import appliance.script.PreparedScript;
import appliance.script.ScriptAccess;
import appliance.vrrp.Notify;
import appliance.vrrp.VrrpState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's notify scripts and notify FIFO, off the event loops. Per instance the scripts run
 * strictly in the order of its transitions (keepalived forks them and promises no order), each
 * through the {@link ScriptRunner} (own process group, configured user, a timeout). For every
 * transition: the state's own script, then the generic one with {@code INSTANCE NAME STATE
 * PRIORITY} appended ({@code GROUP NAME STATE 0} for a sync group), as keepalived runs them.
 */
final class NotifyScripts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifyScripts.class);
    /** keepalived gives notify_stop one second at shutdown. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

    /** An instance's scripts, checked at start. */
    record Prepared(Optional<PreparedScript> master, Optional<PreparedScript> backup, Optional<PreparedScript> fault,
                    Optional<PreparedScript> stop, Optional<PreparedScript> generic) {
        static final Prepared NONE = new Prepared(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        boolean isEmpty() {
            return List.of(master, backup, fault, stop, generic).stream().allMatch(Optional::isEmpty);
        }

        Optional<PreparedScript> forState(VrrpState state) {
            return switch (state) {
                case MASTER -> master;
                case BACKUP -> backup;
                case FAULT -> fault;
                default -> Optional.empty();
            };
        }
    }

    private final Duration timeout;
    private final ScriptRunner runner;
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();
    /** Per instance, the end of its queue of scripts. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    /** A FIFO write blocks while the pipe is full and nobody reads: never on the runner's thread. */
    private final ExecutorService fifoWriter = Executors.newSingleThreadExecutor(DaemonThreads.named("vrrp-notify-fifo"));
    private RandomAccessFile fifo;
    private Path fifoPath;
    private appliance.vrrp.AlertSender alerts;
    private boolean noEmailFaults;
    /** Who has smtp-alert on ("INSTANCE VI_1"), and the state last mailed for each (keepalived's last_email_state). */
    private final Map<String, String> lastMailed = new ConcurrentHashMap<>();

    NotifyScripts(Duration timeout, ScriptRunner runner) {
        this.timeout = timeout;
        this.runner = runner;
    }

    /** keepalived's two kinds of notified things. */
    static final String INSTANCE = "INSTANCE";
    static final String GROUP = "GROUP";

    /** Where smtp-alert e-mails go; {@code noEmailFaults}: keepalived's no_email_faults. Before start. */
    void alerts(appliance.vrrp.AlertSender sender, boolean noEmailFaults) {
        this.alerts = sender;
        this.noEmailFaults = noEmailFaults;
    }

    /** At start: checks the scripts of an instance or group (missing, not executable, unsafe) and keeps them ready. */
    void prepare(String kind, String name, Notify notify, ScriptAccess access) {
        // Again at a reload: the last state mailed is kept, scripts no longer configured are dropped.
        if (notify.smtpAlert()) {
            lastMailed.putIfAbsent(kind + " " + name, "");
        } else {
            lastMailed.remove(kind + " " + name);
        }
        if (notify.isEmpty()) {
            prepared.remove(kind + " " + name);
            return;
        }
        String who = "(" + name + ")";
        prepared.put(kind + " " + name, new Prepared(prepare(who, notify.master(), access),
                prepare(who, notify.backup(), access), prepare(who, notify.fault(), access),
                prepare(who, notify.stop(), access), prepare(who, notify.generic(), access)));
    }

    /** A script that cannot run here is logged and left out, as keepalived disables it. */
    private static Optional<PreparedScript> prepare(String who, Optional<String> command, ScriptAccess access) {
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(access.prepare(Notify.split(command.get()), Optional.empty()));
        } catch (ScriptAccess.ScriptException e) {
            log.error("{} notify script \"{}\" cannot run: {}; it will not be run until a reload or restart finds it"
                    + " runnable", who, command.get(), e.getMessage());
            return Optional.empty();
        }
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
                            + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        // Read-write, so that opening never waits for a reader.
        fifo = new RandomAccessFile(path.toFile(), "rw");
        fifoPath = path;
    }

    /** From the router's (or group's) loop: queues the scripts (and FIFO line) for entering {@code state}. */
    void stateChanged(String kind, String name, VrrpState state, int priority) {
        if (state == VrrpState.INITIALIZE) {
            return;
        }
        Prepared p = prepared.getOrDefault(kind + " " + name, Prepared.NONE);
        writeFifo(kind, name, state.keepalivedName(), priority);
        queue(kind, name, p, p.forState(state), state.keepalivedName(), priority, timeout);
        mail(kind, name, state.keepalivedName());
    }

    /** At stop: notify_stop and the generic script with STOP, each given a second. */
    void stopped(String kind, String name, int priority) {
        Prepared p = prepared.getOrDefault(kind + " " + name, Prepared.NONE);
        writeFifo(kind, name, "STOP", priority);
        queue(kind, name, p, p.stop(), "STOP", priority, STOP_TIMEOUT);
        mail(kind, name, "STOP");
    }

    /** keepalived's smtp_alert: its subjects and bodies, once per state change. */
    private void mail(String kind, String name, String state) {
        String key = kind + " " + name;
        String last = lastMailed.get(key);
        if (alerts == null || last == null || last.equals(state) || noEmailFaults && state.equals("FAULT")) {
            return;
        }
        lastMailed.put(key, state);
        boolean group = kind.equals(GROUP);
        String what = switch (state) {
            case "MASTER" -> "Entering MASTER state";
            case "BACKUP" -> "Entering BACKUP state";
            case "FAULT" -> "Entering FAULT state";
            default -> "Stopping";
        };
        String body;
        if (group) {
            body = state.equals("STOP") ? "=> All VRRP group instances are now stopping <="
                    : "=> All VRRP group instances are now in " + state + " state <=";
        } else {
            body = switch (state) {
                case "MASTER" -> "=> VRRP Instance is now owning VRRP VIPs <=";
                case "STOP" -> "=> VRRP Instance stopping <=";
                default -> "=> VRRP Instance is no longer owning VRRP VIPs <=";
            };
        }
        try {
            alerts.send((group ? "VRRP Group " : "VRRP Instance ") + name + " - " + what, body);
        } catch (RuntimeException e) {
            log.warn("({}) e-mail alert: {}", name, e.toString());
        }
    }

    private void writeFifo(String kind, String name, String state, int priority) {
        RandomAccessFile f = fifo;
        if (f == null) {
            return;
        }
        byte[] line = (kind + " \"" + name + "\" " + state + " " + priority + "\n").getBytes(StandardCharsets.UTF_8);
        fifoWriter.execute(() -> {
            try {
                f.write(line);
            } catch (IOException e) {
                log.warn("notify FIFO {}: {}", fifoPath, e.getMessage());
            }
        });
    }

    private void queue(String kind, String name, Prepared p, Optional<PreparedScript> script, String state,
                       int priority, Duration limit) {
        if (script.isEmpty() && p.generic().isEmpty()) {
            return;
        }
        String instance = kind + " " + name;
        Optional<PreparedScript> generic = p.generic().map(g -> g.withArguments(
                List.of(kind, name, state, Integer.toString(priority))));
        tails.compute(instance, (k, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .thenCompose(x -> run(instance, script, limit))
                .thenCompose(x -> run(instance, generic, limit)));
    }

    private CompletableFuture<Void> run(String instance, Optional<PreparedScript> script, Duration limit) {
        if (script.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> args = script.get().arguments();
        return runner.run(script.get(), limit).handle((outcome, err) -> {
            if (err != null) {
                log.error("({}) notify script {}: {}", instance, args, err.getMessage());
            } else if (outcome.timedOut()) {
                log.warn("({}) notify script {} ran over {} ms and was killed", instance, args, limit.toMillis());
            } else if (!outcome.success()) {
                log.warn("({}) notify script {} {}", instance, args, outcome.describe());
            }
            return null;
        });
    }

    /** Lets queued scripts finish (the STOP ones included), at most a few seconds. */
    @Override
    public void close() {
        CompletableFuture<?>[] all = tails.values().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(STOP_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("notify scripts still queued at stop: {}", e.toString());
        }
        fifoWriter.shutdown();
        try {
            fifoWriter.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
