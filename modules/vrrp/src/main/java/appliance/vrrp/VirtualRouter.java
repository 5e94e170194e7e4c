package appliance.vrrp;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual router as RFC 5798 section 6 describes it (and RFC 3768 for version 2). Plain Java,
 * single-threaded: inputs are {@link #startup()}, {@link #shutdown()}, validated advertisements,
 * the two protocol timers and the interface's link state ({@link #interfaceDown()},
 * {@link #interfaceUp()}); outputs go through {@link VrrpActions}. Every method must be called on
 * the thread that runs the {@link TimerService}'s tasks.
 */
public final class VirtualRouter {

    private static final Logger log = LoggerFactory.getLogger(VirtualRouter.class);
    private static final long NANOS_PER_CENTISECOND = 10_000_000L;

    private final VirtualRouterConfig config;
    private final InetAddress primaryAddress;
    private final TimerService timers;
    private final VrrpActions actions;
    private final VrrpAdvertisement advertisement;

    private volatile VrrpState state = VrrpState.INITIALIZE;
    /** RFC 5798 section 6.1: learnt from the master's advertisements (v3); the configured value for v2. */
    private long masterAdverIntervalNanos;
    private TimerService.Timer masterDownTimer;
    private TimerService.Timer adverTimer;
    private TimerService.Timer garpDelayTimer;
    private long nextAdvertDeadline;
    private volatile InetAddress masterAddress;
    /** Carrier and administrative state of the interface, as last reported; FAULT while false. */
    private boolean linkUp = true;
    private final Counters counters = new Counters();
    // Bound once here: a method reference is linked on first use, and the first use of these
    // would otherwise fall on the takeover path.
    private final Runnable onMasterDownTimer = this::masterDownTimerExpired;
    private final Runnable onAdverTimer = this::adverTimerExpired;
    private final Runnable onGarpDelayTimer = this::garpDelayExpired;

    /**
     * @param primaryAddress the interface's own address of the instance's family: the source of
     *                       our advertisements and the tie-break of RFC 5798 section 6.4.3
     */
    public VirtualRouter(VirtualRouterConfig config, InetAddress primaryAddress, TimerService timers, VrrpActions actions) {
        this.config = Objects.requireNonNull(config);
        this.primaryAddress = Objects.requireNonNull(primaryAddress);
        this.timers = Objects.requireNonNull(timers);
        this.actions = Objects.requireNonNull(actions);
        this.advertisement = buildAdvertisement(config);
        this.masterAdverIntervalNanos = config.advertInterval().toNanos();
    }

    static VrrpAdvertisement buildAdvertisement(VirtualRouterConfig c) {
        List<InetAddress> addresses = c.virtualAddresses().stream().map(VirtualAddress::address).toList();
        if (c.version() == VrrpVersion.V2) {
            return VrrpAdvertisement.v2(c.virtualRouterId(), c.priority(), c.advertIntervalWireValue(),
                    c.authPassword().orElse(null), addresses);
        }
        return VrrpAdvertisement.v3(c.virtualRouterId(), c.priority(), c.advertIntervalWireValue(), addresses);
    }

    // ---- RFC 5798 section 6.1 and 6.4.1 formulas, kept together ----

    /** Skew_Time: (256 - Priority) * Master_Adver_Interval / 256 for v3; (256 - Priority) / 256 s for v2. */
    long skewTimeNanos() {
        long base = config.version() == VrrpVersion.V2 ? 1_000_000_000L : masterAdverIntervalNanos;
        return (256L - config.priority()) * base / 256L;
    }

    /** Master_Down_Interval: 3 * Master_Adver_Interval + Skew_Time. */
    long masterDownIntervalNanos() {
        return 3 * masterAdverIntervalNanos + skewTimeNanos();
    }

    // ---- inputs ----

    /** RFC 5798 section 6.4.1: the Startup event. */
    public void startup() {
        if (state != VrrpState.INITIALIZE) {
            return;
        }
        if (!linkUp) {
            changeState(VrrpState.FAULT, "init");
        } else if (config.isAddressOwner()) {
            becomeMaster("address owner (priority 255) at startup");
        } else {
            // As keepalived 2.2.7: "state MASTER" below priority 255 still listens first, so two nodes
            // that both believe they are MASTER at boot do not both claim the addresses.
            listenAsBackup("init");
        }
    }

    /**
     * The interface went down or lost its carrier. As keepalived: a master gives up its addresses
     * (a backup elsewhere takes over when its Master_Down_Timer runs out), and the instance waits in
     * FAULT without advertising or listening. Before {@link #startup()} it only makes startup go to FAULT.
     */
    public void interfaceDown() {
        if (!linkUp) {
            return;
        }
        linkUp = false;
        if (state == VrrpState.BACKUP || state == VrrpState.MASTER) {
            boolean wasMaster = state == VrrpState.MASTER;
            cancelTimers();
            masterAddress = null;
            if (wasMaster) {
                actions.removeVirtualAddresses();
            }
            changeState(VrrpState.FAULT, "interface down");
        }
    }

    /** The interface is up with carrier again: leave FAULT as at startup, listening first unless we own the addresses. */
    public void interfaceUp() {
        if (linkUp) {
            return;
        }
        linkUp = true;
        if (state == VrrpState.FAULT) {
            if (config.isAddressOwner()) {
                becomeMaster("address owner (priority 255), interface up");
            } else {
                listenAsBackup("interface up");
            }
        }
    }

    private void listenAsBackup(String reason) {
        masterAdverIntervalNanos = config.advertInterval().toNanos();
        masterAddress = null;
        startMasterDownTimer(masterDownIntervalNanos());
        changeState(VrrpState.BACKUP, reason);
    }

    /** RFC 5798 sections 6.4.2 and 6.4.3: the Shutdown event. */
    public void shutdown() {
        cancelTimers();
        if (state == VrrpState.MASTER) {
            actions.sendAdvertisement(advertisement.withPriority(0));
            counters.advertisementsSent++;
            log.info("({}) sent priority 0 advertisement", config.name());
            actions.removeVirtualAddresses();
        }
        if (state != VrrpState.INITIALIZE) {
            changeState(VrrpState.INITIALIZE, "shutdown");
        }
    }

    /** An advertisement that passed the section 7.1 checks for this router's VRID, received just now. */
    public void advertisementReceived(VrrpAdvertisement adv, InetAddress source) {
        advertisementReceived(adv, source, timers.nanoTime());
    }

    /**
     * As {@link #advertisementReceived(VrrpAdvertisement, InetAddress)}, for an advertisement the
     * kernel received at {@code receivedAt} (the timer service's nanoTime base): the
     * Master_Down_Timer runs from then, so the time the packet waited to be read does not
     * lengthen a failover.
     */
    public void advertisementReceived(VrrpAdvertisement adv, InetAddress source, long receivedAt) {
        // At most one interval: more is a stall or a wall-clock step behind the kernel's stamp, and
        // taking it off the Master_Down_Timer could make a backup take over from a live master.
        long waited = Math.min(Math.max(0, timers.nanoTime() - receivedAt), masterAdverIntervalNanos);
        counters.advertisementsReceived++;
        if (adv.priority() == 0) {
            counters.priorityZeroReceived++;
        }
        switch (state) {
            case BACKUP -> backupReceived(adv, source, waited);
            case MASTER -> masterReceived(adv, source);
            default -> { /* not running: nothing listens */ }
        }
    }

    private void backupReceived(VrrpAdvertisement adv, InetAddress source, long waited) {
        if (adv.priority() == 0) {
            // The master resigned: take over after Skew_Time rather than a full Master_Down_Interval.
            masterAddress = null;
            startMasterDownTimer(Math.max(0, skewTimeNanos() - waited));
            log.info("({}) Backup received priority 0 advertisement from {}", config.name(), source.getHostAddress());
            return;
        }
        if (!config.preempt() || adv.priority() >= config.priority()) {
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = adv.advertInterval() * NANOS_PER_CENTISECOND;
            }
            masterAddress = source;
            startMasterDownTimer(Math.max(0, masterDownIntervalNanos() - waited));
        }
        // Otherwise a lower-priority master is heard while we may preempt: discard it, and our
        // Master_Down_Timer expires and takes over (RFC 5798 section 6.4.2).
    }

    private void masterReceived(VrrpAdvertisement adv, InetAddress source) {
        if (adv.priority() == 0) {
            // Another router resigned: make sure the backups hear a master at once.
            sendAdvertisement();
            restartAdverTimer();
            return;
        }
        boolean higher = adv.priority() > config.priority()
                || (adv.priority() == config.priority() && compareAddresses(source, primaryAddress) > 0);
        if (higher) {
            cancel(adverTimer);
            adverTimer = null;
            cancel(garpDelayTimer);
            garpDelayTimer = null;
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = adv.advertInterval() * NANOS_PER_CENTISECOND;
            }
            masterAddress = source;
            startMasterDownTimer(masterDownIntervalNanos());
            actions.removeVirtualAddresses();
            changeState(VrrpState.BACKUP, "master " + source.getHostAddress() + " has priority " + adv.priority()
                    + ", ours " + config.priority());
        }
    }

    /** RFC 5798 section 6.4.2: Master_Down_Timer fired. */
    void masterDownTimerExpired() {
        masterDownTimer = null;
        if (state == VrrpState.BACKUP) {
            becomeMaster("no advertisement for Master_Down_Interval");
        }
    }

    /** RFC 5798 section 6.4.3: Adver_Timer fired. */
    void adverTimerExpired() {
        adverTimer = null;
        if (state == VrrpState.MASTER) {
            sendAdvertisement();
            nextAdvertDeadline += config.advertInterval().toNanos();
            long delay = Math.max(0, nextAdvertDeadline - timers.nanoTime());
            adverTimer = timers.schedule(delay, onAdverTimer);
        }
    }

    // ---- transitions ----

    private void becomeMaster(String reason) {
        cancel(masterDownTimer);
        masterDownTimer = null;
        sendAdvertisement();
        actions.addVirtualAddresses();
        actions.sendGratuitousArps(config.garpMasterRepeat());
        restartAdverTimer();
        if (!config.garpMasterDelay().isZero()) {
            garpDelayTimer = timers.schedule(config.garpMasterDelay().toNanos(), onGarpDelayTimer);
        }
        masterAddress = primaryAddress;
        counters.becameMaster++;
        changeState(VrrpState.MASTER, reason);
    }

    private void garpDelayExpired() {
        garpDelayTimer = null;
        if (state == VrrpState.MASTER) {
            actions.sendGratuitousArps(config.garpMasterRepeat());
        }
    }

    /** The one door through which the state changes: it logs, counts and notifies. */
    private void changeState(VrrpState to, String reason) {
        VrrpState from = state;
        state = to;
        counters.transitions++;
        if (to != VrrpState.INITIALIZE) {
            String suffix = "init".equals(reason) ? " (init)" : "";
            log.info("({}) Entering {} STATE{}", config.name(), to.keepalivedName(), suffix);
        }
        if (!"init".equals(reason)) {
            log.debug("({}) {} -> {}: {}", config.name(), from, to, reason);
        }
        actions.stateChanged(from, to, reason);
    }

    private void sendAdvertisement() {
        actions.sendAdvertisement(advertisement);
        counters.advertisementsSent++;
    }

    private void restartAdverTimer() {
        cancel(adverTimer);
        long interval = config.advertInterval().toNanos();
        nextAdvertDeadline = timers.nanoTime() + interval;
        adverTimer = timers.schedule(interval, onAdverTimer);
    }

    private void startMasterDownTimer(long delayNanos) {
        cancel(masterDownTimer);
        masterDownTimer = timers.schedule(delayNanos, onMasterDownTimer);
    }

    private void cancelTimers() {
        cancel(masterDownTimer);
        cancel(adverTimer);
        cancel(garpDelayTimer);
        masterDownTimer = adverTimer = garpDelayTimer = null;
    }

    private static void cancel(TimerService.Timer t) {
        if (t != null) {
            t.cancel();
        }
    }

    /** Unsigned comparison of addresses in network byte order, as RFC 5798 section 6.4.3 compares primary addresses. */
    static int compareAddresses(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    // ---- read-only views for JMX and tests ----

    public VrrpState state() {
        return state;
    }

    public VirtualRouterConfig config() {
        return config;
    }

    public VrrpAdvertisement advertisement() {
        return advertisement;
    }

    public InetAddress primaryAddress() {
        return primaryAddress;
    }

    /** The router believed to be master now, or null when none is known. */
    public InetAddress masterAddress() {
        return masterAddress;
    }

    public long masterAdverIntervalMillis() {
        return masterAdverIntervalNanos / 1_000_000L;
    }

    public Counters counters() {
        return counters;
    }

    /** Per-router figures, written on the router's thread and read anywhere (a stale read is harmless). */
    public static final class Counters {
        volatile long advertisementsSent;
        volatile long advertisementsReceived;
        volatile long priorityZeroReceived;
        volatile long becameMaster;
        volatile long transitions;

        public long advertisementsSent() { return advertisementsSent; }
        public long advertisementsReceived() { return advertisementsReceived; }
        public long priorityZeroReceived() { return priorityZeroReceived; }
        public long becameMaster() { return becameMaster; }
        public long transitions() { return transitions; }
    }
}
