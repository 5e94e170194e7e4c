package appliance.vrrp;

import appliance.codec.vrrp.VrrpAdvertisement;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the state machine asked for, with the manual clock's time, and carries out the
 * address actions through a real {@link AddressInstaller} on a {@link FakeKernel} (which accepts
 * unless the test says otherwise), recording the announcements it makes.
 */
final class RecordingActions implements VrrpActions {

    record Event(long nanos, String what, Object detail) {}
    record Announcement(long nanos, List<VirtualAddress> addresses, int repeat) {}

    final List<Event> events = new ArrayList<>();
    final List<VrrpAdvertisement> adverts = new ArrayList<>();
    final List<Long> advertTimes = new ArrayList<>();
    final List<Announcement> announcements = new ArrayList<>();
    final FakeKernel kernel = new FakeKernel();
    private final ManualTimerService clock;
    private AddressInstaller installer;
    /** What the socket holds unread: delivered by the next {@link #receivePending()}. */
    Runnable pending;
    int pendingReads;

    RecordingActions(ManualTimerService clock) {
        this.clock = clock;
    }

    /** Wires the installer for {@code router}, as the component does. */
    VirtualRouter bind(VirtualRouter router) {
        installer = new AddressInstaller(router.config().virtualAddresses(), clock, kernel,
                (addresses, repeat) -> announcements.add(new Announcement(clock.nanoTime(), addresses, repeat)));
        installer.listener(router);
        return router;
    }

    AddressInstaller installer() {
        return installer;
    }

    @Override
    public void receivePending() {
        pendingReads++;
        Runnable p = pending;
        pending = null;
        if (p != null) {
            p.run();
        }
    }

    @Override
    public void sendAdvertisement(VrrpAdvertisement advertisement) {
        adverts.add(advertisement);
        advertTimes.add(clock.nanoTime());
        events.add(new Event(clock.nanoTime(), "advert", advertisement.priority()));
    }

    @Override
    public void addVirtualAddresses() {
        events.add(new Event(clock.nanoTime(), "add", null));
        if (installer != null) {
            installer.install();
        }
    }

    @Override
    public void removeVirtualAddresses() {
        events.add(new Event(clock.nanoTime(), "remove", null));
        if (installer != null) {
            installer.uninstall();
        }
    }

    @Override
    public void sendGratuitousArps(int repeat) {
        events.add(new Event(clock.nanoTime(), "garp", repeat));
        if (installer != null) {
            installer.announce(repeat);
        }
    }

    @Override
    public void stateChanged(VrrpState from, VrrpState to, String reason) {
        events.add(new Event(clock.nanoTime(), "state", to));
    }

    long count(String what) {
        return events.stream().filter(e -> e.what().equals(what)).count();
    }

    List<String> names() {
        return events.stream().map(Event::what).toList();
    }
}
