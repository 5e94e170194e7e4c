package appliance.ipvs;

import appliance.codec.ipvs.IpvsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel's IPVS table equal to the desired one: at each change of what is desired it
 * reads the services that changed (1 + N dumps for those N alone, so that a real server's death
 * reaches the table at once whatever the table's size), and every {@code period} the whole
 * table (a service deleted by hand comes back); then it plans the fewest writes
 * ({@link TablePlan}) and makes them one by one. IPVS has no transactions: a write
 * the kernel refuses is logged with what it concerns, the others go on, and the next pass tries
 * again; {@link #differences()} says what still differs. Writes are idempotent as keepalived's:
 * EEXIST on an add and ENOENT/ESRCH on a delete are success, an edit of something missing is an
 * add. Passes never overlap: a change during a pass starts another one after it; a timer that
 * fires during a pass makes the next pass a whole one.
 *
 * <p>Threading: everything runs on the client's loop; {@link #desire} and {@link #stop} from any thread.
 */
public final class IpvsReconciler implements TableState {

    private static final Logger log = LoggerFactory.getLogger(IpvsReconciler.class);

    private final IpvsTable client;
    private final Duration period;
    private final LongAdder passes = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder refused = new LongAdder();

    // Confined to the loop.
    private List<DesiredService> desired = List.of();
    /** What {@link #desire} last gave, by service, to find what changed. */
    private Map<IpvsService.Key, DesiredService> lastDesired = Map.of();
    /** The services changed since the last pass started. */
    private final Set<IpvsService.Key> dirty = new HashSet<>();
    /** Whether the next pass reads the whole table: the first, the periodic ones, and after a failure. */
    private boolean full = true;
    /** The timer fired during a pass: a whole pass follows it at once. */
    private boolean periodicDue;
    private final Set<IpvsService.Key> ours = new HashSet<>();
    private boolean running;
    private boolean stopped;
    private ScheduledFuture<?> timer;
    private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);
    private volatile List<String> differences = List.of();

    public IpvsReconciler(IpvsTable client, Duration period) {
        this.client = client;
        this.period = period;
    }

    /** What the table should hold from now on (ours: every other service is left alone). Any thread. */
    public void desire(List<DesiredService> next) {
        List<DesiredService> copy = List.copyOf(next);
        client.eventLoop().execute(() -> {
            if (stopped) {
                return;
            }
            Map<IpvsService.Key, DesiredService> byKey = new java.util.LinkedHashMap<>();
            copy.forEach(d -> byKey.put(d.service().key(), d));
            Set<IpvsService.Key> keys = new HashSet<>(byKey.keySet());
            keys.addAll(lastDesired.keySet());
            for (IpvsService.Key k : keys) {
                if (!java.util.Objects.equals(byKey.get(k), lastDesired.get(k))) {
                    dirty.add(k);
                }
            }
            lastDesired = byKey;
            desired = copy;
            pass();
        });
    }

    /** Runs {@code task} on the reconciler's loop, where {@link #desire} is cheapest. Any thread. */
    public void execute(Runnable task) {
        client.eventLoop().execute(task);
    }

    /** Starts the periodic pass. */
    public void start() {
        client.eventLoop().execute(() -> {
            if (!stopped && timer == null) {
                timer = client.eventLoop().scheduleWithFixedDelay(() -> {
                    full = true;
                    periodicDue = running;
                    pass();
                }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    /**
     * No more passes; once the running one ends, {@code removeOurs} deletes every service this
     * reconciler put in the table (keepalived's default at stop). Completes when done.
     */
    public CompletableFuture<Void> stop(boolean removeOurs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
            idle.whenComplete((x, e) -> {
                if (!removeOurs || ours.isEmpty()) {
                    done.complete(null);
                    return;
                }
                apply(new ArrayList<>(ours.stream().map(k -> (TableWrite) new TableWrite.DeleteService(k)).toList()),
                        new ArrayList<>(), true).whenComplete((y, f) -> {
                            ours.clear();
                            done.complete(null);
                        });
            });
        });
        return done;
    }

    @Override
    public List<String> differences() {
        return differences;
    }

    @Override
    public long passes() {
        return passes.sum();
    }

    @Override
    public long writes() {
        return writes.sum();
    }

    @Override
    public long refusedWrites() {
        return refused.sum();
    }

    /** Completes when no pass runs (for tests and a graceful stop). Any thread. */
    public CompletableFuture<Void> settled() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.eventLoop().execute(() -> idle.whenComplete((x, e) -> done.complete(null)));
        return done;
    }

    private void pass() {
        if (running) {
            return; // the running pass looks at what is dirty when it ends
        }
        if (stopped) {
            return;
        }
        boolean whole = full;
        Set<IpvsService.Key> only = whole ? null : new HashSet<>(dirty);
        if (only != null && only.isEmpty()) {
            return;
        }
        full = false;
        dirty.clear();
        running = true;
        CompletableFuture<Void> thisPass = new CompletableFuture<>();
        idle = thisPass;
        List<DesiredService> target = whole ? desired
                : desired.stream().filter(d -> only.contains(d.service().key())).toList();
        Set<IpvsService.Key> ourPart = whole ? ours
                : ours.stream().filter(only::contains).collect(java.util.stream.Collectors.toSet());
        List<String> failed = new ArrayList<>();
        client.table(only).thenCompose(kernel -> {
            List<TableWrite> plan = TablePlan.plan(kernel, target, ourPart);
            for (DesiredService d : target) {
                ours.add(d.service().key());
            }
            return apply(plan, failed, false);
        }).whenComplete((x, e) -> {
            passes.increment();
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                failed.add("the pass: " + cause);
                log.warn("IPVS: the pass failed: {}; the next pass tries again", cause.toString());
            }
            differences = List.copyOf(failed);
            if (!failed.isEmpty()) {
                full = true; // the next pass, whatever starts it, sees the whole table
            }
            running = false;
            thisPass.complete(null);
            // What changed meanwhile goes now, and a whole pass the timer asked for meanwhile; a
            // failure waits for the next change or the timer.
            if ((!dirty.isEmpty() || periodicDue) && !stopped) {
                periodicDue = false;
                pass();
            }
        });
    }

    /**
     * Writes {@code plan} one at a time; a refusal is noted and the rest go on. A loop, not a
     * chain: a write the kernel answers at once completes within the send, and a chain of
     * thousands of them would nest as deep. Once stopped, only the stop's own plan ({@code
     * stopping}) is written.
     */
    private CompletableFuture<Void> apply(List<TableWrite> plan, List<String> failed, boolean stopping) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Object() {
            int next;

            void run() {
                while (next < plan.size()) {
                    if (stopped && !stopping) {
                        break;
                    }
                    TableWrite w = plan.get(next++);
                    CompletableFuture<Void> write;
                    try {
                        write = idempotent(w);
                    } catch (RuntimeException e) { // an encoder's refusal: this write, not the rest
                        write = CompletableFuture.failedFuture(e);
                    }
                    if (!write.isDone()) {
                        write.whenComplete((x, e) -> {
                            noted(w, e, failed);
                            run();
                        });
                        return;
                    }
                    noted(w, write.handle((x, e) -> e).join(), failed);
                }
                done.complete(null);
            }
        }.run();
        return done;
    }

    private void noted(TableWrite w, Throwable e, List<String> failed) {
        writes.increment();
        if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            refused.increment();
            failed.add(String.valueOf(cause.getMessage()));
            log.warn("{}; the next pass tries again", cause.getMessage());
        } else {
            log.info("IPVS: {}", w);
            if (w instanceof TableWrite.DeleteService d) {
                ours.remove(d.service());
            }
        }
    }

    /** keepalived's rules: EEXIST on an add and ENOENT/ESRCH on a delete are success; an edit of something missing adds it. */
    private CompletableFuture<Void> idempotent(TableWrite w) {
        return client.write(w).handle((x, e) -> e).thenCompose(e -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            int errno = errno(e);
            if ((w instanceof TableWrite.AddService || w instanceof TableWrite.AddDestination) && errno == IpvsClient.EEXIST) {
                dirty.add(w.service()); // it is there, maybe not as desired: look again
                return CompletableFuture.<Void>completedFuture(null);
            }
            if ((w instanceof TableWrite.DeleteService || w instanceof TableWrite.DeleteDestination)
                    && (errno == IpvsClient.ENOENT || errno == IpvsClient.ESRCH)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (w instanceof TableWrite.EditService s && errno == IpvsClient.ESRCH) {
                dirty.add(w.service()); // gone meanwhile: added bare, its destinations come in the next pass
                return client.write(new TableWrite.AddService(s.desired()));
            }
            if (w instanceof TableWrite.EditDestination d && errno == IpvsClient.ENOENT) {
                return client.write(new TableWrite.AddDestination(d.service(), d.desired()));
            }
            return CompletableFuture.<Void>failedFuture(e);
        });
    }

    private static int errno(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof IpvsException i ? i.errno() : 0;
    }
}
