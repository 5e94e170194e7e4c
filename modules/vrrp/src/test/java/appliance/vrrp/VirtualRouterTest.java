package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualRouterTest {

    static final InetAddress SELF = addr("10.99.0.1");
    static final InetAddress PEER_LOW = addr("10.99.0.0");
    static final InetAddress PEER_HIGH = addr("10.99.0.2");
    static final List<InetAddress> VIPS = List.of(addr("10.99.0.100"));

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static VirtualRouterConfig v3(int priority, long intervalMillis, boolean preempt) {
        return VirtualRouterConfig.of("VI_1", "e0", 51, priority, VrrpVersion.V3, Duration.ofMillis(intervalMillis),
                VrrpState.BACKUP, preempt, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")));
    }

    VirtualRouter router(VirtualRouterConfig c) {
        return actions.bind(new VirtualRouter(c, SELF, clock, actions));
    }

    static VrrpAdvertisement advert(int priority, int intervalCs) {
        return VrrpAdvertisement.v3(51, priority, intervalCs, VIPS);
    }

    @Test
    void startsAsBackupAndTakesOverAfterMasterDownInterval() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        assertEquals(VrrpState.BACKUP, r.state());
        // Skew_Time = (256-100)*100ms/256 = 60.9375 ms; Master_Down_Interval = 360.9375 ms.
        assertEquals(60_937_500L, r.skewTimeNanos());
        assertEquals(360_937_500L, r.masterDownIntervalNanos());
        clock.advance(Duration.ofNanos(360_937_499L));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(List.of("state", "advert", "add", "garp", "state"), actions.names());
        assertEquals(5, actions.events.get(3).detail(), "keepalived's default garp_master_repeat");
    }

    @Test
    void stateMasterBelowOwnerPriorityStillListensFirstAsKeepalivedDoes() {
        VirtualRouterConfig c = VirtualRouterConfig.of("VI_1", "e0", 51, 150, VrrpVersion.V3, Duration.ofSeconds(1),
                VrrpState.MASTER, true, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")));
        VirtualRouter r = router(c);
        r.startup();
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advanceMillis(3000);
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advanceMillis(500);
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void addressOwnerBecomesMasterAtStartup() {
        VirtualRouter r = router(v3(255, 1000, true));
        r.startup();
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(List.of("advert", "add", "garp", "state"), actions.names());
    }

    @Test
    void backupStaysBackupWhileHigherPriorityMasterAdvertises() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        for (int i = 0; i < 100; i++) {
            r.advertisementReceived(advert(150, 10), PEER_HIGH);
            clock.advanceMillis(100);
        }
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals(PEER_HIGH, r.masterAddress());
        assertEquals(0, actions.count("advert"));
    }

    @Test
    void preemptingBackupIgnoresLowerPriorityMasterAndTakesOver() {
        VirtualRouter r = router(v3(150, 100, true));
        r.startup();
        long start = clock.nanoTime();
        while (r.state() == VrrpState.BACKUP && clock.nanoTime() - start < 2_000_000_000L) {
            r.advertisementReceived(advert(100, 10), PEER_HIGH);
            clock.advanceMillis(10);
        }
        assertEquals(VrrpState.MASTER, r.state());
        long tookMillis = (clock.nanoTime() - start) / 1_000_000;
        // 3 * 100 ms + (256-150)*100/256 ms = 341.4 ms, reached at the next 10 ms step
        assertTrue(tookMillis >= 341 && tookMillis <= 350, "took " + tookMillis + " ms");
    }

    @Test
    void nopreemptBackupLeavesLowerPriorityMasterInPlace() {
        VirtualRouter r = router(v3(150, 100, false));
        r.startup();
        for (int i = 0; i < 100; i++) {
            r.advertisementReceived(advert(100, 10), PEER_HIGH);
            clock.advanceMillis(100);
        }
        assertEquals(VrrpState.BACKUP, r.state());
    }

    @Test
    void masterStepsDownForHigherPriorityAndRemovesAddresses() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        r.advertisementReceived(advert(200, 10), PEER_HIGH);
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals("remove", actions.events.get(actions.events.size() - 2).what());
        long advertsBefore = actions.count("advert");
        clock.advanceMillis(300);
        assertEquals(advertsBefore, actions.count("advert"), "a backup does not advertise");
    }

    @Test
    void equalPriorityIsWonByTheHigherPrimaryAddress() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        r.advertisementReceived(advert(100, 10), PEER_LOW);
        assertEquals(VrrpState.MASTER, r.state(), "10.99.0.0 < 10.99.0.1: we keep mastership");
        r.advertisementReceived(advert(100, 10), PEER_HIGH);
        assertEquals(VrrpState.BACKUP, r.state(), "10.99.0.2 > 10.99.0.1: the peer wins");
    }

    @Test
    void backupHearingPriorityZeroTakesOverAfterSkewTime() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        r.advertisementReceived(advert(200, 10), PEER_HIGH);
        clock.advanceMillis(50);
        r.advertisementReceived(advert(0, 10), PEER_HIGH);
        clock.advance(Duration.ofNanos(r.skewTimeNanos() - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void gracefulShutdownOfMasterSendsPriorityZeroAndRemovesAddresses() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        actions.events.clear();
        r.shutdown();
        assertEquals(List.of("advert", "remove", "state"), actions.names());
        assertEquals(0, actions.events.get(0).detail());
        assertEquals(VrrpState.INITIALIZE, r.state());
        long advertsAfter = actions.count("advert");
        clock.advanceMillis(10_000);
        assertEquals(advertsAfter, actions.count("advert"), "no timer survives shutdown");
    }

    @Test
    void masterWhoseInterfaceGoesDownRemovesAddressesAndFallsSilentInFault() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        actions.events.clear();
        r.interfaceDown();
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(List.of("remove", "state"), actions.names());
        assertEquals(null, r.masterAddress());
        r.advertisementReceived(advert(50, 10), PEER_LOW);
        clock.advanceMillis(60_000);
        assertEquals(List.of("remove", "state"), actions.names(), "in FAULT nothing is sent, heard or timed");
        r.interfaceDown();
        assertEquals(2, actions.events.size(), "a repeated down report changes nothing");
    }

    @Test
    void interfaceBackUpListensAsBackupBeforeTakingOver() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        r.interfaceDown();
        clock.advanceMillis(5_000);
        r.interfaceUp();
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos() - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        r.advertisementReceived(advert(150, 10), PEER_HIGH);
        clock.advanceMillis(300);
        assertEquals(VrrpState.BACKUP, r.state(), "a master is there: stay backup");
        clock.advanceMillis(100);
        assertEquals(VrrpState.MASTER, r.state(), "its adverts stop: take over after Master_Down_Interval");
    }

    @Test
    void backupInFaultNeverTakesOver() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(200);
        r.interfaceDown();
        assertEquals(VrrpState.FAULT, r.state());
        clock.advanceMillis(10_000);
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(0, actions.count("add"));
        assertEquals(0, actions.count("advert"));
    }

    @Test
    void interfaceDownBeforeStartupStartsInFaultAndAddressOwnerReclaimsOnUp() {
        VirtualRouter r = router(v3(255, 100, true));
        r.interfaceDown();
        assertEquals(VrrpState.INITIALIZE, r.state());
        r.startup();
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(List.of("state"), actions.names());
        r.interfaceUp();
        assertEquals(VrrpState.MASTER, r.state(), "priority 255 owns the addresses: no waiting");
        assertEquals(1, actions.count("add"));
    }

    @Test
    void shutdownInFaultSendsNothing() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        r.interfaceDown();
        actions.events.clear();
        r.shutdown();
        assertEquals(List.of("state"), actions.names());
        assertEquals(VrrpState.INITIALIZE, r.state());
    }

    @Test
    void masterDownTimerRunsFromWhenTheKernelReceivedTheAdvert() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(100);
        // Read 5 ms after it arrived (a busy loop, a pause): the timer must not run 5 ms long.
        r.advertisementReceived(advert(150, 10), PEER_HIGH, clock.nanoTime() - 5_000_000L);
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos() - 5_000_000L - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
    }

    /**
     * A backup hearing its master schedules a timer per Master_Down_Interval, not per advert,
     * and still takes over exactly one Master_Down_Interval after the last advert.
     */
    @Test
    void aStreamOfAdvertsSetsFewTimersAndTheTakeoverIsExactAfterTheLast() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        long before = clock.scheduled();
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(100);
            r.advertisementReceived(advert(150, 10), PEER_HIGH);
        }
        long timers = clock.scheduled() - before;
        assertTrue(timers <= 100 / 3 + 1, timers + " timers for 100 adverts");
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos() - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
    }

    /**
     * An advert that arrived in time but still waits in the socket (reads paced under dense
     * traffic) is read before the Master_Down_Timer decides: the backup stays, and its timer
     * runs from that advert's arrival.
     */
    @Test
    void anAdvertWaitingToBeReadWhenTheTimerExpiresKeepsTheBackup() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        long arrived = clock.nanoTime() + r.masterDownIntervalNanos() - 2_000_000L;
        actions.pending = () -> r.advertisementReceived(advert(150, 10), PEER_HIGH, arrived);
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos()));
        assertEquals(VrrpState.BACKUP, r.state(), "the advert read at expiry keeps it backup");
        assertEquals(1, actions.pendingReads);
        clock.advance(Duration.ofNanos(arrived + r.masterDownIntervalNanos() - clock.nanoTime() - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state(), "one Master_Down_Interval after that advert arrived");
    }

    @Test
    void aLowerPriorityAdvertWaitingToBeReadDoesNotStopAPreemptingBackup() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        actions.pending = () -> r.advertisementReceived(advert(50, 10), PEER_HIGH, clock.nanoTime());
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos()));
        assertEquals(VrrpState.MASTER, r.state());
    }

    /**
     * Masters that took over within one grid step (1/32 of the interval) of each other advertise
     * at the same instants, so that their loop wakes once for both; no interval is longer than
     * configured, and only the first is shorter (by less than a step).
     */
    @Test
    void mastersThatStartedTogetherAdvertiseOnOneGrid() {
        RecordingActions otherActions = new RecordingActions(clock);
        VirtualRouter a = router(v3(100, 100, true));
        VirtualRouter b = otherActions.bind(new VirtualRouter(v3(100, 100, true), SELF, clock, otherActions));
        a.startup();
        clock.advanceMillis(1);
        b.startup();
        clock.advanceMillis(2000);
        assertEquals(VrrpState.MASTER, a.state());
        assertEquals(VrrpState.MASTER, b.state());
        List<Long> ta = actions.advertTimes;
        List<Long> tb = otherActions.advertTimes;
        long step = 100_000_000L / 32;
        long firstA = ta.get(1) - ta.get(0);
        assertTrue(firstA <= 100_000_000L && firstA > 100_000_000L - step, "first interval " + firstA);
        for (int i = 2; i < ta.size(); i++) {
            assertEquals(100_000_000L, ta.get(i) - ta.get(i - 1), "advert " + i);
        }
        assertEquals(ta.subList(ta.size() - 10, ta.size()), tb.subList(tb.size() - 10, tb.size()),
                "the same instants");
    }

    @Test
    void theGridLeavesADeadlineOnItAndMovesOthersBackLessThanAStep() {
        long interval = 100_000_000L;
        assertEquals(3_125_000_000L, VirtualRouter.onAdvertGrid(3_125_000_000L, interval));
        assertEquals(3_125_000_000L, VirtualRouter.onAdvertGrid(3_128_124_999L, interval));
        assertEquals(31L, VirtualRouter.onAdvertGrid(31L, 31L), "below 32 ns: no grid");
    }

    @Test
    void anImplausibleWaitShortensTheTimerByOneIntervalAtMost() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        // A wall-clock step between the kernel's stamp and now looks like a 10 s wait.
        r.advertisementReceived(advert(150, 10), PEER_HIGH, clock.nanoTime() - 10_000_000_000L);
        clock.advance(Duration.ofNanos(r.masterDownIntervalNanos() - 100_000_000L - 1));
        assertEquals(VrrpState.BACKUP, r.state(), "the live master is not overthrown at once");
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void priorityZeroTakeoverAlsoCountsFromReceipt() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        r.advertisementReceived(advert(150, 10), PEER_HIGH);
        r.advertisementReceived(advert(0, 10), PEER_HIGH, clock.nanoTime() - 2_000_000L);
        clock.advance(Duration.ofNanos(r.skewTimeNanos() - 2_000_000L - 1));
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void shutdownOfBackupSendsNothing() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        actions.events.clear();
        r.shutdown();
        assertEquals(List.of("state"), actions.names());
    }

    @Test
    void masterAdvertisesEveryIntervalWithoutDrift() {
        VirtualRouter r = router(v3(255, 10, true));
        r.startup();
        clock.advanceMillis(10_000);
        assertEquals(1001, actions.adverts.size());
        for (int i = 1; i < actions.advertTimes.size(); i++) {
            assertEquals(10_000_000L, actions.advertTimes.get(i) - actions.advertTimes.get(i - 1));
        }
    }

    @Test
    void masterAnswersPriorityZeroWithAnImmediateAdvertisement() {
        VirtualRouter r = router(v3(255, 1000, true));
        r.startup();
        clock.advanceMillis(300);
        r.advertisementReceived(advert(0, 100), PEER_HIGH);
        assertEquals(2, actions.adverts.size());
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void v3BackupLearnsTheMastersAdvertisementInterval() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        r.advertisementReceived(advert(200, 50), PEER_HIGH);
        assertEquals(500, r.masterAdverIntervalMillis());
        // 3 * 500 + 156 * 500 / 256 = 1804.6875 ms
        assertEquals(1_804_687_500L, r.masterDownIntervalNanos());
        clock.advanceMillis(1800);
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advanceMillis(5);
        assertEquals(VrrpState.MASTER, r.state());
    }

    /** RFC 5798 section 6.4.3: a master that steps down learns the new master's interval too. */
    @Test
    void v3MasterSteppingDownLearnsTheNewMastersInterval() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        r.advertisementReceived(advert(200, 50), PEER_HIGH);
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals(500, r.masterAdverIntervalMillis());
        clock.advanceMillis(1800);
        assertEquals(VrrpState.BACKUP, r.state(), "Master_Down_Interval from the learned 500 ms, not our 100 ms");
        clock.advanceMillis(5);
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(100, r.masterAdverIntervalMillis(), "its own interval again as master");
    }

    @Test
    void v2SkewTimeIsInSecondsRegardlessOfInterval() {
        VirtualRouterConfig c = VirtualRouterConfig.of("VI_1", "e0", 51, 100, VrrpVersion.V2, Duration.ofSeconds(2),
                VrrpState.BACKUP, true, Optional.of("1111"), List.of(VirtualAddress.parse("10.99.0.100/24")));
        VirtualRouter r = router(c);
        assertEquals(609_375_000L, r.skewTimeNanos());
        assertEquals(6_609_375_000L, r.masterDownIntervalNanos());
    }

    @Test
    void secondRoundOfGratuitousArpsFollowsAfterGarpMasterDelay() {
        VirtualRouter r = router(v3(255, 1000, true));
        r.startup();
        assertEquals(1, actions.count("garp"));
        clock.advanceMillis(4999);
        assertEquals(1, actions.count("garp"));
        clock.advanceMillis(1);
        assertEquals(2, actions.count("garp"));
        clock.advanceMillis(60_000);
        assertEquals(2, actions.count("garp"), "no refresh by default (vrrp_garp_master_refresh 0)");
    }

    @Test
    void leavingMasterCancelsThePendingGarpRound() {
        VirtualRouter r = router(v3(100, 100, true));
        r.startup();
        clock.advanceMillis(400);
        r.advertisementReceived(advert(200, 10), PEER_HIGH);
        for (int i = 0; i < 100; i++) {
            r.advertisementReceived(advert(200, 10), PEER_HIGH);
            clock.advanceMillis(100);
        }
        assertEquals(1, actions.count("garp"));
    }

    @Test
    void anHourOfStableMastershipHasNoSpuriousTransition() {
        VirtualRouter master = router(v3(200, 100, true));
        master.startup();
        clock.advanceMillis(400);
        long transitions = master.counters().transitions();
        clock.advance(Duration.ofHours(1));
        assertEquals(VrrpState.MASTER, master.state());
        assertEquals(transitions, master.counters().transitions());
        assertEquals(36_000, actions.adverts.size() - 1, "one advert per 100 ms for an hour");
    }
}
