package appliance.vrrp.kernel;

import appliance.codec.netlink.RouteMessage;
import appliance.codec.netlink.Rtnetlink;
import appliance.nativeio.NativeException;
import appliance.nativeio.NetworkInterfaces;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.KernelObjects;
import appliance.vrrp.VirtualRoute;
import java.net.Inet4Address;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Routes into the kernel through rtnetlink, as keepalived adds its virtual and static routes
 * (protocol "keepalived", 18, so that {@code ip route show proto keepalived} lists them). A route's
 * {@code dev} is resolved to an index at each request, so a re-created interface is found again.
 * Runs on the thread of the rtnetlink client's loop.
 */
final class KernelRoutes implements KernelObjects.Kernel<VirtualRoute> {

    /** The kernel's "already done" answers count as success: the state we want is there. */
    private static final BiFunction<Void, Throwable, Void> ADDED = KernelAnswers.succeedingOn(KernelAnswers.EEXIST);
    /** ESRCH: no such route; ENODEV: its interface went, and the route with it. */
    private static final BiFunction<Void, Throwable, Void> REMOVED = KernelAnswers.succeedingOn(
            KernelAnswers.ESRCH, KernelAnswers.ENODEV);

    private static final long IPV6_DEFAULT_METRIC = 1024;

    private final RtnetlinkClient rtnetlink;

    KernelRoutes(RtnetlinkClient rtnetlink) {
        this.rtnetlink = rtnetlink;
    }

    @Override
    public CompletableFuture<Void> add(VirtualRoute route) {
        try {
            return rtnetlink.addRoute(RouteSpecs.of(route, index(route))).handle(ADDED);
        } catch (NativeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> remove(VirtualRoute route) {
        int index;
        try {
            index = index(route);
        } catch (NativeException e) {
            return CompletableFuture.completedFuture(null); // the interface is gone, and its routes with it
        }
        return rtnetlink.deleteRoute(RouteSpecs.of(route, index)).handle(REMOVED);
    }

    private static int index(VirtualRoute route) throws NativeException {
        return route.device().isPresent() ? NetworkInterfaces.indexOf(route.device().get()) : 0;
    }

    /** Whether the kernel's {@code message} is about {@code route}: same destination, table and metric. */
    static boolean matches(VirtualRoute route, RouteMessage message) {
        boolean ipv4 = route.destination() instanceof Inet4Address;
        // An IPv6 route added with metric 0 gets the kernel's default, 1024.
        long metric = !ipv4 && route.metric() == 0 ? IPV6_DEFAULT_METRIC : route.metric();
        if (message.family() != (ipv4 ? Rtnetlink.AF_INET : Rtnetlink.AF_INET6) || message.destinationLength() != route.prefixLength()
                || Integer.toUnsignedLong(message.table()) != route.table() || message.priority() != metric) {
            return false;
        }
        byte[] ours = route.destination().getAddress();
        byte[] theirs = message.destination() == null ? new byte[ours.length] : message.destination().getAddress();
        return Arrays.equals(ours, theirs);
    }
}
