package appliance.vrrp.kernel;

import appliance.vrrp.TrackedVirtualServer;
import appliance.vrrp.VirtualRouter;
import io.netty.channel.IoEventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code track-virtual-server} and {@code track-real-server}: the checkers' verdicts on virtual
 * servers and real servers, told through {@link VrrpComponent#virtualServerChanged} and
 * {@link VrrpComponent#realServerChanged}, turned into the tracking routers' weights and faults
 * on their loops. Each counts as good until told otherwise, as the checkers start their real
 * servers alive (keepalived's default, without alpha).
 */
final class VirtualServerTracker {

    private static final Logger log = LoggerFactory.getLogger(VirtualServerTracker.class);

    private final Trackings<TrackedVirtualServer> trackings = new Trackings<>(this::apply);
    private final Map<String, Boolean> good = new ConcurrentHashMap<>();

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedVirtualServer> tracked) {
        trackings.add(router, loop, tracked);
    }

    /** A reload removed the instance. */
    void remove(VirtualRouter router) {
        trackings.remove(router);
    }

    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    /** Any thread; {@code key}: a {@link TrackedVirtualServer#key()}. */
    void changed(String key, boolean up) {
        Boolean before = good.put(key, up);
        if (before == null || before != up) {
            if (trackings.tracked().anyMatch(t -> t.key().equals(key))) {
                log.info("tracked {} server {} is {}", key.contains(" of VS ") ? "real" : "virtual", key,
                        up ? "up" : "down");
            }
            trackings.changed(t -> t.key().equals(key));
        }
    }

    private void apply(Trackings.Tracking<TrackedVirtualServer> t) {
        for (TrackedVirtualServer v : t.tracked()) {
            boolean up = good.getOrDefault(v.key(), true);
            t.router().trackedWeight(v.description(), v.weightWhen(up));
            t.router().trackedDown(v.description(), v.faultWhen(up));
        }
    }
}
