package appliance.vrrp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * keepalived's vrrp_garp_interval and vrrp_gna_interval: the least time between two announcement
 * frames on one interface, whichever instance sends them (some switches drop or rate-limit bursts
 * of gratuitous ARP). With spacing 0 frames go out at once; otherwise the first goes out when the
 * interface is free and the rest are queued and sent one per spacing. A router that leaves MASTER
 * takes its queued frames back ({@link #cancel}), as keepalived drops its pending ones. Plain
 * Java on the interface's timers, so that tests run it on a manual clock.
 */
public final class AnnouncementPacer<F> {

    private record Pending<F>(Object owner, F frame) {
    }

    private final long spacingNanos;
    private final TimerService timers;
    private final Predicate<F> sender;
    private final Deque<Pending<F>> queue = new ArrayDeque<>();
    private final Runnable onTimer = this::timerExpired;
    private TimerService.Timer timer;
    private long nextAllowedAt;
    private boolean sentBefore;

    /** @param sender sends one frame now; false when it could not */
    public AnnouncementPacer(long spacingNanos, TimerService timers, Predicate<F> sender) {
        if (spacingNanos < 0) {
            throw new IllegalArgumentException("spacing must not be negative, was " + spacingNanos);
        }
        this.spacingNanos = spacingNanos;
        this.timers = timers;
        this.sender = sender;
    }

    /** Sends or queues {@code frames} in order; returns how many went out now. */
    public int send(Object owner, List<F> frames) {
        if (spacingNanos == 0) {
            int sent = 0;
            for (F f : frames) {
                sent += sender.test(f) ? 1 : 0;
            }
            return sent;
        }
        for (F f : frames) {
            queue.add(new Pending<>(owner, f));
        }
        int before = queue.size();
        drain();
        return before - queue.size();
    }

    /** Drops the frames {@code owner} still has queued. */
    public void cancel(Object owner) {
        queue.removeIf(p -> p.owner() == owner);
        if (queue.isEmpty() && timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    public int queued() {
        return queue.size();
    }

    public long spacingNanos() {
        return spacingNanos;
    }

    private void drain() {
        if (timer != null || queue.isEmpty()) {
            return;
        }
        long now = timers.nanoTime();
        if (sentBefore && now - nextAllowedAt < 0) {
            timer = timers.schedule(nextAllowedAt - now, onTimer);
            return;
        }
        sender.test(queue.poll().frame());
        sentBefore = true;
        nextAllowedAt = now + spacingNanos;
        if (!queue.isEmpty()) {
            timer = timers.schedule(spacingNanos, onTimer);
        }
    }

    private void timerExpired() {
        timer = null;
        drain();
    }
}
