package appliance.ipvs;

import appliance.codec.ipvs.Ipvs;
import appliance.codec.ipvs.IpvsDaemon;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkDecodeException;
import appliance.nativeio.GenericNetlinkClient;
import appliance.nativeio.NativeException;
import io.netty.channel.IoEventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The kernel's IPVS table through generic netlink, in the calling thread's network namespace:
 * read (1 + N dumps: services, then each one's destinations) and written one request at a time,
 * each acknowledged. Failures are {@link IpvsException}s naming the service or destination and
 * the kernel's errno. Futures complete on the loop; their callbacks must not block.
 */
public final class IpvsClient implements IpvsTable, AutoCloseable {

    /** errno values the kernel answers IPVS requests with (asm-generic/errno-base.h). */
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;

    private final GenericNetlinkClient netlink;
    private final Ipvs ipvs;

    private IpvsClient(GenericNetlinkClient netlink, Ipvs ipvs) {
        this.netlink = netlink;
        this.ipvs = ipvs;
    }

    /**
     * Off the loop. Resolves the IPVS family: a kernel without it (the ip_vs module not loaded, or
     * not built) is an {@link IpvsUnavailableException} that says how to load it.
     */
    public static IpvsClient open(IoEventLoop loop) throws NativeException, IpvsUnavailableException {
        GenericNetlinkClient netlink = GenericNetlinkClient.open(loop);
        try {
            int family = netlink.family(Ipvs.FAMILY_NAME).get(10, TimeUnit.SECONDS);
            return new IpvsClient(netlink, new Ipvs(family));
        } catch (ExecutionException e) {
            netlink.close();
            if (e.getCause() instanceof NativeException n && n.errno() == ENOENT) {
                throw new IpvsUnavailableException();
            }
            throw new IllegalStateException("resolving the generic netlink family IPVS: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            netlink.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving the generic netlink family IPVS", e);
        } catch (java.util.concurrent.TimeoutException e) {
            netlink.close();
            throw new IllegalStateException("resolving the generic netlink family IPVS: no answer in 10 s", e);
        }
    }

    @Override
    public IoEventLoop eventLoop() {
        return netlink.eventLoop();
    }

    /** The module's version and connection table size. */
    public CompletableFuture<Ipvs.Info> info() {
        return call("IPVS GET_INFO", ipvs::getInfo, false, replies -> decode(() -> Ipvs.info(first(replies))));
    }

    /** The whole table: every service and its destinations. Dumps are not atomic: what changes meanwhile may be missed. */
    public CompletableFuture<Map<IpvsService.Key, KernelService>> table() {
        return table(null);
    }

    /** The services of {@code only} that the table holds (all with null), each with its destinations: 1 + N dumps. */
    @Override
    public CompletableFuture<Map<IpvsService.Key, KernelService>> table(java.util.Set<IpvsService.Key> only) {
        return call("IPVS GET_SERVICE dump", ipvs::dumpServices, true, replies -> {
            List<IpvsService> services = new ArrayList<>();
            for (GenlMessage m : replies) {
                services.add(decode(() -> Ipvs.service(m)));
            }
            return services;
        }).thenCompose(services -> {
            Map<IpvsService.Key, KernelService> table = new LinkedHashMap<>();
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (IpvsService s : services) {
                if (only != null && !only.contains(s.key())) {
                    continue;
                }
                all = all.thenCompose(x -> destinations(s.key()).thenAccept(d -> table.put(s.key(), new KernelService(s, d))));
            }
            return all.thenApply(x -> table);
        });
    }

    /** The destinations of one service; empty when there is no such service. */
    public CompletableFuture<List<Ipvs.DestinationStatus>> destinations(IpvsService.Key service) {
        return call("IPVS GET_DEST dump of " + service, seq -> ipvs.dumpDestinations(seq, service), true, replies -> {
            List<Ipvs.DestinationStatus> out = new ArrayList<>();
            for (GenlMessage m : replies) {
                out.add(decode(() -> Ipvs.destination(m, service.family())));
            }
            return out;
        });
    }

    public CompletableFuture<Void> addService(IpvsService s) {
        return call("add service " + s.key() + " " + s.scheduler(), seq -> ipvs.newService(seq, s), false, r -> null);
    }

    public CompletableFuture<Void> editService(IpvsService s) {
        return call("edit service " + s.key() + " " + s.scheduler(), seq -> ipvs.setService(seq, s), false, r -> null);
    }

    public CompletableFuture<Void> deleteService(IpvsService.Key key) {
        return call("delete service " + key, seq -> ipvs.deleteService(seq, key), false, r -> null);
    }

    public CompletableFuture<Void> addDestination(IpvsService.Key service, IpvsDestination d) {
        return call("add destination " + d + " to " + service, seq -> ipvs.newDestination(seq, service, d), false,
                r -> null);
    }

    public CompletableFuture<Void> editDestination(IpvsService.Key service, IpvsDestination d) {
        return call("edit destination " + d + " of " + service, seq -> ipvs.setDestination(seq, service, d), false,
                r -> null);
    }

    public CompletableFuture<Void> deleteDestination(IpvsService.Key service, IpvsDestination d) {
        return call("delete destination " + d.address().getHostAddress() + ":" + d.port() + " from " + service,
                seq -> ipvs.deleteDestination(seq, service, d), false, r -> null);
    }

    /** Every service and destination, ours or not: keepalived's lvs_flush. */
    public CompletableFuture<Void> flush() {
        return call("flush the IPVS table", ipvs::flush, false, r -> null);
    }

    public CompletableFuture<Void> startDaemon(IpvsDaemon d) {
        return call("start the sync daemon " + (d.state() == IpvsDaemon.MASTER ? "master" : "backup") + " on "
                + d.interfaceName() + " syncid " + d.syncId(), seq -> ipvs.newDaemon(seq, d), false, r -> null);
    }

    public CompletableFuture<Void> stopDaemon(int state) {
        return call("stop the sync daemon " + (state == IpvsDaemon.MASTER ? "master" : "backup"),
                seq -> ipvs.deleteDaemon(seq, state), false, r -> null);
    }

    public CompletableFuture<List<IpvsDaemon>> daemons() {
        return call("IPVS GET_DAEMON dump", ipvs::dumpDaemons, true, replies -> {
            List<IpvsDaemon> out = new ArrayList<>();
            for (GenlMessage m : replies) {
                out.add(decode(() -> Ipvs.daemon(m)));
            }
            return out;
        });
    }

    /** One write of a plan. */
    @Override
    public CompletableFuture<Void> write(TableWrite w) {
        if (w instanceof TableWrite.AddService a) {
            return addService(a.desired());
        }
        if (w instanceof TableWrite.EditService e) {
            return editService(e.desired());
        }
        if (w instanceof TableWrite.DeleteService d) {
            return deleteService(d.service());
        }
        if (w instanceof TableWrite.AddDestination a) {
            return addDestination(a.service(), a.desired());
        }
        if (w instanceof TableWrite.EditDestination e) {
            return editDestination(e.service(), e.desired());
        }
        TableWrite.DeleteDestination d = (TableWrite.DeleteDestination) w;
        return deleteDestination(d.service(), d.existing());
    }

    @Override
    public void close() {
        netlink.close();
    }

    private <T> CompletableFuture<T> call(String what, IntFunction<byte[]> encoder, boolean dump,
                                          Function<List<GenlMessage>, T> result) {
        return netlink.request(what, encoder, dump, result).handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            int errno = cause instanceof NativeException n ? n.errno() : 0;
            throw new CompletionException(new IpvsException("IPVS: " + what + " failed: " + describe(cause, errno),
                    errno, cause));
        });
    }

    private static String describe(Throwable cause, int errno) {
        return switch (errno) {
            case ESRCH -> "no such service (ESRCH)";
            case EEXIST -> "it exists already (EEXIST)";
            case ENOENT -> "no such destination or scheduler (ENOENT)";
            case EINVAL -> "the kernel refused the values (EINVAL)";
            case ERANGE -> "weight or thresholds out of range (ERANGE)";
            default -> cause.getMessage();
        };
    }

    private interface Decoding<T> {
        T get() throws NetlinkDecodeException;
    }

    private static <T> T decode(Decoding<T> d) {
        try {
            return d.get();
        } catch (NetlinkDecodeException e) {
            throw new IllegalStateException("undecodable IPVS reply: " + e.getMessage(), e);
        }
    }

    private static GenlMessage first(List<GenlMessage> replies) {
        if (replies.isEmpty()) {
            throw new IllegalStateException("the kernel acknowledged without a reply");
        }
        return replies.get(0);
    }
}
