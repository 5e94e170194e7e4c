package appliance.vrrp;

import appliance.codec.vrrp.VrrpAdvertisement;
import java.util.ArrayList;
import java.util.List;

/** Records what the state machine asked for, with the manual clock's time. */
final class RecordingActions implements VrrpActions {

    record Event(long nanos, String what, Object detail) {}

    final List<Event> events = new ArrayList<>();
    final List<VrrpAdvertisement> adverts = new ArrayList<>();
    final List<Long> advertTimes = new ArrayList<>();
    private final ManualTimerService clock;

    RecordingActions(ManualTimerService clock) {
        this.clock = clock;
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
    }

    @Override
    public void removeVirtualAddresses() {
        events.add(new Event(clock.nanoTime(), "remove", null));
    }

    @Override
    public void sendGratuitousArps(int repeat) {
        events.add(new Event(clock.nanoTime(), "garp", repeat));
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
