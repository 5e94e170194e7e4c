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
 * {@code track-virtual-server}: the checkers' verdicts on virtual servers, told through
 * {@link VrrpComponent#virtualServerChanged}, turned into the tracking routers' weights and
 * faults on their loops. A virtual server counts as good until told otherwise, as the checkers
 * start their real servers alive (keepalived's default, without alpha).
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

    /** Any thread. */
    void changed(String service, boolean up) {
        Boolean before = good.put(service, up);
        if (before == null || before != up) {
            if (trackings.tracked().anyMatch(t -> t.service().equals(service))) {
                log.info("tracked virtual server {} is {}", service, up ? "up" : "down");
            }
            trackings.changed(t -> t.service().equals(service));
        }
    }

    private void apply(Trackings.Tracking<TrackedVirtualServer> t) {
        for (TrackedVirtualServer v : t.tracked()) {
            boolean up = good.getOrDefault(v.service(), true);
            t.router().trackedWeight(v.description(), v.weightWhen(up));
            t.router().trackedDown(v.description(), v.faultWhen(up));
        }
    }
}
