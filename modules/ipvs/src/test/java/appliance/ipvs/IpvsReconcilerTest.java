package appliance.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.ipvs.Ipvs;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against an in-memory table that answers as the kernel does (EEXIST, ENOENT,
 * ESRCH), at once, on the loop: what a pass reads, what it writes, what it leaves alone.
 */
class IpvsReconcilerTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The kernel's table, kept in memory; every answer comes at once, as a netlink ack read in the send. */
    final class MemoryTable implements IpvsTable {
        final Map<IpvsService.Key, IpvsService> services = new LinkedHashMap<>();
        final Map<IpvsService.Key, List<IpvsDestination>> destinations = new LinkedHashMap<>();
        final List<Set<IpvsService.Key>> reads = new ArrayList<>();
        int refuseNext;

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public CompletableFuture<Map<IpvsService.Key, KernelService>> table(Set<IpvsService.Key> only) {
            reads.add(only);
            Map<IpvsService.Key, KernelService> out = new LinkedHashMap<>();
            services.forEach((k, s) -> {
                if (only == null || only.contains(k)) {
                    out.put(k, new KernelService(s, destinations.get(k).stream()
                            .map(d -> new Ipvs.DestinationStatus(d, 0, 0, 0)).toList()));
                }
            });
            return CompletableFuture.completedFuture(out);
        }

        @Override
        public CompletableFuture<Void> write(TableWrite w) {
            if (refuseNext > 0) {
                refuseNext--;
                return CompletableFuture.failedFuture(new IpvsException("IPVS: " + w + " failed: out of range (ERANGE)",
                        IpvsClient.ERANGE, null));
            }
            IpvsService.Key k = w.service();
            if (w instanceof TableWrite.AddService a) {
                if (services.putIfAbsent(k, a.desired()) != null) {
                    return errno(IpvsClient.EEXIST);
                }
                destinations.put(k, new ArrayList<>());
            } else if (w instanceof TableWrite.EditService e) {
                if (services.replace(k, e.desired()) == null) {
                    return errno(IpvsClient.ESRCH);
                }
            } else if (w instanceof TableWrite.DeleteService) {
                if (services.remove(k) == null) {
                    return errno(IpvsClient.ESRCH);
                }
                destinations.remove(k);
            } else {
                List<IpvsDestination> ds = destinations.get(k);
                if (ds == null) {
                    return errno(IpvsClient.ESRCH);
                }
                IpvsDestination d = w instanceof TableWrite.AddDestination a ? a.desired()
                        : w instanceof TableWrite.EditDestination e ? e.desired() : ((TableWrite.DeleteDestination) w).existing();
                boolean there = ds.removeIf(x -> x.sameServer(d));
                if (w instanceof TableWrite.AddDestination && there) {
                    ds.add(d);
                    return errno(IpvsClient.EEXIST);
                }
                if (!(w instanceof TableWrite.AddDestination) && !there) {
                    return errno(IpvsClient.ENOENT);
                }
                if (!(w instanceof TableWrite.DeleteDestination)) {
                    ds.add(d);
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        private CompletableFuture<Void> errno(int errno) {
            return CompletableFuture.failedFuture(new IpvsException("errno " + errno, errno, null));
        }

        /** The table as a map of service to its destinations' "address:port weight", read on the loop. */
        Map<IpvsService.Key, List<String>> snapshot() throws Exception {
            return loop.submit(() -> {
                Map<IpvsService.Key, List<String>> out = new LinkedHashMap<>();
                destinations.forEach((k, ds) -> out.put(k, ds.stream()
                        .map(d -> d.address().getHostAddress() + ":" + d.port() + " " + d.weight()).sorted().toList()));
                return out;
            }).get(5, TimeUnit.SECONDS);
        }
    }

    static IpvsService web(int port) throws Exception {
        return IpvsService.of(IpvsService.Key.of(IpvsService.IPPROTO_TCP, InetAddress.getByName("10.97.0.100"), port), "rr");
    }

    static IpvsDestination rs(int last, int weight) throws Exception {
        return IpvsDestination.of(InetAddress.getByName("10.98.0." + last), 80, IpvsDestination.DROUTE, weight);
    }

    @Test
    void aChangeReadsOnlyItsServiceAndOthersServicesAreLeftAloneAlsoAtStop() throws Exception {
        MemoryTable kernel = new MemoryTable();
        IpvsService foreign = IpvsService.of(IpvsService.Key.of(6, InetAddress.getByName("192.0.2.1"), 25), "rr");
        kernel.services.put(foreign.key(), foreign);
        kernel.destinations.put(foreign.key(), new ArrayList<>(List.of(rs(99, 1))));
        IpvsReconciler r = new IpvsReconciler(kernel, Duration.ofHours(1));
        r.desire(List.of(new DesiredService(web(80), List.of(rs(16, 1), rs(17, 1))),
                new DesiredService(web(81), List.of(rs(16, 1)))));
        r.settled().get(5, TimeUnit.SECONDS);
        assertEquals(Map.of(foreign.key(), List.of("10.98.0.99:80 1"), web(80).key(), List.of("10.98.0.16:80 1",
                "10.98.0.17:80 1"), web(81).key(), List.of("10.98.0.16:80 1")), kernel.snapshot());
        assertEquals(null, kernel.reads.get(0), "the first pass reads the whole table");

        r.desire(List.of(new DesiredService(web(80), List.of(rs(16, 1), rs(17, 5))),
                new DesiredService(web(81), List.of(rs(16, 1)))));
        r.settled().get(5, TimeUnit.SECONDS);
        assertEquals(Set.of(web(80).key()), kernel.reads.get(kernel.reads.size() - 1), "only the changed service");
        assertEquals(List.of("10.98.0.16:80 1", "10.98.0.17:80 5"), kernel.snapshot().get(web(80).key()));
        assertEquals(List.of(), r.differences());

        r.stop(true).get(5, TimeUnit.SECONDS);
        assertEquals(Map.of(foreign.key(), List.of("10.98.0.99:80 1")), kernel.snapshot(), "ours gone, the foreign one kept");
    }

    @Test
    void aRefusedWriteIsADifferenceUntilAWholePassMakesIt() throws Exception {
        MemoryTable kernel = new MemoryTable();
        IpvsReconciler r = new IpvsReconciler(kernel, Duration.ofMillis(200));
        loop.submit(() -> kernel.refuseNext = 1).get();
        r.desire(List.of(new DesiredService(web(80), List.of(rs(16, 1)))));
        r.settled().get(5, TimeUnit.SECONDS);
        // the refused service, then its destination, which had no service to go to (ESRCH)
        assertEquals(2, r.differences().size(), r.differences().toString());
        assertTrue(r.differences().get(0).contains("ERANGE"), r.differences().toString());
        r.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!r.differences().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), r.differences(), "the periodic pass made it");
        assertEquals(List.of("10.98.0.16:80 1"), kernel.snapshot().get(web(80).key()));
        r.stop(true).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aServiceDeletedByHandComesBackAndThousandsOfWritesAnsweredAtOnceDoNotNest() throws Exception {
        MemoryTable kernel = new MemoryTable();
        IpvsReconciler r = new IpvsReconciler(kernel, Duration.ofMillis(200));
        List<IpvsDestination> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(IpvsDestination.of(InetAddress.getByAddress(new byte[] {10, 98, (byte) (i >> 8), (byte) i}), 80,
                    IpvsDestination.MASQ, 1));
        }
        r.desire(List.of(new DesiredService(web(80), many)));
        r.settled().get(30, TimeUnit.SECONDS);
        assertEquals(20_000, kernel.snapshot().get(web(80).key()).size(), "every write made, none lost to the stack");
        r.start();
        IpvsService.Key key = web(80).key();
        loop.submit(() -> {
            kernel.services.remove(key);
            kernel.destinations.remove(key);
        }).get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((kernel.snapshot().get(web(80).key()) == null || kernel.snapshot().get(web(80).key()).size() < 20_000)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(20_000, kernel.snapshot().get(web(80).key()).size(), "ipvsadm -D undone by the periodic pass");
        r.stop(false).get(5, TimeUnit.SECONDS);
    }
}
