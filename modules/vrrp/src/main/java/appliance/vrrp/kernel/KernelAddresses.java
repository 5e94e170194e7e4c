package appliance.vrrp.kernel;

import appliance.codec.netlink.AddressOptions;
import appliance.nativeio.NativeException;
import appliance.nativeio.NetworkInterfaces;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.KernelObjects;
import appliance.vrrp.Scope;
import appliance.vrrp.VirtualAddress;
import java.net.Inet6Address;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;

/**
 * Addresses into the kernel through rtnetlink with keepalived's options (label, scope, brd; IPv6
 * without duplicate address detection). An address goes on its {@code dev} when it names one (the
 * index resolved at each request), else on the default interface, whose index the caller knows
 * (the instance's interface as its sockets see it). Runs on the rtnetlink client's loop.
 */
final class KernelAddresses implements KernelObjects.Kernel<VirtualAddress> {

    /** The kernel's "already done" answers count as success: the state we want is there. */
    private static final BiFunction<Void, Throwable, Void> ADDED = KernelAnswers.succeedingOn(KernelAnswers.EEXIST);
    /** ENODEV: the interface was deleted, and what was on it with it. */
    private static final BiFunction<Void, Throwable, Void> REMOVED = KernelAnswers.succeedingOn(
            KernelAnswers.EADDRNOTAVAIL, KernelAnswers.ENODEV);

    private final RtnetlinkClient rtnetlink;
    private final String defaultInterface;
    /** The default interface's index now, 0 when it does not exist. */
    private final IntSupplier defaultIndex;

    KernelAddresses(RtnetlinkClient rtnetlink, String defaultInterface, IntSupplier defaultIndex) {
        this.rtnetlink = rtnetlink;
        this.defaultInterface = defaultInterface;
        this.defaultIndex = defaultIndex;
    }

    @Override
    public CompletableFuture<Void> add(VirtualAddress a) {
        int index;
        try {
            index = index(a);
        } catch (NativeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (index == 0) {
            // The instance's interface is gone: the same answer the kernel gives for a missing index.
            return CompletableFuture.failedFuture(new NativeException("RTM_NEWADDR on " + a.deviceOr(defaultInterface),
                    KernelAnswers.ENODEV));
        }
        return rtnetlink.addAddress(index, a.address(), a.prefixLength(), options(a)).handle(ADDED);
    }

    @Override
    public CompletableFuture<Void> remove(VirtualAddress a) {
        int index;
        try {
            index = index(a);
        } catch (NativeException e) {
            index = 0;
        }
        if (index == 0) {
            return CompletableFuture.completedFuture(null); // the interface is gone, and the address with it
        }
        return rtnetlink.deleteAddress(index, a.address(), a.prefixLength()).handle(REMOVED);
    }

    /** The same request against an interface index that does not exist: see {@link KernelActions#rehearseTakeover}. */
    CompletableFuture<Void> addTo(int index, VirtualAddress a) {
        return rtnetlink.addAddress(index, a.address(), a.prefixLength(), options(a)).handle(ADDED);
    }

    private int index(VirtualAddress a) throws NativeException {
        String device = a.deviceOr(defaultInterface);
        return device.equals(defaultInterface) ? defaultIndex.getAsInt() : NetworkInterfaces.indexOf(device);
    }

    static AddressOptions options(VirtualAddress a) {
        return new AddressOptions(a.label().orElse(null), a.scope() == null ? Scope.GLOBAL.code() : a.scope().code(),
                a.broadcast().orElse(null), a.address() instanceof Inet6Address);
    }
}
