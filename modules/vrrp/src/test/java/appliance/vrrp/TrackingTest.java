package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 14, item 1: the effective priority and the weight-0 faults as inputs of the state machine. */
class TrackingTest {

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    VirtualRouter router(int priority) {
        VirtualRouterConfig c = VirtualRouterConfig.of("VI_1", "e0", 51, priority, VrrpVersion.V3, Duration.ofMillis(100),
                VrrpState.BACKUP, true, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")));
        VirtualRouter r = actions.bind(new VirtualRouter(c, VirtualRouterTest.SELF, clock, actions));
        r.startup();
        return r;
    }

    @Test
    void aWeightChangeIsAdvertisedAtOnceByAMasterAndClampedTo1Through254() {
        VirtualRouter r = router(100);
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        int before = actions.adverts.size();
        r.trackedWeight("track-file w", -30);
        assertEquals(70, r.effectivePriority());
        assertEquals(before + 1, actions.adverts.size(), "advertised at once");
        assertEquals(70, actions.adverts.get(before).priority());
        r.trackedWeight("track-file w", -500);
        assertEquals(1, r.effectivePriority());
        r.trackedWeight("track-file w", 500);
        assertEquals(254, r.effectivePriority(), "never 255: only the configured owner is");
        r.trackedWeight("track-file w", 154);
        assertEquals(before + 3, actions.adverts.size(), "no advert when nothing changes");
    }

    @Test
    void aReloadedPriorityIsAdvertisedAtOnceByAMasterWithTheWeightsStillAddedAndNoTransition() {
        VirtualRouter r = router(100);
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        r.trackedWeight("track-file w", -10);
        int before = actions.adverts.size();
        long transitions = actions.count("state");
        r.reconfigure(r.config().withPriorityAndNotify(60, r.config().notifyScripts()));
        assertEquals(50, r.effectivePriority(), "60 - 10");
        assertEquals(60, r.config().priority());
        assertEquals(before + 1, actions.adverts.size(), "advertised at once");
        assertEquals(50, actions.adverts.get(before).priority());
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(transitions, actions.count("state"), "no transition");
        VirtualRouterConfig other = VirtualRouterConfig.of("VI_1", "e0", 52, 60, VrrpVersion.V3, Duration.ofMillis(100),
                VrrpState.BACKUP, true, Optional.empty(), List.of(VirtualAddress.parse("10.99.0.100/24")));
        assertThrows(IllegalArgumentException.class, () -> r.reconfigure(other), "a VRID change needs a restart");
        assertThrows(IllegalArgumentException.class, () -> r.reconfigure(r.config().withPriorityAndNotify(255,
                r.config().notifyScripts())), "becoming the address owner needs a restart");
    }

    @Test
    void aReloadedAddressListIsAdvertisedAtOnceByAMasterWithoutATransition() {
        VirtualRouter r = router(100);
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
        int before = actions.adverts.size();
        long transitions = actions.count("state");
        List<VirtualAddress> more = List.of(VirtualAddress.parse("10.99.0.100/24"), VirtualAddress.parse("10.99.0.101/24"));
        assertTrue(r.config().changesInPlaceTo(r.config().withInPlaceChanges(100, r.config().notifyScripts(), more,
                List.of())));
        r.reconfigure(r.config().withInPlaceChanges(100, r.config().notifyScripts(), more, List.of()));
        assertEquals(before + 1, actions.adverts.size(), "advertised at once");
        assertEquals(2, actions.adverts.get(before).ipAddresses().size());
        assertEquals(transitions, actions.count("state"), "no transition");
        assertFalse(r.config().changesInPlaceTo(r.config().withInPlaceChanges(100, r.config().notifyScripts(),
                List.of(VirtualAddress.parse("fd00:99::100/64")), List.of())), "another family restarts");
        assertFalse(r.config().changesInPlaceTo(r.config().withInPlaceChanges(100, r.config().notifyScripts(),
                List.of(VirtualAddress.parse("10.99.0.100/25")), List.of())), "an address kept with other options restarts");
    }

    @Test
    void aBackupWhosePriorityAReloadRaisesAboveTheMastersPreemptsIt() {
        VirtualRouter r = router(100);
        List<java.net.InetAddress> vips = List.of(VirtualRouterTest.addr("10.99.0.100"));
        r.advertisementReceived(VrrpAdvertisement.v3(51, 120, 10, vips), VirtualRouterTest.addr("10.99.0.2"), clock.nanoTime());
        clock.advanceMillis(100);
        r.reconfigure(r.config().withPriorityAndNotify(130, r.config().notifyScripts()));
        for (int i = 0; i < 5; i++) {
            r.advertisementReceived(VrrpAdvertisement.v3(51, 120, 10, vips), VirtualRouterTest.addr("10.99.0.2"),
                    clock.nanoTime());
            clock.advanceMillis(100);
        }
        assertEquals(VrrpState.MASTER, r.state(), "130 > 120 with preempt");
    }

    @Test
    void theOwnerKeeps255WhateverTheWeights() {
        VirtualRouter r = router(255);
        r.trackedWeight("track-file w", -100);
        assertEquals(255, r.effectivePriority());
    }

    @Test
    void aBackupWhosePriorityRisesAboveTheMastersPreemptsIt() {
        VirtualRouter r = router(100);
        List<java.net.InetAddress> vips = List.of(VirtualRouterTest.addr("10.99.0.100"));
        r.advertisementReceived(VrrpAdvertisement.v3(51, 120, 10, vips), VirtualRouterTest.addr("10.99.0.2"), clock.nanoTime());
        clock.advanceMillis(100);
        r.trackedWeight("track-file w", 30);
        for (int i = 0; i < 5; i++) {
            r.advertisementReceived(VrrpAdvertisement.v3(51, 120, 10, vips), VirtualRouterTest.addr("10.99.0.2"),
                    clock.nanoTime());
            clock.advanceMillis(100);
        }
        assertEquals(VrrpState.MASTER, r.state(), "130 > 120 with preempt: the master's adverts are discarded");
    }

    @Test
    void aTrackedObjectWithWeight0PutsTheInstanceInFaultUntilItIsBack() {
        VirtualRouter r = router(100);
        clock.advanceMillis(400);
        r.trackedDown("track-interface e1", true);
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(List.of("track-interface e1"), r.trackedDown());
        assertTrue(r.faults().contains(FaultReason.TRACKED));
        r.trackedDown("track-interface e2", true);
        r.trackedDown("track-interface e1", false);
        assertEquals(VrrpState.FAULT, r.state(), "e2 is still down");
        r.trackedDown("track-interface e2", false);
        assertEquals(VrrpState.BACKUP, r.state());
        clock.advanceMillis(400);
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void weightsFollowKeepalivedsSigns() {
        TrackedInterface plus = new TrackedInterface("e1", 10);
        TrackedInterface minus = new TrackedInterface("e2", -10);
        TrackedInterface zero = new TrackedInterface("e3", 0);
        assertEquals(10, plus.weightWhen(true));
        assertEquals(0, plus.weightWhen(false));
        assertEquals(0, minus.weightWhen(true));
        assertEquals(-10, minus.weightWhen(false));
        assertTrue(zero.faultWhen(false) && !zero.faultWhen(true) && !plus.faultWhen(false));
    }

    @Test
    void theWeightsOfSeveralTrackedObjectsAddUp() {
        VirtualRouter r = router(100);
        r.trackedWeight("track-interface e1", -10);
        r.trackedWeight("track-file /run/w", 25);
        assertEquals(115, r.effectivePriority());
        r.trackedWeight("track-interface e1", 0);
        assertEquals(125, r.effectivePriority());
    }

    @Test
    void aTrackedFilesValueIsMultipliedByItsWeightAndWeight0MeansFaultOnNonZero() {
        TrackedFile weighted = new TrackedFile(java.nio.file.Path.of("/run/ha/weight"), 2);
        assertEquals(-20, weighted.weightFor(-10));
        assertTrue(!weighted.faultFor(-10) && weighted.faultFor(-127), "below -253 is a fault, as keepalived");
        TrackedFile flag = new TrackedFile(java.nio.file.Path.of("/run/ha/down"), 0);
        assertEquals(0, flag.weightFor(5));
        assertTrue(flag.faultFor(1) && !flag.faultFor(0));
    }
}
