package appliance.vrrp;

import java.util.function.BooleanSupplier;

/**
 * When a master announces its virtual addresses (gratuitous ARP, unsolicited neighbour
 * advertisements), as keepalived 2.2.7 does: a round on becoming master and another
 * garp-master-delay later; a refresh round at the first advert garp-master-refresh after the last
 * one; and, on hearing a lower-priority master (a healed partition), a round at once and another
 * garp-lower-prio-delay later, so that the segment's caches come back to the higher-priority one.
 *
 * <p>keepalived sends a lower-priority round for every such advert it hears, and a delayed one per
 * advert too; a lower-priority master that keeps advertising (lower-prio-no-advert on our side)
 * would then draw a round every advert interval, 5 frames per address at 10 ms adverts. Here the
 * immediate round goes out at most once per advert interval and the delayed one is one timer,
 * restarted, whatever the number of adverts heard. Plain Java on the router's timers.
 */
final class AnnouncementSchedule {

    private final Announcements config;
    private final long advertIntervalNanos;
    private final TimerService timers;
    private final VrrpActions actions;
    private final BooleanSupplier isMaster;
    private final Runnable onMasterDelay = this::masterDelayExpired;
    private final Runnable onLowerPrioDelay = this::lowerPrioDelayExpired;
    private TimerService.Timer masterDelayTimer;
    private TimerService.Timer lowerPrioDelayTimer;
    private long refreshDeadline;
    private boolean lowerPrioRoundSent;
    private long lastLowerPrioRoundAt;

    AnnouncementSchedule(Announcements config, long advertIntervalNanos, TimerService timers, VrrpActions actions,
                         BooleanSupplier isMaster) {
        this.config = config;
        this.advertIntervalNanos = advertIntervalNanos;
        this.timers = timers;
        this.actions = actions;
        this.isMaster = isMaster;
    }

    void becameMaster() {
        actions.sendGratuitousArps(config.masterRepeat());
        if (!config.masterDelay().isZero()) {
            masterDelayTimer = timers.schedule(config.masterDelay().toNanos(), onMasterDelay);
        }
        refreshDeadline = timers.nanoTime() + config.masterRefresh().toNanos();
        lowerPrioRoundSent = false;
    }

    /**
     * After each periodic advert a master sends, with the time it was due: counted on the advert
     * grid rather than from when the timer ran, a refresh that is a whole number of intervals
     * falls on the same advert every time instead of slipping one interval late now and then.
     */
    void advertSent(long dueAt) {
        if (config.masterRefresh().isZero()) {
            return;
        }
        if (dueAt - refreshDeadline >= 0) {
            actions.sendGratuitousArps(config.masterRefreshRepeat());
            refreshDeadline = dueAt + config.masterRefresh().toNanos();
        }
    }

    /** A master heard an advert of lower priority than its own. */
    void lowerPriorityHeard() {
        if (config.lowerPrioRepeat() == 0) {
            return;
        }
        long now = timers.nanoTime();
        if (!lowerPrioRoundSent || now - lastLowerPrioRoundAt >= advertIntervalNanos) {
            lowerPrioRoundSent = true;
            lastLowerPrioRoundAt = now;
            actions.sendGratuitousArps(config.lowerPrioRepeat());
        }
        if (!config.lowerPrioDelay().isZero()) {
            cancel(lowerPrioDelayTimer);
            lowerPrioDelayTimer = timers.schedule(config.lowerPrioDelay().toNanos(), onLowerPrioDelay);
        }
    }

    /** Left MASTER (or stopped): no round is due any more. */
    void stop() {
        cancel(masterDelayTimer);
        cancel(lowerPrioDelayTimer);
        masterDelayTimer = lowerPrioDelayTimer = null;
    }

    private void masterDelayExpired() {
        masterDelayTimer = null;
        if (isMaster.getAsBoolean()) {
            actions.sendGratuitousArps(config.masterRepeat());
        }
    }

    private void lowerPrioDelayExpired() {
        lowerPrioDelayTimer = null;
        if (isMaster.getAsBoolean()) {
            actions.sendGratuitousArps(config.lowerPrioRepeat());
        }
    }

    private static void cancel(TimerService.Timer t) {
        if (t != null) {
            t.cancel();
        }
    }
}
