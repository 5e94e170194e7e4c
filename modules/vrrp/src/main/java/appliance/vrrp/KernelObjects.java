package appliance.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A set of kernel objects (virtual addresses, virtual routes) kept as their owner wants them: all
 * present, or all absent. A refused add or delete is retried with backoff (10 ms doubling to 1 s)
 * until it holds or the wish changes; the owner hears of failures and of the moment all are held.
 *
 * <p>Single-threaded: every method and every completion of the {@link Kernel}'s futures runs on
 * the owner's thread. Completions of superseded operations are ignored: the kernel applies the
 * requests of one socket in order, so the latest one tells the final state.
 *
 * @param <T> what is installed, compared by value
 */
public final class KernelObjects<T> {

    /** First retry 10 ms after a failure: at 10 ms adverts Master_Down_Interval leaves room for a few. */
    static final long FIRST_RETRY_NANOS = 10_000_000L;
    static final long MAX_RETRY_NANOS = 1_000_000_000L;

    /** The kernel as the set sees it: the seam a test replaces with a kernel that refuses. */
    public interface Kernel<T> {
        /** Completes when the object is in the kernel (already there counts), or fails with the kernel's error. */
        CompletableFuture<Void> add(T object);

        /** Completes when it is gone (already absent counts), or fails. */
        CompletableFuture<Void> remove(T object);
    }

    /** What the owner hears; called on its thread, possibly from inside {@link #install()}. */
    public interface Listener<T> {
        void allHeld();

        /** @param failures the object's failures in a row, this one included: 1 starts a streak */
        void addFailed(T object, String error, int failures);

        void removeFailed(T object, String error, int failures);
    }

    private enum Known { ABSENT, PRESENT, UNKNOWN }

    private final TimerService timers;
    private final Kernel<T> kernel;
    private Listener<T> listener;
    private Consumer<T> onAdded = t -> { };
    private final List<Entry<T>> entries = new ArrayList<>();
    private boolean wantPresent;
    private boolean closed;
    private CompletableFuture<Void> removed = CompletableFuture.completedFuture(null);

    public KernelObjects(List<T> objects, TimerService timers, Kernel<T> kernel) {
        this.timers = Objects.requireNonNull(timers);
        this.kernel = Objects.requireNonNull(kernel);
        for (T o : objects) {
            entries.add(new Entry<>(o));
        }
        this.listener = new Listener<>() {
            @Override public void allHeld() { }
            @Override public void addFailed(T object, String error, int failures) { }
            @Override public void removeFailed(T object, String error, int failures) { }
        };
    }

    /** Set once, before the first {@link #install()}. */
    public void listener(Listener<T> listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Called each time the kernel confirms an add. */
    void onAdded(Consumer<T> onAdded) {
        this.onAdded = Objects.requireNonNull(onAdded);
    }

    /** Wants every object present: adds those not confirmed present, retrying each until it holds or {@link #uninstall()}. */
    public void install() {
        wantPresent = true;
        for (Entry<T> e : entries) {
            e.cancelRetry();
            e.backoff = FIRST_RETRY_NANOS;
            if (e.known != Known.PRESENT || e.inFlight) {
                add(e);
            }
        }
        reportIfAllHeld();
    }

    /** Wants every object absent: deletes each, retrying until the kernel confirms. */
    public void uninstall() {
        wantPresent = false;
        boolean allAbsent = allAbsent();
        for (Entry<T> e : entries) {
            e.cancelRetry();
            e.backoff = FIRST_RETRY_NANOS;
        }
        if (removed.isDone()) {
            removed = new CompletableFuture<>();
        }
        for (Entry<T> e : entries) {
            if (e.known != Known.ABSENT || e.inFlight) {
                remove(e);
            }
        }
        if (allAbsent) {
            removed.complete(null);
        }
    }

    public boolean wantsPresent() {
        return wantPresent;
    }

    /** The objects the kernel confirmed present, with no request for them outstanding. */
    public List<T> held() {
        List<T> held = new ArrayList<>(entries.size());
        for (Entry<T> e : entries) {
            if (e.known == Known.PRESENT && !e.inFlight) {
                held.add(e.object);
            }
        }
        return held;
    }

    /** Every object, in the order given. */
    public List<T> all() {
        List<T> all = new ArrayList<>(entries.size());
        for (Entry<T> e : entries) {
            all.add(e.object);
        }
        return all;
    }

    /** Completes once the kernel confirmed every object absent after the latest {@link #uninstall()}. */
    public CompletableFuture<Void> removed() {
        return removed;
    }

    /** Whether every object is confirmed present. */
    public boolean allHeld() {
        return held().size() == entries.size();
    }

    private boolean allAbsent() {
        for (Entry<T> e : entries) {
            if (e.known != Known.ABSENT || e.inFlight) {
                return false;
            }
        }
        return true;
    }

    /**
     * The kernel reports {@code object} gone (deleted by hand, or with its interface): while it is
     * wanted it is added again, with the usual retries. An object that is not one of ours, or not
     * wanted, is ignored.
     */
    public void lost(T object) {
        for (Entry<T> e : entries) {
            if (e.object.equals(object) && !closed) {
                if (e.inFlight) {
                    return; // an answer is coming, and a retry follows a failure
                }
                e.known = Known.ABSENT;
                if (wantPresent) {
                    e.cancelRetry();
                    e.backoff = FIRST_RETRY_NANOS;
                    add(e);
                }
                return;
            }
        }
    }

    /**
     * A reload looks at the kernel, not at what it was told before (keepalived #1877): while the
     * objects are wanted, each is added again, and the kernel's "exists" is a success, so one
     * deleted by hand without a notification seen comes back.
     */
    public void reassert() {
        if (!wantPresent || closed) {
            return;
        }
        for (Entry<T> e : entries) {
            if (!e.inFlight) {
                e.cancelRetry();
                e.backoff = FIRST_RETRY_NANOS;
                add(e);
            }
        }
    }

    /** Stops retrying and ignores outstanding answers; the objects stay as they are. */
    public void close() {
        closed = true;
        entries.forEach(Entry::cancelRetry);
    }

    private void add(Entry<T> e) {
        int op = ++e.operation;
        e.inFlight = true;
        kernel.add(e.object).whenComplete((ok, error) -> added(e, op, error));
    }

    private void remove(Entry<T> e) {
        int op = ++e.operation;
        e.inFlight = true;
        kernel.remove(e.object).whenComplete((ok, error) -> removedOne(e, op, error));
    }

    private void added(Entry<T> e, int op, Throwable error) {
        if (closed || op != e.operation) {
            return;
        }
        e.inFlight = false;
        if (error == null) {
            e.known = Known.PRESENT;
            e.failures = 0;
            if (wantPresent) {
                onAdded.accept(e.object);
            }
            reportIfAllHeld();
            return;
        }
        // A timed-out add may still have been applied: the object is in an unknown state until an answer says.
        e.known = Known.UNKNOWN;
        listener.addFailed(e.object, describe(error), ++e.failures);
        if (wantPresent) {
            retryLater(e);
        }
    }

    private void removedOne(Entry<T> e, int op, Throwable error) {
        if (closed || op != e.operation) {
            return;
        }
        e.inFlight = false;
        if (error == null) {
            e.known = Known.ABSENT;
            e.failures = 0;
            if (!wantPresent && allAbsent()) {
                removed.complete(null);
            }
            return;
        }
        e.known = Known.UNKNOWN;
        listener.removeFailed(e.object, describe(error), ++e.failures);
        if (!wantPresent) {
            retryLater(e);
        }
    }

    private void retryLater(Entry<T> e) {
        e.cancelRetry();
        long delay = e.backoff;
        e.backoff = Math.min(e.backoff * 2, MAX_RETRY_NANOS);
        e.retry = timers.schedule(delay, () -> {
            e.retry = null;
            if (closed || e.inFlight) {
                return;
            }
            if (wantPresent && e.known != Known.PRESENT) {
                add(e);
            } else if (!wantPresent && e.known != Known.ABSENT) {
                remove(e);
            }
        });
    }

    private void reportIfAllHeld() {
        if (wantPresent && allHeld()) {
            listener.allHeld();
        }
    }

    private static String describe(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String m = t.getMessage();
        return m == null ? t.toString() : m;
    }

    private static final class Entry<T> {
        final T object;
        Known known = Known.UNKNOWN;
        boolean inFlight;
        /** Identifies the latest request for this object; answers to older ones are stale. */
        int operation;
        int failures;
        long backoff = FIRST_RETRY_NANOS;
        TimerService.Timer retry;

        Entry(T object) {
            this.object = object;
        }

        void cancelRetry() {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
    }
}
