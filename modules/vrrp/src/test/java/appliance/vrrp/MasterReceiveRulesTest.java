package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 12, items 2 and 4: the master's timer after a stall, and keepalived 2.2.7's rules for what a master hears. */
class MasterReceiveRulesTest {

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    VirtualRouter router(int priority, long intervalMillis, boolean lowerPrioNoAdvert) {
        VirtualRouterConfig c = new VirtualRouterConfig("VI_1", "e0", 51, priority, VrrpVersion.V3,
                Duration.ofMillis(intervalMillis), VrrpState.BACKUP, true, Optional.empty(),
                List.of(VirtualAddress.parse("10.99.0.100/24")), Announcements.DEFAULTS, lowerPrioNoAdvert, UnicastPeers.NONE, Duration.ZERO, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE);
        return actions.bind(new VirtualRouter(c, VirtualRouterTest.SELF, clock, actions));
    }

    @Test
    void aStalledAdverTimerSendsOneAdvertAndRestartsTheScheduleFromNow() {
        VirtualRouter r = router(255, 10, false);
        r.startup();
        clock.advanceMillis(95);
        int before = actions.adverts.size();
        clock.stall(Duration.ofSeconds(1));
        clock.advanceMillis(0);
        assertEquals(before + 1, actions.adverts.size(), "one advert after the stall, not one per missed interval");
        long resumed = clock.nanoTime();
        clock.advanceMillis(10);
        assertEquals(before + 2, actions.adverts.size());
        assertEquals(resumed + 10_000_000L, actions.advertTimes.get(actions.advertTimes.size() - 1),
                "the next deadline counts from the late advert");
        assertEquals(1, r.counters().adverTimerStalls());
        assertTrue(r.counters().adverTimerMaxLatenessNanos() >= 995_000_000L, "largest lateness "
                + r.counters().adverTimerMaxLatenessNanos());
        assertEquals(0, r.counters().adverTimerLastLatenessNanos(), "the advert after the restart was on time");
        clock.advanceMillis(1_000);
        assertEquals(before + 102, actions.adverts.size(), "every 10 ms again");
    }

    @Test
    void aTimerLateByLessThanOneIntervalKeepsTheOriginalCadence() {
        VirtualRouter r = router(255, 10, false);
        r.startup();
        clock.advanceMillis(95);
        clock.stall(Duration.ofMillis(7));
        clock.advanceMillis(0);
        long late = clock.nanoTime();
        clock.advanceMillis(9);
        List<Long> t = actions.advertTimes;
        assertEquals(late + 8_000_000L, t.get(t.size() - 1), "back on the 10 ms grid at once");
        assertEquals(0, r.counters().adverTimerStalls());
        assertEquals(2_000_000L, r.counters().adverTimerMaxLatenessNanos());
    }

    @Test
    void masterAnswersALowerPriorityAdvertAtOnce() {
        VirtualRouter r = router(150, 100, false);
        r.startup();
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        int before = actions.adverts.size();
        r.advertisementReceived(VirtualRouterTest.advert(50, 10), VirtualRouterTest.PEER_HIGH);
        assertEquals(before + 1, actions.adverts.size(), "keepalived's \"forcing new election\"");
        assertEquals(150, actions.adverts.get(before).priority());
        assertEquals(1, r.counters().lowerPriorityAnswered());
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void equalPriorityFromALowerAddressIsAlsoLowerAndAnswered() {
        VirtualRouter r = router(150, 100, false);
        r.startup();
        clock.advanceMillis(400);
        int before = actions.adverts.size();
        r.advertisementReceived(VirtualRouterTest.advert(150, 10), VirtualRouterTest.PEER_LOW);
        assertEquals(before + 1, actions.adverts.size());
    }

    @Test
    void lowerPrioNoAdvertKeepsTheMasterQuiet() {
        VirtualRouter r = router(150, 100, true);
        r.startup();
        clock.advanceMillis(400);
        int before = actions.adverts.size();
        r.advertisementReceived(VirtualRouterTest.advert(50, 10), VirtualRouterTest.PEER_HIGH);
        assertEquals(before, actions.adverts.size());
        assertEquals(0, r.counters().lowerPriorityAnswered());
    }

    @Test
    void twoAddressOwnersAreAConfigurationErrorAndTheLocalOneStepsDownAt254() {
        VirtualRouter r = router(255, 100, false);
        r.startup();
        assertEquals(VrrpState.MASTER, r.state());
        r.advertisementReceived(VirtualRouterTest.advert(255, 10), VirtualRouterTest.PEER_LOW);
        assertEquals(254, r.effectivePriority(), "keepalived 2.2.7: reducing local priority");
        assertEquals(VrrpState.BACKUP, r.state(), "255 beats the lowered 254");
        assertEquals(List.of(VirtualRouterTest.PEER_LOW), r.ownerConflicts());
        assertEquals(254, r.advertisement().priority());
        // The other owner keeps advertising: we stay backup and report the peer once.
        for (int i = 0; i < 50; i++) {
            r.advertisementReceived(VirtualRouterTest.advert(255, 10), VirtualRouterTest.PEER_LOW);
            clock.advanceMillis(100);
        }
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals(1, r.ownerConflicts().size());
        // It goes away: we take over at 254, after Master_Down_Interval as any backup.
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(254, actions.adverts.get(actions.adverts.size() - 1).priority());
    }

    /**
     * A healed split brain: the master that hears a higher priority sends one advert of its own
     * before stepping down, so that the winner hears the conflict and re-announces the addresses
     * even when its advert was the first to cross.
     */
    @Test
    void aMasterSteppingDownForAHigherPriorityTellsItOnceAndThenFallsSilent() {
        VirtualRouter r = router(100, 100, false);
        r.startup();
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        int before = actions.adverts.size();
        r.advertisementReceived(VrrpAdvertisement.v3(51, 150, 10, List.of(VirtualRouterTest.addr("10.99.0.100"))),
                VirtualRouterTest.addr("10.99.0.2"), clock.nanoTime());
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals(before + 1, actions.adverts.size());
        assertEquals(100, actions.adverts.get(before).priority(), "its own priority, not 0: no backup takes it as a resignation");
        clock.advanceMillis(250);
        assertEquals(before + 1, actions.adverts.size(), "a backup is silent");
    }
}
