package appliance.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Keeps one instance's virtual addresses in the kernel as its router wants them: all present
 * while MASTER, all absent otherwise. A refused add or delete is retried with backoff; only an
 * address the kernel confirmed holding is announced (gratuitous ARP), so that clients are never
 * pointed at a MAC that would not answer; rounds asked for while an add is outstanding are owed
 * and sent on its confirmation. The router hears of failures and of the moment all addresses are
 * held ({@link Listener}), logs them and decides what they mean (RFC 5798 leaves it to us; see
 * {@link VirtualRouter}'s address deadline).
 *
 * <p>Single-threaded like the router: every method and every completion of the {@link Kernel}'s
 * futures runs on the router's thread. Completions of superseded operations are ignored: the
 * kernel applies requests of one socket in order, so the latest one tells the final state.
 */
public final class AddressInstaller {

    /** First retry 10 ms after a failure: at 10 ms adverts Master_Down_Interval leaves room for a few. */
    static final long FIRST_RETRY_NANOS = 10_000_000L;
    static final long MAX_RETRY_NANOS = 1_000_000_000L;

    /** The kernel as the installer sees it: the seam a test replaces with a kernel that refuses. */
    public interface Kernel {
        /** Completes when the address is on the interface (already there counts), or fails with the kernel's error. */
        CompletableFuture<Void> add(VirtualAddress address);

        /** Completes when the address is off the interface (already absent counts), or fails. */
        CompletableFuture<Void> remove(VirtualAddress address);
    }

    /** Sends gratuitous ARPs (or, later, neighbour advertisements) for addresses the kernel holds. */
    public interface Announcer {
        void announce(List<VirtualAddress> addresses, int repeat);
    }

    /** What the router hears; called on its thread, possibly from inside {@link #install()}. */
    public interface Listener {
        void virtualAddressesHeld();

        /** @param failures the address's failures in a row, this one included: 1 starts a streak */
        void virtualAddressAddFailed(VirtualAddress address, String error, int failures);

        void virtualAddressRemoveFailed(VirtualAddress address, String error, int failures);
    }

    private enum Known { ABSENT, PRESENT, UNKNOWN }

    private final TimerService timers;
    private final Kernel kernel;
    private final Announcer announcer;
    private Listener listener = NO_LISTENER;
    private final List<Entry> entries = new ArrayList<>();
    private boolean wantPresent;
    private boolean closed;
    private CompletableFuture<Void> removed = CompletableFuture.completedFuture(null);

    public AddressInstaller(List<VirtualAddress> addresses, TimerService timers, Kernel kernel, Announcer announcer) {
        this.timers = Objects.requireNonNull(timers);
        this.kernel = Objects.requireNonNull(kernel);
        this.announcer = Objects.requireNonNull(announcer);
        for (VirtualAddress a : addresses) {
            entries.add(new Entry(a));
        }
    }

    /** Set once, before the first {@link #install()}: the router is built after its actions. */
    public void listener(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Wants every address present: adds those not confirmed present, retrying each until it holds or {@link #uninstall()}. */
    public void install() {
        wantPresent = true;
        for (Entry e : entries) {
            e.cancelRetry();
            e.backoff = FIRST_RETRY_NANOS;
            if (e.known != Known.PRESENT || e.inFlight) {
                add(e);
            }
        }
        reportIfAllHeld();
    }

    /** Wants every address absent: forgets owed announcements and deletes each, retrying until the kernel confirms. */
    public void uninstall() {
        wantPresent = false;
        boolean allAbsent = allAbsent();
        for (Entry e : entries) {
            e.cancelRetry();
            e.backoff = FIRST_RETRY_NANOS;
            e.owedRepeat = 0;
        }
        if (removed.isDone()) {
            removed = new CompletableFuture<>();
        }
        for (Entry e : entries) {
            if (e.known != Known.ABSENT || e.inFlight) {
                remove(e);
            }
        }
        if (allAbsent) {
            removed.complete(null);
        }
    }

    /**
     * One round of {@code repeat} announcements per address: now for the addresses the kernel
     * holds, on confirmation for those still being added; none for an address that is not wanted.
     */
    public void announce(int repeat) {
        if (!wantPresent || repeat <= 0) {
            return;
        }
        List<VirtualAddress> now = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.known == Known.PRESENT && !e.inFlight) {
                now.add(e.address);
            } else {
                e.owedRepeat = Math.max(e.owedRepeat, repeat);
            }
        }
        if (!now.isEmpty()) {
            announcer.announce(now, repeat);
        }
    }

    /** Completes once the kernel confirmed every address absent after the latest {@link #uninstall()}. */
    public CompletableFuture<Void> removed() {
        return removed;
    }

    /** Whether every address is confirmed present. */
    public boolean allHeld() {
        for (Entry e : entries) {
            if (e.known != Known.PRESENT || e.inFlight) {
                return false;
            }
        }
        return true;
    }

    private boolean allAbsent() {
        for (Entry e : entries) {
            if (e.known != Known.ABSENT || e.inFlight) {
                return false;
            }
        }
        return true;
    }

    /** Stops retrying and ignores outstanding answers; the addresses stay as they are. */
    public void close() {
        closed = true;
        entries.forEach(Entry::cancelRetry);
    }

    private void add(Entry e) {
        int op = ++e.operation;
        e.inFlight = true;
        kernel.add(e.address).whenComplete((ok, error) -> added(e, op, error));
    }

    private void remove(Entry e) {
        int op = ++e.operation;
        e.inFlight = true;
        kernel.remove(e.address).whenComplete((ok, error) -> removedOne(e, op, error));
    }

    private void added(Entry e, int op, Throwable error) {
        if (closed || op != e.operation) {
            return;
        }
        e.inFlight = false;
        if (error == null) {
            e.known = Known.PRESENT;
            e.failures = 0;
            if (e.owedRepeat > 0 && wantPresent) {
                int repeat = e.owedRepeat;
                e.owedRepeat = 0;
                announcer.announce(List.of(e.address), repeat);
            }
            reportIfAllHeld();
            return;
        }
        // A timed-out add may still have been applied: the address is in an unknown state until an answer says.
        e.known = Known.UNKNOWN;
        listener.virtualAddressAddFailed(e.address, describe(error), ++e.failures);
        if (wantPresent) {
            retryLater(e);
        }
    }

    private void removedOne(Entry e, int op, Throwable error) {
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
        listener.virtualAddressRemoveFailed(e.address, describe(error), ++e.failures);
        if (!wantPresent) {
            retryLater(e);
        }
    }

    private void retryLater(Entry e) {
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
            listener.virtualAddressesHeld();
        }
    }

    private static String describe(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String m = t.getMessage();
        return m == null ? t.toString() : m;
    }

    private static final class Entry {
        final VirtualAddress address;
        Known known = Known.UNKNOWN;
        boolean inFlight;
        /** Identifies the latest request for this address; answers to older ones are stale. */
        int operation;
        int owedRepeat;
        int failures;
        long backoff = FIRST_RETRY_NANOS;
        TimerService.Timer retry;

        Entry(VirtualAddress address) {
            this.address = address;
        }

        void cancelRetry() {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
    }

    private static final Listener NO_LISTENER = new Listener() {
        @Override public void virtualAddressesHeld() { }
        @Override public void virtualAddressAddFailed(VirtualAddress address, String error, int failures) { }
        @Override public void virtualAddressRemoveFailed(VirtualAddress address, String error, int failures) { }
    };
}
