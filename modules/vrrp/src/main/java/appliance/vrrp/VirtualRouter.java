package appliance.vrrp;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual router as RFC 5798 section 6 describes it (and RFC 3768 for version 2). Plain Java,
 * single-threaded: inputs are {@link #startup()}, {@link #shutdown()}, validated advertisements,
 * the protocol timers, fault reasons ({@link #faultRaised}, {@link #faultCleared}: the link, the
 * interface's address), the interface's primary address and what the kernel says of the virtual
 * addresses ({@link AddressInstaller.Listener}); outputs go through {@link VrrpActions}. Every
 * method must be called on the thread that runs the {@link TimerService}'s tasks.
 */
public final class VirtualRouter implements AddressInstaller.Listener {

    private static final Logger log = LoggerFactory.getLogger(VirtualRouter.class);
    private static final long NANOS_PER_CENTISECOND = 10_000_000L;
    /** Back in the election this long after a FAULT for addresses not held, doubling on each repeat. */
    static final long FIRST_ADDRESS_FAULT_BACKOFF_NANOS = 1_000_000_000L;
    static final long MAX_ADDRESS_FAULT_BACKOFF_NANOS = 60_000_000_000L;

    /** Replaced only by {@link #reconfigure} (a reload's new priority), on the loop; read from any thread. */
    private volatile VirtualRouterConfig config;
    private final TimerService timers;
    private final VrrpActions actions;
    private final VirtualRouterCounters counters = new VirtualRouterCounters();

    private volatile VrrpState state = VrrpState.INITIALIZE;
    /** The interface's address: advert source and tie-break (RFC 5798 section 6.4.3); null while it has none. */
    private volatile InetAddress primaryAddress;
    /** The configured priority unless lowered (two address owners, as keepalived 2.2.7 does). */
    private volatile int effectivePriority;
    private volatile VrrpAdvertisement advertisement;
    /** RFC 5798 section 6.1: learnt from the master's advertisements (v3); the configured value for v2. */
    private long masterAdverIntervalNanos;
    private TimerService.Timer masterDownTimer;
    /** When the Master_Down_Timer expires, and when its scheduled timer fires (no later): see {@link #startMasterDownTimer}. */
    private long masterDownExpiry;
    private long masterDownTimerFiresAt;
    private TimerService.Timer adverTimer;
    private TimerService.Timer addressDeadline;
    private TimerService.Timer addressFaultBackoff;
    private long nextAdvertDeadline;
    /** When a running preempt delay ends; null while none runs. */
    private Long preemptDeadline;
    private volatile InetAddress masterAddress;
    private final EnumSet<FaultReason> faults = EnumSet.noneOf(FaultReason.class);
    private final java.util.Set<String> trackedDown = new java.util.TreeSet<>();
    private final java.util.Map<String, Integer> trackedWeights = new java.util.HashMap<>();
    private volatile List<String> trackedDownView = List.of();
    private volatile Set<FaultReason> faultView = Set.of();
    private boolean addressesHeld;
    private String lastAddressError = "no answer from the kernel";
    private long addressFaultBackoffNanos = FIRST_ADDRESS_FAULT_BACKOFF_NANOS;
    private final Set<InetAddress> ownerConflicts = new LinkedHashSet<>();
    private volatile List<InetAddress> ownerConflictView = List.of();
    private final LogRateLimit lowerPriorityLog;
    private final LogRateLimit stallLog;
    private final AnnouncementSchedule announcements;
    // Bound once here: a method reference is linked on first use, and the first use of these
    // would otherwise fall on the takeover path.
    private final Runnable onMasterDownTimer = this::masterDownTimerExpired;
    private final Runnable onAdverTimer = this::adverTimerExpired;
    private final Runnable onAddressDeadline = this::addressDeadlineExpired;
    private SyncGate syncGate = SyncGate.NONE;
    /** keepalived's wantstate MASTER in a sync group: our Master_Down_Timer ran out, the group's members' not yet. */
    private volatile boolean waitingForGroup;

    /**
     * A sync group's say in a member's transitions, called on the member's loop (a group's members
     * share one loop, so the group is never entered from two threads).
     */
    public interface SyncGate {
        SyncGate NONE = new SyncGate() {
            @Override
            public boolean mayBecomeMaster(VirtualRouter member) {
                return true;
            }

            @Override
            public void changed(VirtualRouter member, VrrpState from, VrrpState to) {
            }

            @Override
            public void faultsChanged(VirtualRouter member) {
            }
        };

        /** The member's Master_Down_Timer ran out: may it become master now (false: it waits for the others)? */
        boolean mayBecomeMaster(VirtualRouter member);

        /** After each state change of the member. */
        void changed(VirtualRouter member, VrrpState from, VrrpState to);

        /** After the member's fault reasons changed (whether or not its state did). */
        void faultsChanged(VirtualRouter member);
    }

    /**
     * @param primaryAddress the interface's own address of the instance's family: the source of
     *                       our advertisements and the tie-break of RFC 5798 section 6.4.3; null
     *                       when it has none yet (the caller then raises {@link FaultReason#NO_IPV4_ADDRESS})
     */
    public VirtualRouter(VirtualRouterConfig config, InetAddress primaryAddress, TimerService timers, VrrpActions actions) {
        this.config = Objects.requireNonNull(config);
        this.primaryAddress = primaryAddress;
        this.timers = Objects.requireNonNull(timers);
        this.actions = Objects.requireNonNull(actions);
        this.effectivePriority = config.priority();
        this.advertisement = buildAdvertisement(config);
        this.masterAdverIntervalNanos = config.advertInterval().toNanos();
        this.lowerPriorityLog = new LogRateLimit(1, timers.nanoTime());
        this.stallLog = new LogRateLimit(1, timers.nanoTime());
        this.announcements = new AnnouncementSchedule(config.announcements(), config.advertInterval().toNanos(), timers,
                actions, () -> state == VrrpState.MASTER);
    }

    static VrrpAdvertisement buildAdvertisement(VirtualRouterConfig c) {
        List<InetAddress> addresses = c.virtualAddresses().stream().map(VirtualAddress::address).toList();
        if (c.version() == VrrpVersion.V2) {
            return VrrpAdvertisement.v2(c.virtualRouterId(), c.priority(), c.advertIntervalWireValue(),
                    c.authPassword().orElse(null), addresses);
        }
        return VrrpAdvertisement.v3(c.virtualRouterId(), c.priority(), c.advertIntervalWireValue(), addresses);
    }

    /** Makes this router a member of a sync group. Before {@link #startup()}, on its loop. */
    public void syncGroup(SyncGate gate) {
        this.syncGate = Objects.requireNonNull(gate);
    }

    // ---- RFC 5798 section 6.1 and 6.4.1 formulas, kept together ----

    /** Skew_Time: (256 - Priority) * Master_Adver_Interval / 256 for v3; (256 - Priority) / 256 s for v2. */
    long skewTimeNanos() {
        long base = config.version() == VrrpVersion.V2 ? 1_000_000_000L : masterAdverIntervalNanos;
        return (256L - effectivePriority) * base / 256L;
    }

    /** Master_Down_Interval: 3 * Master_Adver_Interval + Skew_Time. */
    long masterDownIntervalNanos() {
        return 3 * masterAdverIntervalNanos + skewTimeNanos();
    }

    private boolean isAddressOwner() {
        return effectivePriority == VirtualRouterConfig.PRIORITY_OWNER;
    }

    // ---- inputs ----

    /** RFC 5798 section 6.4.1: the Startup event. */
    public void startup() {
        if (state != VrrpState.INITIALIZE) {
            return;
        }
        if (!faults.isEmpty()) {
            changeState(VrrpState.FAULT, "init");
        } else if (isAddressOwner()) {
            becomeMaster("address owner (priority 255) at startup");
        } else {
            // As keepalived 2.2.7: "state MASTER" below priority 255 still listens first, so two nodes
            // that both believe they are MASTER at boot do not both claim the addresses.
            listenAsBackup("init");
        }
    }

    /** The interface went down, lost its carrier or disappeared: {@link FaultReason#LINK_DOWN}. */
    public void interfaceDown() {
        faultRaised(FaultReason.LINK_DOWN);
    }

    public void interfaceUp() {
        faultCleared(FaultReason.LINK_DOWN);
    }

    /**
     * A reason to be in FAULT now holds. As keepalived: a master gives up its addresses (a backup
     * elsewhere takes over when its Master_Down_Timer runs out), and the instance waits without
     * advertising or listening. Before {@link #startup()} it only makes startup go to FAULT.
     */
    public void faultRaised(FaultReason reason) {
        if (!faults.add(reason)) {
            return;
        }
        faultView = Set.copyOf(faults);
        if (state == VrrpState.BACKUP || state == VrrpState.MASTER) {
            enterFault(reason.description());
        }
        syncGate.faultsChanged(this);
    }

    /** A reason no longer holds; with none left, leave FAULT as at startup, listening first unless we own the addresses. */
    public void faultCleared(FaultReason reason) {
        if (!faults.remove(reason)) {
            return;
        }
        faultView = Set.copyOf(faults);
        if (state == VrrpState.FAULT && faults.isEmpty()) {
            if (isAddressOwner()) {
                becomeMaster("address owner (priority 255), " + reason.description() + " cleared");
            } else {
                listenAsBackup(reason.description() + " cleared");
            }
        }
        syncGate.faultsChanged(this);
    }

    /** Whether a reason of its own (not its sync group's) holds it in FAULT. On its loop. */
    public boolean hasOwnFault() {
        return faults.size() > (faults.contains(FaultReason.SYNC_GROUP) ? 1 : 0);
    }

    /** keepalived's wantstate MASTER: a backup waiting for its sync group to take over together. */
    public boolean isWaitingForGroup() {
        return waitingForGroup;
    }

    /** Its sync group became master: a backup takes over now, with the member that led. */
    public void syncToMaster(String reason) {
        if (state == VrrpState.BACKUP) {
            becomeMaster(reason);
        }
    }

    /**
     * Its sync group went back to backup: a master gives up its addresses and listens, without a
     * priority 0 advert (keepalived's vrrp_state_leave_master without advert): its peers take
     * over as their own group decides.
     */
    public void syncToBackup(String reason) {
        if (state != VrrpState.MASTER) {
            return;
        }
        cancel(adverTimer);
        adverTimer = null;
        announcements.stop();
        cancel(addressDeadline);
        addressDeadline = null;
        masterAddress = null;
        startMasterDownTimer(masterDownIntervalNanos());
        actions.removeVirtualAddresses();
        changeState(VrrpState.BACKUP, reason);
    }

    /** The interface's primary address changed (or appeared): our adverts now come from it and ties are broken with it. */
    public void primaryAddressChanged(InetAddress address) {
        primaryAddress = address;
        if (state == VrrpState.MASTER) {
            masterAddress = address;
        }
    }

    private void enterFault(String reason) {
        boolean wasMaster = state == VrrpState.MASTER;
        cancel(masterDownTimer);
        cancel(adverTimer);
        announcements.stop();
        cancel(addressDeadline);
        masterDownTimer = adverTimer = addressDeadline = null;
        masterAddress = null;
        if (wasMaster) {
            actions.removeVirtualAddresses();
        }
        changeState(VrrpState.FAULT, reason);
    }

    private void listenAsBackup(String reason) {
        preemptDeadline = null;
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
        boolean lower = adv.priority() < effectivePriority;
        if (!lower) {
            preemptDelayed(false);
        }
        if (!config.preempt() || !lower || preemptDelayed(true)) {
            waitingForGroup = false;
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = adv.advertInterval() * NANOS_PER_CENTISECOND;
            }
            masterAddress = source;
            startMasterDownTimer(Math.max(0, masterDownIntervalNanos() - waited));
            return;
        }
        // A lower-priority master is heard while we may preempt: discard it, and our
        // Master_Down_Timer expires and takes over (RFC 5798 section 6.4.2).
        log.debug("({}) received lower priority ({}) advert from {} - discarding", config.name(), adv.priority(),
                source.getHostAddress());
    }

    /**
     * keepalived 2.2.7's preempt_delay (vrrp_state_backup): the first lower-priority advert starts
     * the delay, during which such adverts are accepted as from any master; a higher or equal
     * one stops it. Whether a lower-priority master is still let be.
     */
    private boolean preemptDelayed(boolean lower) {
        long delay = config.preemptDelay().toNanos();
        if (delay == 0) {
            return false;
        }
        long now = timers.nanoTime();
        if (!lower) {
            preemptDeadline = null;
            return false;
        }
        if (preemptDeadline == null) {
            preemptDeadline = now + delay;
            log.info("({}) start preempt delay ({} s)", config.name(), config.preemptDelay().toMillis() / 1000.0);
        }
        return now - preemptDeadline < 0;
    }

    private void masterReceived(VrrpAdvertisement adv, InetAddress source) {
        if (adv.priority() == 0) {
            // Another router resigned: make sure the backups hear a master at once.
            sendAdvertisement();
            restartAdverTimer();
            return;
        }
        int byAddress = primaryAddress == null ? 1 : compareAddresses(source, primaryAddress);
        if (byAddress == 0) {
            return; // our own address: a looped-back copy of our advert, or a peer misconfigured with our address
        }
        if (adv.priority() == VirtualRouterConfig.PRIORITY_OWNER && isAddressOwner()) {
            ownerConflict(source);
        }
        int ours = effectivePriority;
        boolean higher = adv.priority() > ours || (adv.priority() == ours && byAddress > 0);
        if (higher) {
            // One last advert of ours before stepping down. After a split brain heals, the clients
            // may still send to us (we announced last); if the winner's advert reached us before
            // any of ours reached it, the winner would never learn of the conflict and never
            // re-announce. Hearing this lower priority it does, at once (keepalived's
            // garp_lower_prio_repeat, and ours).
            sendAdvertisement();
            cancel(adverTimer);
            adverTimer = null;
            announcements.stop();
            cancel(addressDeadline);
            addressDeadline = null;
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = adv.advertInterval() * NANOS_PER_CENTISECOND;
            }
            masterAddress = source;
            startMasterDownTimer(masterDownIntervalNanos());
            actions.removeVirtualAddresses();
            changeState(VrrpState.BACKUP, "master " + source.getHostAddress() + " has priority " + adv.priority()
                    + ", ours " + ours);
            return;
        }
        // A lower-priority master exists (a healed partition, a peer that missed our adverts): as
        // keepalived 2.2.7, answer at once so that it steps down now rather than after its own
        // Master_Down_Interval; lower-prio-no-advert turns the answer off.
        boolean answer = !config.lowerPrioNoAdvert();
        if (lowerPriorityLog.allow(timers.nanoTime())) {
            log.info("({}) Received advert from {} with lower priority {}, ours {}{}", config.name(),
                    source.getHostAddress(), adv.priority(), ours, answer ? ", forcing new election" : "");
        }
        if (answer) {
            counters.lowerPriorityAnswered++;
            sendAdvertisement();
        }
        announcements.lowerPriorityHeard();
    }

    /**
     * Two address owners for one VRID is a configuration error. keepalived 2.2.7 logs it and lowers
     * its own priority to 254 for good (vrrp_state_master_rx), so that one of the two steps down
     * and the pair converges instead of fighting; we do the same, and remember the peer for JMX.
     */
    private void ownerConflict(InetAddress peer) {
        if (ownerConflicts.add(peer)) {
            ownerConflictView = List.copyOf(ownerConflicts);
            log.error("({}) CONFIGURATION ERROR: local instance and remote instance {} are both configured as address"
                    + " owner (priority 255), please fix - reducing local priority to 254", config.name(),
                    peer.getHostAddress());
        }
        effectivePriority = VirtualRouterConfig.PRIORITY_OWNER - 1;
        advertisement = advertisement.withPriority(effectivePriority);
    }

    /** RFC 5798 section 6.4.2: Master_Down_Timer fired. */
    void masterDownTimerExpired() {
        masterDownTimer = null;
        if (state != VrrpState.BACKUP) {
            return;
        }
        long rest = masterDownExpiry - timers.nanoTime();
        if (rest > 0) { // adverts arrived since it was set
            masterDownTimerFiresAt = masterDownExpiry;
            masterDownTimer = timers.schedule(rest, onMasterDownTimer);
            return;
        }
        actions.receivePending();
        if (state != VrrpState.BACKUP || masterDownTimer != null) {
            return; // an advert that was waiting to be read set the timer again
        }
        if (!syncGate.mayBecomeMaster(this)) {
            // keepalived (vrrp_sync_can_goto_master): prefer backup to thrashing; wait another
            // Master_Down_Interval, and take over with the last member whose timer runs out.
            if (!waitingForGroup) {
                log.info("({}) no advertisement for Master_Down_Interval; waiting for the sync group's other members",
                        config.name());
            }
            waitingForGroup = true;
            startMasterDownTimer(masterDownIntervalNanos());
            return;
        }
        becomeMaster("no advertisement for Master_Down_Interval");
    }

    /**
     * RFC 5798 section 6.4.3: Adver_Timer fired. Fired more than one interval late (a GC pause, a
     * stopped process, a starved host), it sends one advert and counts the next interval from now:
     * catching up with one advert per missed interval would put a burst on the wire for nothing.
     */
    void adverTimerExpired() {
        adverTimer = null;
        if (state != VrrpState.MASTER) {
            return;
        }
        long now = timers.nanoTime();
        long interval = config.advertInterval().toNanos();
        long lateness = Math.max(0, now - nextAdvertDeadline);
        counters.adverTimerLastLatenessNanos = lateness;
        if (lateness > counters.adverTimerMaxLatenessNanos) {
            counters.adverTimerMaxLatenessNanos = lateness;
        }
        sendAdvertisement();
        announcements.advertSent(nextAdvertDeadline);
        if (lateness > interval) {
            counters.adverTimerStalls++;
            nextAdvertDeadline = onAdvertGrid(now + interval, interval);
            if (stallLog.allow(now)) {
                log.warn("({}) Adver_Timer fired {} ms late (interval {} ms): one advertisement sent, schedule restarted"
                        + " ({} such stalls so far)", config.name(), lateness / 1_000_000L, interval / 1_000_000L,
                        counters.adverTimerStalls);
            }
        } else {
            nextAdvertDeadline += interval;
        }
        adverTimer = timers.schedule(Math.max(0, nextAdvertDeadline - now), onAdverTimer);
    }

    // ---- the kernel's answers about the virtual addresses ----

    @Override
    public void virtualAddressesHeld() {
        addressesHeld = true;
        cancel(addressDeadline);
        addressDeadline = null;
        addressFaultBackoffNanos = FIRST_ADDRESS_FAULT_BACKOFF_NANOS;
    }

    @Override
    public void virtualAddressAddFailed(VirtualAddress address, String error, int failures) {
        counters.addressAddFailures++;
        lastAddressError = address + ": " + error;
        if (failures == 1) {
            log.error("({}) cannot add virtual address {}: {}; retrying", config.name(), address, error);
        }
    }

    @Override
    public void virtualAddressRemoveFailed(VirtualAddress address, String error, int failures) {
        counters.addressRemoveFailures++;
        if (failures == 1) {
            log.error("({}) cannot remove virtual address {}: {}; retrying", config.name(), address, error);
        }
    }

    /**
     * A master whose addresses the kernel has not confirmed within Master_Down_Interval advertises
     * addresses it does not hold, a black hole for its clients: it goes FAULT (it removes what it
     * added and falls silent, so a backup takes over), and after a backoff rejoins as a backup.
     */
    private void addressDeadlineExpired() {
        addressDeadline = null;
        if (state != VrrpState.MASTER || addressesHeld) {
            return;
        }
        counters.addressFaults++;
        long backoff = addressFaultBackoffNanos;
        addressFaultBackoffNanos = Math.min(2 * backoff, MAX_ADDRESS_FAULT_BACKOFF_NANOS);
        log.error("({}) virtual addresses not held {} ms after becoming master ({}): entering FAULT so that a"
                + " backup takes over; back in the election in {} s", config.name(), masterDownIntervalNanos() / 1_000_000L,
                lastAddressError, backoff / 1_000_000_000L);
        faults.add(FaultReason.ADDRESSES_NOT_HELD);
        faultView = Set.copyOf(faults);
        enterFault(FaultReason.ADDRESSES_NOT_HELD.description() + " (" + lastAddressError + ")");
        syncGate.faultsChanged(this);
        cancel(addressFaultBackoff);
        addressFaultBackoff = timers.schedule(backoff, () -> {
            addressFaultBackoff = null;
            faultCleared(FaultReason.ADDRESSES_NOT_HELD);
        });
    }

    // ---- transitions ----

    private void becomeMaster(String reason) {
        cancel(masterDownTimer);
        masterDownTimer = null;
        // As keepalived: a master's Master_Adver_Interval is its own again, so a later wait as a
        // backup that hears nobody is not timed by a former master's interval.
        masterAdverIntervalNanos = config.advertInterval().toNanos();
        // Before the add: the kernel may confirm the addresses before addVirtualAddresses returns.
        addressesHeld = false;
        cancel(addressDeadline);
        addressDeadline = timers.schedule(masterDownIntervalNanos(), onAddressDeadline);
        sendAdvertisement();
        actions.addVirtualAddresses();
        announcements.becameMaster();
        restartAdverTimer();
        masterAddress = primaryAddress;
        counters.becameMaster++;
        changeState(VrrpState.MASTER, reason);
    }

    /** The one door through which the state changes: it logs, counts and notifies. */
    private void changeState(VrrpState to, String reason) {
        VrrpState from = state;
        state = to;
        waitingForGroup = false;
        counters.transitions++;
        if (to != VrrpState.INITIALIZE) {
            String suffix = "init".equals(reason) ? " (init)" : "";
            log.info("({}) Entering {} STATE{}", config.name(), to.keepalivedName(), suffix);
        }
        if (!"init".equals(reason)) {
            log.debug("({}) {} -> {}: {}", config.name(), from, to, reason);
        }
        actions.stateChanged(from, to, reason);
        syncGate.changed(this, from, to);
    }

    private void sendAdvertisement() {
        actions.sendAdvertisement(advertisement);
        counters.advertisementsSent++;
    }

    private void restartAdverTimer() {
        cancel(adverTimer);
        long interval = config.advertInterval().toNanos();
        long now = timers.nanoTime();
        nextAdvertDeadline = onAdvertGrid(now + interval, interval);
        adverTimer = timers.schedule(nextAdvertDeadline - now, onAdverTimer);
    }

    /**
     * {@code deadline} moved back onto a grid of 1/32 of the interval, shared by every instance
     * with that interval: a master's Adver_Timer runs at most 3 % short, once, when its schedule
     * starts, and then the instances that started within one grid step send together, in one
     * wakeup of their loop. 255 instances at 100 ms woke a master 2,550 times a second, one
     * wakeup per advert; an advert that is sent early is never a problem, only a late one.
     */
    static long onAdvertGrid(long deadline, long interval) {
        long step = interval / ADVERT_GRID_STEPS;
        return step == 0 ? deadline : deadline - Math.floorMod(deadline, step);
    }

    private static final int ADVERT_GRID_STEPS = 32;

    /**
     * Sets the Master_Down_Timer to expire {@code delayNanos} from now. Every advert from the
     * master pushes it later; rather than cancel and schedule a timer per advert (2,550 a second
     * on a backup of 255 instances at 100 ms), the scheduled one stays while it fires no earlier
     * than the master's next advert is due (with half an interval to spare), so that it is moved
     * every third advert or so and, while adverts keep coming, never fires (a timer that fires
     * wakes the loop for nothing). One that fires before the expiry all the same is set again for
     * the rest; an earlier expiry (a priority 0 advert's Skew_Time) replaces it.
     */
    private void startMasterDownTimer(long delayNanos) {
        long now = timers.nanoTime();
        long expiry = now + delayNanos;
        masterDownExpiry = expiry;
        if (masterDownTimer != null && masterDownTimerFiresAt - expiry <= 0
                && masterDownTimerFiresAt - now >= masterAdverIntervalNanos + masterAdverIntervalNanos / 2) {
            return;
        }
        cancel(masterDownTimer);
        masterDownTimerFiresAt = expiry;
        masterDownTimer = timers.schedule(delayNanos, onMasterDownTimer);
    }

    private void cancelTimers() {
        cancel(masterDownTimer);
        cancel(adverTimer);
        announcements.stop();
        cancel(addressDeadline);
        cancel(addressFaultBackoff);
        masterDownTimer = adverTimer = addressDeadline = addressFaultBackoff = null;
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

    // ---- read-only views for JMX and tests, from any thread ----

    public VrrpState state() {
        return state;
    }

    public VirtualRouterConfig config() {
        return config;
    }

    /** The advertisement we send now (its priority is the effective one). */
    public VrrpAdvertisement advertisement() {
        return advertisement;
    }

    public int effectivePriority() {
        return effectivePriority;
    }

    /** The interface's address the adverts come from; null while it has none. */
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

    /**
     * A tracked object with weight 0 ({@code what}, e.g. "track-interface e1") went down or came
     * back: while any is down the instance is in FAULT, as keepalived does.
     */
    public void trackedDown(String what, boolean down) {
        if (!(down ? trackedDown.add(what) : trackedDown.remove(what))) {
            return;
        }
        trackedDownView = List.copyOf(trackedDown);
        log.info("({}) {} is {}", config.name(), what, down ? "down" : "up again");
        if (!trackedDown.isEmpty()) {
            faultRaised(FaultReason.TRACKED);
        } else {
            faultCleared(FaultReason.TRACKED);
        }
    }

    /**
     * keepalived's weights: what the tracked object {@code what} adds to the priority now (0: nothing).
     * The effective priority is the configured one plus the sum of them, kept within 1..254; an owner (255)
     * keeps 255. A change is advertised at once by a master; a backup's preemption is decided
     * on the next advert it hears, with the new priority.
     */
    public void trackedWeight(String what, int weight) {
        Integer before = weight == 0 ? trackedWeights.remove(what) : trackedWeights.put(what, weight);
        if (before == null ? weight == 0 : before == weight) {
            return;
        }
        int sum = 0;
        for (int w : trackedWeights.values()) {
            sum += w;
        }
        trackedWeightsChanged(sum);
    }

    /**
     * A reload gave this instance another priority (see {@link VirtualRouterConfig#changesInPlaceTo}):
     * the effective priority follows with the tracked weights; a master advertises it at once, a
     * backup decides on the next advert it hears, as for a tracked weight. No state changes here.
     */
    public void reconfigure(VirtualRouterConfig next) {
        if (!config.changesInPlaceTo(next)) {
            throw new IllegalArgumentException("(" + config.name() + ") cannot change in place to " + next);
        }
        int before = config.priority();
        int effectiveBefore = effectivePriority;
        boolean addressesChanged = !config.virtualAddresses().equals(next.virtualAddresses());
        config = next;
        if (addressesChanged) {
            log.info("({}) virtual addresses changed by a reload to {}", config.name(), next.virtualAddresses());
            advertisement = buildAdvertisement(next).withPriority(effectivePriority);
        }
        if (before != next.priority()) {
            log.info("({}) priority changed by a reload from {} to {}", config.name(), before, next.priority());
            int sum = 0;
            for (int w : trackedWeights.values()) {
                sum += w;
            }
            trackedWeightsChanged(sum);
        }
        // One advert for the change: a new effective priority was just advertised with the new list.
        if (addressesChanged && state == VrrpState.MASTER && effectivePriority == effectiveBefore) {
            sendAdvertisement();
            restartAdverTimer();
        }
    }

    private void trackedWeightsChanged(int weights) {
        if (config.isAddressOwner()) {
            return;
        }
        int base = ownerConflicts.isEmpty() ? config.priority() : VirtualRouterConfig.PRIORITY_OWNER - 1;
        int priority = Math.max(1, Math.min(VirtualRouterConfig.PRIORITY_OWNER - 1, base + weights));
        if (priority == effectivePriority) {
            return;
        }
        log.info("({}) Changing effective priority from {} to {}", config.name(), effectivePriority, priority);
        effectivePriority = priority;
        advertisement = advertisement.withPriority(priority);
        if (state == VrrpState.MASTER) {
            sendAdvertisement();
            restartAdverTimer();
        }
    }

    /** The tracked objects with weight 0 that are down now. */
    public List<String> trackedDown() {
        return trackedDownView;
    }

    /** Why the instance is in FAULT (or would be, before startup); empty when nothing is wrong. */
    public Set<FaultReason> faults() {
        return faultView;
    }

    /** Peers seen claiming to be the address owner while we were configured as one. */
    public List<InetAddress> ownerConflicts() {
        return new ArrayList<>(ownerConflictView);
    }

    public VirtualRouterCounters counters() {
        return counters;
    }
}
