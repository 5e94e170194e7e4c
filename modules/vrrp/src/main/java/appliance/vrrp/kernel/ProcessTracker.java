package appliance.vrrp.kernel;

import appliance.codec.netlink.ProcEvent;
import appliance.nativeio.NativeException;
import appliance.nativeio.ProcessConnector;
import appliance.vrrp.TrackedProcess;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.VrrpProcess;
import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code track_process}: the processes that match each tracked definition, counted
 * from /proc once at start and then kept from the kernel's process connector (exec, name change,
 * fork, exit), never polled. The connector's events arrive on a loop and are handed to a thread
 * of their own, which alone keeps the counts (reading /proc is not for a loop); a quorum gained or
 * lost is applied once it has lasted its delay, as weights and weight-0 faults on the loops of the
 * instances tracking it.
 */
final class ProcessTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessTracker.class);
    private static final Path PROC = Path.of("/proc");

    /** One definition's matching processes; on the tracker's thread, but {@link #up} is read by the loops. */
    private static final class Watched {
        final VrrpProcess process;
        final Set<Integer> pids = new HashSet<>();
        volatile boolean up;
        ScheduledFuture<?> pending;

        Watched(VrrpProcess process) {
            this.process = process;
        }
    }

    private final Map<String, Watched> watched = new LinkedHashMap<>();
    private final Trackings<TrackedProcess> trackings = new Trackings<>(this::apply);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vrrp-track-processes"));
    private ProcessConnector connector;
    private boolean needsCommandLine;

    void process(VrrpProcess process) {
        watched.putIfAbsent(process.name(), new Watched(process));
        needsCommandLine |= process.fullCommand() || process.paramMatch().isPresent();
    }

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedProcess> tracked) {
        trackings.add(router, loop, tracked);
    }

    /** A reload removed the instance. */
    void remove(VirtualRouter router) {
        trackings.remove(router);
    }

    boolean isEmpty() {
        return trackings.isEmpty();
    }

    /**
     * Off the loops, at start: subscribes to the connector first, then counts from /proc, so that
     * nothing between the two is missed (events queue behind the count on the tracker's thread).
     *
     * @throws NativeException EPROTONOSUPPORT outside the initial network namespace
     */
    void start(IoEventLoop loop) throws NativeException {
        connector = ProcessConnector.open(loop, e -> thread.execute(() -> event(e)), () -> thread.execute(this::count));
        try {
            thread.submit(this::count).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("counting processes in /proc: {}", e.toString());
        }
        for (Watched w : watched.values()) {
            w.up = w.process.isUp(w.pids.size());
            log.info("Tracked process {}: {} running, quorum {}", w.process.name(), w.pids.size(),
                    w.up ? "reached" : "not reached");
        }
    }

    /** On a router's loop, before its startup. */
    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    /** Counts every definition from /proc afresh (at start, and after the connector lost events). */
    private void count() {
        watched.values().forEach(w -> w.pids.clear());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    look(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            log.warn("cannot list /proc: {}", e.getMessage());
        }
        watched.values().forEach(this::evaluate);
    }

    private void event(ProcEvent e) {
        if (!e.isProcess() || e.kind() == ProcEvent.Kind.OTHER) {
            return;
        }
        if (e.kind() == ProcEvent.Kind.EXIT) {
            for (Watched w : watched.values()) {
                if (w.pids.remove(e.pid())) {
                    evaluate(w);
                }
            }
            return;
        }
        look(e.pid());
        watched.values().forEach(this::evaluate);
    }

    /** Reads one process's name (and command line when a definition needs it) and files it under what it matches. */
    private void look(int pid) {
        String comm;
        List<String> argv = List.of();
        try {
            comm = Files.readString(PROC.resolve(pid + "/comm"), StandardCharsets.UTF_8).strip();
            if (needsCommandLine) {
                byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/cmdline"));
                argv = raw.length == 0 ? List.of() : List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            // Gone already: its exit event follows, or came first.
            watched.values().forEach(w -> w.pids.remove(pid));
            return;
        }
        for (Watched w : watched.values()) {
            if (w.process.matches(comm, argv)) {
                w.pids.add(pid);
            } else {
                w.pids.remove(pid);
            }
        }
    }

    /** After a count changed: a quorum gained or lost counts once it has lasted its delay. */
    private void evaluate(Watched w) {
        boolean up = w.process.isUp(w.pids.size());
        if (up == w.up) {
            if (w.pending != null) {
                w.pending.cancel(false);
                w.pending = null;
            }
            return;
        }
        if (w.pending != null) {
            return;
        }
        long delay = (up ? w.process.forkDelay() : w.process.terminateDelay()).toNanos();
        if (delay == 0) {
            declare(w, up);
        } else {
            w.pending = thread.schedule(() -> {
                w.pending = null;
                if (w.process.isUp(w.pids.size()) == up) {
                    declare(w, up);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void declare(Watched w, boolean up) {
        w.up = up;
        log.info("Quorum {} for tracked process {} ({} running)", up ? "gained" : "lost", w.process.name(), w.pids.size());
        trackings.changed(p -> p.name().equals(w.process.name()));
    }

    private void apply(Trackings.Tracking<TrackedProcess> t) {
        for (TrackedProcess p : t.tracked()) {
            Watched w = watched.get(p.name());
            boolean up = w.up;
            t.router().trackedWeight(p.description(), p.weightWhen(w.process, up));
            t.router().trackedDown(p.description(), p.faultWhen(w.process, up));
        }
    }

    @Override
    public void close() {
        if (connector != null) {
            connector.close();
        }
        thread.shutdownNow();
    }
}
