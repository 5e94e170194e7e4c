package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * keepalived's announcement timing (item 5 of issue 13): garp-master-delay and -repeat,
 * garp-master-refresh and -repeat, garp-lower-prio-delay and -repeat, and the per-interface
 * spacing of garp-interval / gna-interval, on a manual clock.
 */
class AnnouncementTimingTest {

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    static VirtualRouterConfig config(Announcements a) {
        return new VirtualRouterConfig("VI_1", "e0", 51, 150, VrrpVersion.V3, Duration.ofMillis(100), VrrpState.BACKUP,
                true, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")), a, false, UnicastPeers.NONE,
                Duration.ZERO, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE);
    }

    VirtualRouter master(Announcements a) {
        VirtualRouter r = actions.bind(new VirtualRouter(config(a), VirtualRouterTest.SELF, clock, actions));
        r.startup();
        clock.advanceMillis(400); // Master_Down_Interval at 100 ms, priority 150: 341 ms
        assertEquals(VrrpState.MASTER, r.state());
        return r;
    }

    /** The times (ms since the takeover) and sizes of the rounds asked for. */
    List<String> rounds(long since) {
        List<String> r = new ArrayList<>();
        for (RecordingActions.Event e : actions.events) {
            if (e.what().equals("garp")) {
                r.add((e.nanos() - since) / 1_000_000 + "ms x" + e.detail());
            }
        }
        return r;
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + "ms";
    }

    long takeoverAt() {
        return actions.events.stream().filter(e -> e.what().equals("state") && e.detail() == VrrpState.MASTER)
                .findFirst().orElseThrow().nanos();
    }

    @Test
    void keepalivedsDefaultsAreFiveAtOnceAndFiveMoreAfterFiveSecondsAndNoRefresh() {
        master(Announcements.DEFAULTS);
        clock.advanceMillis(20_000);
        assertEquals(List.of("0ms x5", "5000ms x5"), rounds(takeoverAt()));
    }

    @Test
    void refreshSendsARoundAtTheFirstAdvertAfterEachRefreshInterval() {
        master(Announcements.DEFAULTS.withMaster(Duration.ZERO, 2).withRefresh(Duration.ofMillis(1050), 3));
        clock.advanceMillis(3500);
        // Adverts every 100 ms from the first (on the advert grid, up to 3 % early): the first one
        // at or past 1050 ms is the 11th, then the 22nd, the 33rd.
        long takeover = takeoverAt();
        long first = VirtualRouter.onAdvertGrid(takeover + 100_000_000L, 100_000_000L) - takeover;
        assertTrue(first > 96_000_000L && first <= 100_000_000L, "first interval " + first + " ns");
        assertEquals(List.of("0ms x2", ms(first + 1_000_000_000L) + " x3", ms(first + 2_100_000_000L) + " x3",
                ms(first + 3_200_000_000L) + " x3"), rounds(takeover));
    }

    @Test
    void refreshStopsWhenTheRouterIsNoLongerMaster() {
        VirtualRouter r = master(Announcements.DEFAULTS.withMaster(Duration.ZERO, 1).withRefresh(Duration.ofMillis(500), 1));
        List<InetAddress> vips = List.of(VirtualRouterTest.addr("10.99.0.100"));
        r.advertisementReceived(VrrpAdvertisement.v3(51, 200, 10, vips), VirtualRouterTest.addr("10.99.0.2"),
                clock.nanoTime());
        assertEquals(VrrpState.BACKUP, r.state());
        long before = actions.count("garp");
        for (int i = 0; i < 30; i++) { // the higher master keeps advertising
            clock.advanceMillis(100);
            r.advertisementReceived(VrrpAdvertisement.v3(51, 200, 10, vips), VirtualRouterTest.addr("10.99.0.2"),
                    clock.nanoTime());
        }
        assertEquals(before, actions.count("garp"));
    }

    @Test
    void aLowerPriorityMasterDrawsARoundAndAnotherAfterTheLowerPrioDelay() {
        VirtualRouter r = master(Announcements.DEFAULTS.withMaster(Duration.ZERO, 5)
                .withLowerPrio(Duration.ofSeconds(2), 3));
        long heardAt = clock.nanoTime();
        List<InetAddress> vips = List.of(VirtualRouterTest.addr("10.99.0.100"));
        // A healed partition: the other side, priority 100, still thinks it is master and sends 3 adverts.
        for (int i = 0; i < 3; i++) {
            r.advertisementReceived(VrrpAdvertisement.v3(51, 100, 10, vips), VirtualRouterTest.addr("10.99.0.2"),
                    clock.nanoTime());
            clock.advanceMillis(30);
        }
        clock.advanceMillis(5000);
        assertEquals(VrrpState.MASTER, r.state());
        List<String> afterHeard = rounds(heardAt).subList(1, rounds(heardAt).size());
        // One immediate round (the next two adverts came within one advert interval), one delayed
        // round 2 s after the last advert heard.
        assertEquals(List.of("0ms x3", "2060ms x3"), afterHeard);
    }

    @Test
    void lowerPrioRepeatZeroSendsNothingOnALowerPriority() {
        VirtualRouter r = master(Announcements.DEFAULTS.withMaster(Duration.ZERO, 5).withLowerPrio(Duration.ofSeconds(1), 0));
        r.advertisementReceived(VrrpAdvertisement.v3(51, 100, 10, List.of(VirtualRouterTest.addr("10.99.0.100"))),
                VirtualRouterTest.addr("10.99.0.2"), clock.nanoTime());
        clock.advanceMillis(3000);
        assertEquals(1, actions.count("garp"), "only the takeover's round");
    }

    @Test
    void thePacerSpacesFramesOnTheInterfaceAcrossInstancesAndDropsAResignedOwnersFrames() {
        List<String> wire = new ArrayList<>();
        AnnouncementPacer<byte[]> pacer = new AnnouncementPacer<>(Duration.ofMillis(10).toNanos(), clock, f -> {
            wire.add(clock.nanoTime() / 1_000_000 + ":" + new String(f));
            return true;
        });
        long t0 = clock.nanoTime() / 1_000_000;
        Object vi1 = new Object();
        Object vi2 = new Object();
        assertEquals(1, pacer.send(vi1, List.of("a1".getBytes(), "a2".getBytes(), "a3".getBytes())));
        assertEquals(0, pacer.send(vi2, List.of("b1".getBytes(), "b2".getBytes())), "the interface is busy");
        clock.advanceMillis(15);
        pacer.cancel(vi2); // VI_2 left MASTER: its announcements are void
        clock.advanceMillis(100);
        assertEquals(List.of(t0 + ":a1", (t0 + 10) + ":a2", (t0 + 20) + ":a3"), wire);
        assertEquals(0, pacer.queued());
        clock.advanceMillis(3);
        assertEquals(1, pacer.send(vi1, List.of("a4".getBytes())), "free again: at once");

        AnnouncementPacer<byte[]> unpaced = new AnnouncementPacer<>(0, clock, f -> true);
        assertEquals(3, unpaced.send(vi1, List.of(new byte[1], new byte[1], new byte[1])));
    }

    @Test
    void intervalsAreReadPerFamilyAndCheckedAsKeepalivedReadsThem() {
        Announcements a = Announcements.DEFAULTS.withIntervals(Duration.ofMillis(20), Duration.ofMillis(30));
        assertEquals(Duration.ofMillis(20), a.interval(false));
        assertEquals(Duration.ofMillis(30), a.interval(true));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Announcements.DEFAULTS.withIntervals(Duration.ofSeconds(2), Duration.ZERO));
        assertTrue(e.getMessage().contains("garp-interval must be 0s..1s"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Announcements.DEFAULTS.withRefresh(Duration.ofSeconds(5), 0));
        assertTrue(e.getMessage().contains("garp-master-refresh-repeat must be 1..255"), e.getMessage());
    }
}
