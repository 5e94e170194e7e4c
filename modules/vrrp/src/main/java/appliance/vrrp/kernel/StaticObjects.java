package appliance.vrrp.kernel;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.NetlinkMessage;
import appliance.codec.netlink.RouteMessage;
import appliance.codec.netlink.Rtnetlink;
import appliance.vrrp.KernelObjects;
import appliance.vrrp.StaticConfig;
import appliance.vrrp.TimerService;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRoute;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's static_ipaddress and static_routes: added at start whatever the instances' states,
 * put back when the kernel reports one deleted (by hand, or with a flushed interface), removed at
 * stop. Runs on the interface monitor's loop, where the deletions are reported.
 */
final class StaticObjects {

    private static final Logger log = LoggerFactory.getLogger(StaticObjects.class);

    private final KernelObjects<VirtualAddress> addresses;
    private final KernelObjects<VirtualRoute> routes;

    StaticObjects(StaticConfig config, TimerService timers, KernelObjects.Kernel<VirtualAddress> addressKernel,
                  KernelObjects.Kernel<VirtualRoute> routeKernel) {
        this.addresses = new KernelObjects<>(config.addresses(), timers, addressKernel);
        this.routes = new KernelObjects<>(config.routes(), timers, routeKernel);
        addresses.listener(new Logging<>("static address"));
        routes.listener(new Logging<>("static route"));
    }

    /** On the monitor's loop. */
    void start() {
        addresses.install();
        routes.install();
    }

    /** A notification from the monitor: a deleted static address or route is added again. */
    void notified(NetlinkMessage message) {
        if (message instanceof IfAddrMessage a && a.header().type() == Rtnetlink.RTM_DELADDR) {
            for (VirtualAddress s : addresses.all()) {
                if (s.address().equals(a.interfaceAddress()) && s.prefixLength() == a.prefixLength()) {
                    log.warn("static address {} was removed from the kernel: adding it again", s);
                    addresses.lost(s);
                }
            }
        } else if (message instanceof RouteMessage r && r.header().type() == Rtnetlink.RTM_DELROUTE) {
            for (VirtualRoute s : routes.all()) {
                if (KernelRoutes.matches(s, r)) {
                    log.warn("static route {} was removed from the kernel: adding it again", s);
                    routes.lost(s);
                }
            }
        }
    }

    /** On the monitor's loop: removes them all; completes when the kernel confirmed. */
    CompletableFuture<Void> stop() {
        addresses.uninstall();
        routes.uninstall();
        return CompletableFuture.allOf(addresses.removed(), routes.removed());
    }

    void close() {
        addresses.close();
        routes.close();
    }

    /** Failures logged once per streak; the retries go on. */
    private record Logging<T>(String what) implements KernelObjects.Listener<T> {
        @Override
        public void allHeld() {
        }

        @Override
        public void addFailed(T object, String error, int failures) {
            if (failures == 1) {
                log.error("cannot add {} {}: {}; retrying", what, object, error);
            }
        }

        @Override
        public void removeFailed(T object, String error, int failures) {
            if (failures == 1) {
                log.error("cannot remove {} {}: {}; retrying", what, object, error);
            }
        }
    }
}
