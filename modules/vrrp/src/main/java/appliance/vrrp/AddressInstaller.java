package appliance.vrrp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps one instance's virtual addresses in the kernel as its router wants them: all present
 * while MASTER, all absent otherwise. A refused add or delete is retried with backoff; only an
 * address the kernel confirmed holding is announced (gratuitous ARP), so that clients are never
 * pointed at a MAC that would not answer; rounds asked for while an add is outstanding are owed
 * and sent on its confirmation. The router hears of failures and of the moment all addresses are
 * held ({@link Listener}), logs them and decides what they mean (RFC 5798 leaves it to us; see
 * {@link VirtualRouter}'s address deadline).
 *
 * <p>The presence and the retries are {@link KernelObjects}'; this class adds the announcements.
 * Single-threaded like the router: every method and every completion of the {@link Kernel}'s
 * futures runs on the router's thread.
 */
public final class AddressInstaller {

    static final long FIRST_RETRY_NANOS = KernelObjects.FIRST_RETRY_NANOS;
    static final long MAX_RETRY_NANOS = KernelObjects.MAX_RETRY_NANOS;

    /** The kernel as the installer sees it: the seam a test replaces with a kernel that refuses. */
    public interface Kernel {
        /** Completes when the address is on the interface (already there counts), or fails with the kernel's error. */
        CompletableFuture<Void> add(VirtualAddress address);

        /** Completes when the address is off the interface (already absent counts), or fails. */
        CompletableFuture<Void> remove(VirtualAddress address);
    }

    /** Sends gratuitous ARPs or neighbour advertisements for addresses the kernel holds. */
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

    private final KernelObjects<VirtualAddress> addresses;
    private final Announcer announcer;
    /** Rounds asked for while an address was being added: sent when the kernel confirms it. */
    private final Map<VirtualAddress, Integer> owed = new HashMap<>();

    public AddressInstaller(List<VirtualAddress> addresses, TimerService timers, Kernel kernel, Announcer announcer) {
        Objects.requireNonNull(kernel);
        this.announcer = Objects.requireNonNull(announcer);
        this.addresses = new KernelObjects<>(addresses, timers, new KernelObjects.Kernel<>() {
            @Override
            public CompletableFuture<Void> add(VirtualAddress a) {
                return kernel.add(a);
            }

            @Override
            public CompletableFuture<Void> remove(VirtualAddress a) {
                return kernel.remove(a);
            }
        });
        this.addresses.onAdded(this::confirmed);
    }

    /** Set once, before the first {@link #install()}: the router is built after its actions. */
    public void listener(Listener listener) {
        Objects.requireNonNull(listener);
        addresses.listener(new KernelObjects.Listener<>() {
            @Override
            public void allHeld() {
                listener.virtualAddressesHeld();
            }

            @Override
            public void addFailed(VirtualAddress a, String error, int failures) {
                listener.virtualAddressAddFailed(a, error, failures);
            }

            @Override
            public void removeFailed(VirtualAddress a, String error, int failures) {
                listener.virtualAddressRemoveFailed(a, error, failures);
            }
        });
    }

    /** Wants every address present: adds those not confirmed present, retrying each until it holds or {@link #uninstall()}. */
    public void install() {
        addresses.install();
    }

    /** Wants every address absent: forgets owed announcements and deletes each, retrying until the kernel confirms. */
    public void uninstall() {
        owed.clear();
        addresses.uninstall();
    }

    /**
     * One round of {@code repeat} announcements per address: now for the addresses the kernel
     * holds, on confirmation for those still being added; none for an address that is not wanted.
     */
    public void announce(int repeat) {
        if (!addresses.wantsPresent() || repeat <= 0) {
            return;
        }
        List<VirtualAddress> now = addresses.held();
        for (VirtualAddress a : addresses.all()) {
            if (!now.contains(a)) {
                // No method reference here: this runs on every takeover, and the first use of one
                // would be linked right then (a few milliseconds at 10 ms adverts).
                Integer before = owed.get(a);
                owed.put(a, before == null ? repeat : Math.max(before, repeat));
            }
        }
        if (!now.isEmpty()) {
            announcer.announce(now, repeat);
        }
    }

    private void confirmed(VirtualAddress a) {
        Integer repeat = owed.remove(a);
        if (repeat != null) {
            announcer.announce(List.of(a), repeat);
        }
    }

    /** Whether the addresses are wanted present (the instance is master), rather than absent. */
    public boolean wantsPresent() {
        return addresses.wantsPresent();
    }

    /** While the addresses are wanted: each is added again (see {@link KernelObjects#reassert()}). */
    public void reassert() {
        addresses.reassert();
    }

    /** Completes once the kernel confirmed every address absent after the latest {@link #uninstall()}. */
    public CompletableFuture<Void> removed() {
        return addresses.removed();
    }

    /** Whether every address is confirmed present. */
    public boolean allHeld() {
        return addresses.allHeld();
    }

    /** Stops retrying and ignores outstanding answers; the addresses stay as they are. */
    public void close() {
        addresses.close();
    }
}
