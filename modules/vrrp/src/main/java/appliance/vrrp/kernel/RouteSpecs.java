package appliance.vrrp.kernel;

import appliance.codec.netlink.NextHop;
import appliance.codec.netlink.RouteSpec;
import appliance.vrrp.VirtualRoute;
import java.util.List;

/** keepalived's route keywords ({@link VirtualRoute}) as the rtnetlink request that carries them out. */
final class RouteSpecs {

    private RouteSpecs() {
    }

    /** @param index the interface of {@code dev}, 0 when the route names none */
    static RouteSpec of(VirtualRoute r, int index) {
        RouteSpec spec = switch (r.type()) {
            case BLACKHOLE -> RouteSpec.blackhole(r.destination(), r.prefixLength());
            case UNREACHABLE -> RouteSpec.unreachable(r.destination(), r.prefixLength());
            case PROHIBIT -> RouteSpec.prohibit(r.destination(), r.prefixLength());
            case UNICAST -> unicast(r, index);
        };
        spec = spec.withTable((int) r.table()).withMetric(r.metric()).withScope(r.effectiveScope().code());
        return r.source().map(spec::withPreferredSource).orElse(spec);
    }

    private static RouteSpec unicast(VirtualRoute r, int index) {
        if (r.gateways().size() > 1) {
            // keepalived's "via A or B": one multipath route over every gateway, on dev when given.
            List<NextHop> hops = r.gateways().stream().map(g -> new NextHop(g, index)).toList();
            return RouteSpec.multipath(r.destination(), r.prefixLength(), hops);
        }
        if (r.gateways().isEmpty()) {
            return RouteSpec.dev(r.destination(), r.prefixLength(), index);
        }
        RouteSpec via = RouteSpec.via(r.destination(), r.prefixLength(), r.gateways().get(0));
        return index > 0 ? via.withOutputInterface(index) : via;
    }
}
