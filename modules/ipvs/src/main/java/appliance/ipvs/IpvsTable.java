package appliance.ipvs;

import appliance.codec.ipvs.IpvsService;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The kernel's table as the {@link IpvsReconciler} reaches it: {@link IpvsClient}, or a stand-in in tests. */
public interface IpvsTable {

    /** Where the reconciler runs, and where the futures complete. */
    EventLoop eventLoop();

    /** The services of {@code only} that the table holds (all with null), each with its destinations. */
    CompletableFuture<Map<IpvsService.Key, KernelService>> table(Set<IpvsService.Key> only);

    /** One write; fails with an {@link IpvsException} carrying the kernel's errno. */
    CompletableFuture<Void> write(TableWrite w);
}
