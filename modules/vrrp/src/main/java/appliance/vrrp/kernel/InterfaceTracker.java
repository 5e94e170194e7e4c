package appliance.vrrp.kernel;

import appliance.vrrp.TrackedInterface;
import appliance.vrrp.VirtualRouter;
import io.netty.channel.IoEventLoop;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * keepalived's {@code track_interface}: the state of the tracked interfaces, learnt from the
 * rtnetlink monitor's notifications, never polled, turned into each tracking router's weights
 * and weight-0 faults on its own loop. An interface is down when it is missing, set down or
 * without carrier (keepalived's test), and also when it had addresses and has lost them all (its
 * primary IPv4 and its IPv6 link-local address gone). One that never had an address (a bond or
 * bridge member) is judged by its link alone, as keepalived judges every one.
 */
final class InterfaceTracker {

    private final Trackings<TrackedInterface> trackings = new Trackings<>(this::apply);
    /** By interface name: whether it is up now; written on the monitor's loop, read on the routers'. */
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    /** The interfaces seen with an address since tracking began; on the monitor's loop (and at start). */
    private final Set<String> addressed = ConcurrentHashMap.newKeySet();

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedInterface> tracked) {
        trackings.add(router, loop, tracked);
    }

    /** A reload removed the instance. */
    void remove(VirtualRouter router) {
        trackings.remove(router);
    }

    /** The interfaces to watch, each a watcher of the monitor. */
    List<InterfaceMonitor.Watcher> watchers() {
        List<InterfaceMonitor.Watcher> watchers = new ArrayList<>();
        trackings.tracked().map(TrackedInterface::name).distinct()
                .forEach(name -> watchers.add(new InterfaceMonitor.Watcher() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Set<InetAddress> ownAddresses() {
                        return Set.of();
                    }

                    @Override
                    public void viewChanged(InterfaceView previous, InterfaceView current) {
                        changed(name, isUp(current));
                    }
                }));
        return watchers;
    }

    /** The state at start, before the routers start: applied on their loops ahead of startup. */
    void started(String name, InterfaceView view) {
        up.put(name, isUp(view));
    }

    /** On a router's loop, before its startup: its weights and faults from the state at start. */
    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    private void changed(String name, boolean nowUp) {
        Boolean before = up.put(name, nowUp);
        if (before != null && before == nowUp) {
            return;
        }
        trackings.changed(i -> i.name().equals(name));
    }

    private void apply(Trackings.Tracking<TrackedInterface> t) {
        for (TrackedInterface i : t.tracked()) {
            boolean isUp = up.getOrDefault(i.name(), false);
            t.router().trackedWeight(i.description(), i.weightWhen(isUp));
            t.router().trackedDown(i.description(), i.faultWhen(isUp));
        }
    }

    private boolean isUp(InterfaceView view) {
        boolean hasAddress = view.primaryIpv4() != null || view.linkLocalIpv6() != null;
        if (hasAddress) {
            addressed.add(view.name());
        }
        return view.exists() && view.up() && (hasAddress || !addressed.contains(view.name()));
    }
}
