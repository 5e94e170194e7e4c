package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 12, item 1: what the kernel says of the virtual addresses reaches the state machine. */
class AddressFailureTest {

    static final VirtualAddress VIP_A = VirtualAddress.parse("10.99.0.100/24");
    static final VirtualAddress VIP_B = VirtualAddress.parse("10.99.0.101/24");

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);
    final FakeKernel kernel = actions.kernel;

    VirtualRouter router(VirtualAddress... vips) {
        VirtualRouterConfig c = VirtualRouterConfig.of("VI_1", "e0", 51, 100, VrrpVersion.V3, Duration.ofMillis(100),
                VrrpState.BACKUP, true, Optional.empty(), List.of(vips));
        return actions.bind(new VirtualRouter(c, VirtualRouterTest.SELF, clock, actions));
    }

    /** Startup and Master_Down_Interval (360.9 ms at 100 ms, priority 100): the router becomes master. */
    VirtualRouter master(VirtualAddress... vips) {
        VirtualRouter r = router(vips);
        r.startup();
        clock.advanceMillis(361);
        assertEquals(VrrpState.MASTER, r.state());
        return r;
    }

    @Test
    void refusedAddIsRetriedThenTheMasterGoesFaultAndRejoinsAsBackupAfterABackoff() {
        kernel.addMode = FakeKernel.Mode.REFUSE;
        VirtualRouter r = master(VIP_A);
        clock.advanceMillis(300);
        assertEquals(VrrpState.MASTER, r.state(), "still within Master_Down_Interval of the takeover");
        assertTrue(kernel.count("add") >= 5, "retried with backoff: " + kernel.count("add") + " adds");
        assertTrue(actions.announcements.isEmpty(), "no gratuitous ARP for an address the kernel refused");

        clock.advanceMillis(61);
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(java.util.Set.of(FaultReason.ADDRESSES_NOT_HELD), r.faults());
        assertEquals(1, r.counters().addressFaults());
        assertEquals(kernel.count("add"), r.counters().addressAddFailures());
        assertEquals(1, actions.count("remove"), "whatever was added is taken out");
        long addsAtFault = kernel.count("add");
        long advertsAtFault = actions.adverts.size();

        clock.advanceMillis(999);
        assertEquals(VrrpState.FAULT, r.state());
        assertEquals(addsAtFault, kernel.count("add"), "never adds while in FAULT, where the peer holds the address");
        assertEquals(advertsAtFault, actions.adverts.size(), "silent in FAULT, so the peer takes over");

        clock.advanceMillis(1);
        assertEquals(VrrpState.BACKUP, r.state(), "back in the election after 1 s");
        clock.advanceMillis(361);
        assertEquals(VrrpState.MASTER, r.state(), "no peer: master again, and tries again");
        clock.advanceMillis(361);
        assertEquals(VrrpState.FAULT, r.state());
        clock.advanceMillis(1999);
        assertEquals(VrrpState.FAULT, r.state(), "the second backoff is twice the first");
        clock.advanceMillis(1);
        assertEquals(VrrpState.BACKUP, r.state());
    }

    @Test
    void anAddThatSucceedsOnRetryKeepsMastershipAndIsAnnouncedThen() {
        kernel.addMode = FakeKernel.Mode.HOLD;
        VirtualRouter r = master(VIP_A);
        FakeKernel.Request first = kernel.pending().get(0);
        first.answer().completeExceptionally(new java.io.IOException("No buffer space available (ENOBUFS)"));
        kernel.addMode = FakeKernel.Mode.ACCEPT;
        clock.advanceMillis(10);
        assertEquals(2, kernel.count("add"));
        assertEquals(List.of(VIP_A), kernel.held);
        assertEquals(1, actions.announcements.size(), "the owed round goes out on confirmation");
        assertEquals(5, actions.announcements.get(0).repeat());
        clock.advanceMillis(10_000);
        assertEquals(VrrpState.MASTER, r.state());
        assertEquals(1, r.counters().addressAddFailures());
        assertEquals(0, r.counters().addressFaults());
    }

    @Test
    void onlyTheAddressesTheKernelHoldsAreAnnounced() {
        kernel.addMode = FakeKernel.Mode.HOLD;
        master(VIP_A, VIP_B);
        kernel.accept(kernel.pending().get(0));
        assertEquals(1, actions.announcements.size());
        assertEquals(List.of(VIP_A), actions.announcements.get(0).addresses());
        kernel.accept(kernel.pending().get(0));
        assertEquals(2, actions.announcements.size());
        assertEquals(List.of(VIP_B), actions.announcements.get(1).addresses());
    }

    @Test
    void aSlowKernelAnswerWithinMasterDownIntervalIsEnough() {
        kernel.addMode = FakeKernel.Mode.HOLD;
        VirtualRouter r = master(VIP_A);
        clock.advanceMillis(350);
        kernel.accept(kernel.pending().get(0));
        clock.advanceMillis(5_000);
        assertEquals(VrrpState.MASTER, r.state());
    }

    @Test
    void noAnswerAtAllWithinMasterDownIntervalIsAFault() {
        kernel.addMode = FakeKernel.Mode.HOLD;
        VirtualRouter r = master(VIP_A);
        clock.advanceMillis(361);
        assertEquals(VrrpState.FAULT, r.state());
    }

    @Test
    void aRefusedRemovalIsRetriedUntilTheKernelConfirmsIt() {
        VirtualRouter r = master(VIP_A);
        assertEquals(List.of(VIP_A), kernel.held);
        kernel.removeMode = FakeKernel.Mode.REFUSE;
        higherPriorityMasterFor(r, 200);
        assertEquals(VrrpState.BACKUP, r.state());
        long removes = kernel.count("remove");
        assertTrue(removes >= 4, "retried: " + removes);
        assertEquals(removes, r.counters().addressRemoveFailures());
        assertFalse(actions.installer().removed().isDone());
        kernel.removeMode = FakeKernel.Mode.ACCEPT;
        higherPriorityMasterFor(r, 1_000);
        assertTrue(kernel.held.isEmpty());
        assertTrue(actions.installer().removed().isDone());
        long settled = kernel.count("remove");
        higherPriorityMasterFor(r, 10_000);
        assertEquals(settled, kernel.count("remove"), "no retry once the kernel confirmed");
    }

    /** A peer of priority 200 advertises every 100 ms for {@code millis}: we stay (or become) backup. */
    void higherPriorityMasterFor(VirtualRouter r, long millis) {
        for (long t = 0; t < millis; t += 100) {
            r.advertisementReceived(VirtualRouterTest.advert(200, 10), VirtualRouterTest.PEER_HIGH);
            clock.advanceMillis(100);
        }
    }

    @Test
    void leavingMasterWhileAnAddIsOutstandingNeverAnnouncesIt() {
        kernel.addMode = FakeKernel.Mode.HOLD;
        VirtualRouter r = master(VIP_A);
        kernel.removeMode = FakeKernel.Mode.HOLD;
        r.advertisementReceived(VirtualRouterTest.advert(200, 10), VirtualRouterTest.PEER_HIGH);
        kernel.pending().forEach(kernel::accept); // in the order sent, as the kernel applies one socket's requests
        assertTrue(actions.announcements.isEmpty());
        assertTrue(kernel.held.isEmpty(), "the removal sent after the add wins, as the kernel applies them in order");
    }
}
