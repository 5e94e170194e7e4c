package appliance.vrrp;

import static appliance.vrrp.VirtualRouterTest.PEER_HIGH;
import static appliance.vrrp.VirtualRouterTest.SELF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived 2.2.7's vrrp_sync.c: members enter MASTER, BACKUP and FAULT together. */
class SyncGroupTest {

    final ManualTimerService clock = new ManualTimerService();
    final List<String> groupStates = new ArrayList<>();

    static VirtualRouterConfig config(String name, String iface, int vrid, int priority, long intervalMillis) {
        return VirtualRouterConfig.of(name, iface, vrid, priority, VrrpVersion.V3, Duration.ofMillis(intervalMillis),
                VrrpState.BACKUP, true, Optional.empty(), List.of(VirtualAddress.parse("10.99." + vrid + ".100/24")));
    }

    VirtualRouter router(VirtualRouterConfig c) {
        RecordingActions actions = new RecordingActions(clock);
        return actions.bind(new VirtualRouter(c, SELF, clock, actions));
    }

    SyncGroup group(VirtualRouter... members) {
        return new SyncGroup("VGM", List.of(members), (name, state) -> groupStates.add(name + " " + state));
    }

    static VrrpAdvertisement advert(int vrid, int priority) {
        return VrrpAdvertisement.v3(vrid, priority, 10, List.of(VirtualRouterTest.addr("10.99." + vrid + ".100")));
    }

    @Test
    void membersTakeOverTogetherOnlyOnceEveryMembersTimerHasRunOut() {
        // Different intervals: VI_1's Master_Down_Timer runs out first, and must wait for VI_2's.
        VirtualRouter a = router(config("VI_1", "e0", 51, 100, 100));
        VirtualRouter b = router(config("VI_2", "e1", 52, 100, 1000));
        SyncGroup g = group(a, b);
        a.startup();
        b.startup();
        assertEquals(VrrpState.BACKUP, g.state());
        clock.advanceMillis(400);
        assertEquals(VrrpState.BACKUP, a.state(), "VI_1 waits for VI_2");
        assertTrue(a.isWaitingForGroup());
        clock.advanceMillis(3300);
        assertEquals(VrrpState.MASTER, b.state());
        assertEquals(VrrpState.MASTER, a.state(), "taken over with VI_2, whose timer ran out last");
        assertEquals(VrrpState.MASTER, g.state());
        assertEquals(List.of("VGM BACKUP", "VGM MASTER"), groupStates);
    }

    @Test
    void aMemberThatStillHearsItsMasterHoldsTheWholeGroupAsBackup() {
        VirtualRouter a = router(config("VI_1", "e0", 51, 100, 100));
        VirtualRouter b = router(config("VI_2", "e1", 52, 100, 100));
        group(a, b);
        a.startup();
        b.startup();
        for (int i = 0; i < 20; i++) {
            clock.advanceMillis(100);
            b.advertisementReceived(advert(52, 150), PEER_HIGH);
        }
        assertEquals(VrrpState.BACKUP, a.state(), "VI_1 hears nobody, but VI_2's master is alive");
        assertEquals(VrrpState.BACKUP, b.state());
    }

    @Test
    void aMasterSteppingDownTakesTheOthersBackToBackup() {
        VirtualRouter a = router(config("VI_1", "e0", 51, 100, 100));
        VirtualRouter b = router(config("VI_2", "e1", 52, 100, 100));
        SyncGroup g = group(a, b);
        a.startup();
        b.startup();
        clock.advanceMillis(500);
        assertEquals(VrrpState.MASTER, a.state());
        assertEquals(VrrpState.MASTER, b.state());
        a.advertisementReceived(advert(51, 200), PEER_HIGH);
        assertEquals(VrrpState.BACKUP, a.state());
        assertEquals(VrrpState.BACKUP, b.state(), "VI_2 follows VI_1 back to backup");
        assertEquals(VrrpState.BACKUP, g.state());
    }

    @Test
    void oneMembersFaultIsTheGroupsAndTheyLeaveItTogetherWhenTheLastOwnFaultClears() {
        VirtualRouter a = router(config("VI_1", "e0", 51, 100, 100));
        VirtualRouter b = router(config("VI_2", "e1", 52, 100, 100));
        SyncGroup g = group(a, b);
        a.startup();
        b.startup();
        clock.advanceMillis(500);
        a.interfaceDown();
        assertEquals(VrrpState.FAULT, a.state());
        assertEquals(VrrpState.FAULT, b.state());
        assertTrue(b.faults().contains(FaultReason.SYNC_GROUP));
        b.trackedDown("track-script chk", true);
        a.interfaceUp();
        assertEquals(VrrpState.FAULT, a.state(), "VI_2 still has its own fault");
        b.trackedDown("track-script chk", false);
        assertEquals(VrrpState.BACKUP, a.state());
        assertEquals(VrrpState.BACKUP, b.state());
        clock.advanceMillis(500);
        assertEquals(VrrpState.MASTER, g.state());
        assertEquals(List.of("VGM BACKUP", "VGM MASTER", "VGM FAULT", "VGM BACKUP", "VGM MASTER"), groupStates);
    }

    @Test
    void aFaultKnownBeforeStartupStartsEveryMemberInFault() {
        VirtualRouter a = router(config("VI_1", "e0", 51, 100, 100));
        VirtualRouter b = router(config("VI_2", "e1", 52, 100, 100));
        group(a, b);
        b.interfaceDown();
        a.startup();
        b.startup();
        assertEquals(VrrpState.FAULT, a.state());
        assertEquals(VrrpState.FAULT, b.state());
    }

    @Test
    void withoutSyncGroupTrackingWeightWeightsAreDroppedAsKeepalivedDropsThem() {
        VrrpScript weighted = new VrrpScript("chk", "/bin/true", Duration.ofSeconds(1), Optional.empty(), -20, false,
                1, 1, Optional.empty(), false);
        VrrpScript plain = new VrrpScript("up", "/bin/true", Duration.ofSeconds(1), Optional.empty(), 0, false, 1, 1,
                Optional.empty(), false);
        VirtualRouterConfig c = config("VI_1", "e0", 51, 100, 100).withTracking(new Tracking(
                List.of(new TrackedInterface("e1", -10)), List.of(new TrackedFile(Path.of("/run/w"), 5)),
                List.of(TrackedScript.named("chk"), TrackedScript.named("up"))));
        SyncGroupConfig g = new SyncGroupConfig("VGM", List.of("VI_1", "VI_2"), Notify.NONE,
                new Tracking(List.of(new TrackedInterface("e9", 0)), List.of(), List.of()), false);
        List<String> warnings = new ArrayList<>();
        Tracking t = g.member(c, Map.of("chk", weighted, "up", plain), warnings::add).tracking();
        assertEquals(List.of(new TrackedInterface("e1", 0), new TrackedInterface("e9", 0)), t.interfaces());
        assertEquals(List.of(), t.files());
        assertEquals(List.of(TrackedScript.named("up")), t.scripts());
        assertEquals(3, warnings.size(), warnings.toString());
        SyncGroupConfig weightsKept = new SyncGroupConfig("VGM", List.of("VI_1"), Notify.NONE, Tracking.NONE, true);
        assertEquals(c.tracking(), weightsKept.member(c, Map.of("chk", weighted, "up", plain), warnings::add).tracking());
    }
}
