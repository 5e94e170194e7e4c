package appliance.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One failover measured the same way by the tests, the demo and the benchmark: the master is
 * cut off the switch while the client pings the virtual address.
 */
public final class Failover {

    /**
     * What one failover looked like.
     *
     * @param cutAt      just before the master was cut off (or silenced)
     * @param lastAdvert when the client last saw an advert of the master before the cut, or null
     *                   when adverts were not captured
     * @param takeover   the backup's change to MASTER
     * @param outage     the largest gap in the client's replies around the cut
     * @param bound      the backup's Master_Down_Interval (3 x interval + Skew_Time)
     */
    public record Measurement(Instant cutAt, Instant lastAdvert, VrrpNode.StateChange takeover,
                              OutageProbe.Outage outage, Duration bound) {

        /** From the cut to the backup's MASTER line. */
        public Duration takeoverDelay() {
            return Duration.between(cutAt, takeover.at());
        }

        /** The client-seen outage. */
        public Duration gap() {
            return outage.gap();
        }

        /** From the master's last advert to the cut, when adverts were captured. */
        public Optional<Duration> phase() {
            return Optional.ofNullable(lastAdvert).map(a -> Duration.between(a, cutAt));
        }

        @Override
        public String toString() {
            return "outage " + outage + ", backup MASTER " + ProtocolTimes.seconds(takeoverDelay())
                    + " after the cut" + phase().map(p -> " (cut " + ProtocolTimes.seconds(p) + " after an advert)").orElse("")
                    + ", protocol bound " + ProtocolTimes.seconds(bound);
        }
    }

    /** Replies the probe must see flowing before the cut, so the gap has a clean start. */
    private static final Duration BEFORE_CUT = Duration.ofMillis(200);

    private Failover() {
    }

    /**
     * Cuts {@code master} off the switch at a random moment between two of its adverts and
     * measures until the client's pings have resumed through {@code backup}. The outage then lies
     * between Master_Down_Interval minus one interval and Master_Down_Interval, as for a real
     * failure. Leaves the master cut: the caller restores it or not.
     */
    public static Measurement cutMaster(Lab lab, VrrpNode master, VrrpNode backup, OutageProbe probe) {
        return atRandomPhase(lab::cut, master, backup, probe);
    }

    /**
     * As {@link #cutMaster}, but the master falls silent with its link up ({@link Lab#silence}):
     * it sees no carrier loss, so it stays MASTER, as a hung machine would. Leaves it silenced.
     */
    public static Measurement silenceMaster(Lab lab, VrrpNode master, VrrpNode backup, OutageProbe probe) {
        return atRandomPhase(lab::silence, master, backup, probe);
    }

    /**
     * As {@link #cutMaster}, but the cut follows one of the master's adverts as closely as the
     * lab can (a few milliseconds): the outage is then close to the full Master_Down_Interval
     * every time, which takes the phase's noise out of a comparison of two implementations.
     */
    public static Measurement cutMasterAfterAdvert(Lab lab, VrrpNode master, VrrpNode backup, OutageProbe probe) {
        Duration advertTimeout = master.spec().advertInterval().multipliedBy(3).plusSeconds(5);
        // Unicast adverts reach only the peer's port of the switch, so they are watched there.
        Host watcher = master.spec().unicastPeers().isEmpty() ? lab.client() : backup.host();
        try (AdvertCapture capture = AdvertCapture.start(lab, watcher, master.host(), advertTimeout)) {
            probe.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
            Lab.pause(BEFORE_CUT);
            Instant advert = capture.awaitNextAdvert(advertTimeout);
            return isolateAndMeasure(lab::cut, master, backup, probe, advert, advert);
        }
    }

    private static Measurement atRandomPhase(Consumer<Host> isolate, VrrpNode master, VrrpNode backup,
                                             OutageProbe probe) {
        probe.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
        Lab.pause(BEFORE_CUT);
        return isolateAndMeasure(isolate, master, backup, probe, Instant.now(), null);
    }

    private static Measurement isolateAndMeasure(Consumer<Host> isolate, VrrpNode master, VrrpNode backup,
                                                 OutageProbe probe, Instant windowStart, Instant lastAdvert) {
        Duration bound = backup.spec().masterDownInterval();
        Instant cutAt = Instant.now();
        isolate.accept(master.host());
        VrrpNode.StateChange takeover = backup.awaitState(VrrpState.MASTER, bound.multipliedBy(3).plusSeconds(10));
        probe.awaitReplyAfter(takeover.at(), Duration.ofSeconds(10));
        // A few more replies, so a second gap right after the takeover would show too.
        Lab.pause(probe.interval().multipliedBy(10));
        OutageProbe.Outage outage = probe.outage(windowStart.minus(BEFORE_CUT), Instant.now());
        return new Measurement(cutAt, lastAdvert, takeover, outage, bound);
    }
}
