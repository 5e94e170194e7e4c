package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import appliance.codec.vrrp.VrrpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 13, item 6: keepalived 2.2.7's preempt_delay. */
class PreemptDelayTest {

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    static VirtualRouterConfig config(Duration preemptDelay, boolean preempt, VrrpState initial) {
        return new VirtualRouterConfig("VI_1", "e0", 51, 150, VrrpVersion.V3, Duration.ofMillis(100), initial, preempt,
                Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")),
                Announcements.DEFAULTS, false,
                UnicastPeers.NONE, preemptDelay, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE);
    }

    VirtualRouter router(Duration preemptDelay) {
        VirtualRouter r = actions.bind(new VirtualRouter(config(preemptDelay, true, VrrpState.BACKUP),
                VirtualRouterTest.SELF, clock, actions));
        r.startup();
        return r;
    }

    /** A master of {@code priority} advertising every 100 ms until this router leaves BACKUP or {@code millis} pass; the time taken. */
    long masterAdvertises(VirtualRouter r, int priority, long millis) {
        long t = 0;
        while (t < millis && r.state() == VrrpState.BACKUP) {
            r.advertisementReceived(VirtualRouterTest.advert(priority, 10), VirtualRouterTest.PEER_HIGH);
            clock.advanceMillis(10);
            t += 10;
            if (t % 100 != 0) {
                clock.advanceMillis(90);
                t += 90;
            }
        }
        return t;
    }

    @Test
    void aLowerPriorityMasterIsLetBeForTheDelayThenPreempted() {
        VirtualRouter r = router(Duration.ofSeconds(5));
        long took = masterAdvertises(r, 100, 20_000);
        assertEquals(VrrpState.MASTER, r.state());
        // The delay runs from the first lower advert; the last one accepted came up to an interval
        // before it ended, and Master_Down_Interval (341.4 ms at priority 150) runs from that one.
        assertEquals(true, took >= 5_241 && took <= 5_441, "took " + took + " ms");
    }

    @Test
    void withoutADelayTheLowerMasterIsPreemptedAfterMasterDownInterval() {
        VirtualRouter r = router(Duration.ZERO);
        long took = masterAdvertises(r, 100, 20_000);
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(true, took >= 341 && took <= 441, "took " + took + " ms");
    }

    @Test
    void aHigherPriorityAdvertStopsTheDelayAndTheNextLowerOneStartsItAgain() {
        VirtualRouter r = router(Duration.ofSeconds(5));
        masterAdvertises(r, 100, 3_000);
        masterAdvertises(r, 200, 1_000);
        long took = masterAdvertises(r, 100, 20_000);
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(true, took >= 5_241 && took <= 5_441, "a fresh 5 s delay: took " + took + " ms");
    }

    @Test
    void aDelayWithNopreemptOrStateMasterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> config(Duration.ofSeconds(5), false, VrrpState.BACKUP));
        assertThrows(IllegalArgumentException.class, () -> config(Duration.ofSeconds(5), true, VrrpState.MASTER));
    }
}
