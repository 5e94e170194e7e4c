package appliance.vrrp.kernel;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.NetlinkMessage;
import appliance.codec.netlink.Rtnetlink;
import appliance.nativeio.NativeException;
import appliance.nativeio.RtnetlinkClient;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's netlink monitor: one rtnetlink socket subscribed to link and IPv4 and IPv6 address changes,
 * an {@link InterfaceTable} kept from a dump and the notifications, and the watchers (one per
 * interface the configuration names) told when their interface's {@link InterfaceView} changes:
 * it appears, goes, comes back under a new index, goes down or up, or changes its primary address.
 * Nothing polls. When the kernel drops notifications (ENOBUFS) the table is dumped afresh, and
 * that dump is retried with backoff until it succeeds.
 *
 * <p>Threading: the table, the watchers' last views and the notifications live on the socket's loop.
 */
final class InterfaceMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InterfaceMonitor.class);
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 5_000;

    /** One configured interface; told on the monitor's loop, in the kernel's order. */
    interface Watcher {
        String name();

        /** Our virtual addresses on it: never its own address. */
        Set<InetAddress> ownAddresses();

        /** Where its primary IPv4 address is read: itself, or a VMAC's base interface. */
        default String ipv4SourceInterface() {
            return name();
        }

        void viewChanged(InterfaceView previous, InterfaceView current);
    }

    /** What the monitor asks of rtnetlink; a test gives it a kernel whose dumps fail. */
    interface Dumps {
        /** Where notifications and answers arrive; the table lives there. */
        EventExecutor loop();

        CompletableFuture<List<IfInfoMessage>> dumpLinks();

        CompletableFuture<List<IfAddrMessage>> dumpAddresses();
    }

    private final InterfaceTable table = new InterfaceTable();
    private final RtnetlinkClient client;
    private final Dumps dumps;
    private volatile List<Watched> watched = List.of();
    private final List<java.util.function.Consumer<NetlinkMessage>> listeners = new ArrayList<>();
    private long retryMillis = FIRST_RETRY_MILLIS;
    private boolean reconciling;
    private boolean pendingReconcile;
    private volatile boolean closed;

    private InterfaceMonitor(IoEventLoop loop, boolean routes) throws NativeException {
        this.client = RtnetlinkClient.open(loop,
                Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV6_IFADDR
                        | (routes ? Rtnetlink.RTMGRP_IPV4_ROUTE | Rtnetlink.RTMGRP_IPV6_ROUTE : 0),
                this::notified, this::notificationsLost);
        this.dumps = new Dumps() {
            @Override
            public EventExecutor loop() {
                return client.eventLoop();
            }

            @Override
            public CompletableFuture<List<IfInfoMessage>> dumpLinks() {
                return client.dumpLinks();
            }

            @Override
            public CompletableFuture<List<IfAddrMessage>> dumpAddresses() {
                return client.dumpAddresses(Rtnetlink.AF_UNSPEC);
            }
        };
    }

    /** For tests: notifications are handed to {@link #notified} and {@link #notificationsLost} directly. */
    InterfaceMonitor(Dumps dumps) {
        this.client = null;
        this.dumps = dumps;
    }

    /**
     * Off the loop.
     *
     * @param routes also hear route changes (only when static routes are kept: a host with a busy
     *               routing table would otherwise flood the monitor)
     */
    static InterfaceMonitor open(IoEventLoop loop, boolean routes) throws NativeException {
        return new InterfaceMonitor(loop, routes);
    }

    /** Also hands every notification to {@code listener}, on the loop, after the table took it. */
    void onNotification(java.util.function.Consumer<NetlinkMessage> listener) {
        dumps.loop().execute(() -> listeners.add(listener));
    }

    RtnetlinkClient client() {
        return client;
    }

    /**
     * A link dump and an address dump (IPv4 and IPv6), each applied to the table where its last answer is
     * read (the loop), in order with the notifications around it: those read after it are newer
     * and must not be overwritten. The first picture, before anything watches, and each re-read.
     */
    CompletableFuture<Void> load() {
        CompletableFuture<Void> links = dumps.dumpLinks().thenAccept(table::replaceLinks);
        CompletableFuture<Void> addresses = dumps.dumpAddresses().thenAccept(table::replaceAddresses);
        return links.thenCombine(addresses, (x, y) -> null);
    }

    /** The view of {@code name} now; on the loop, or before {@link #watch}. */
    CompletableFuture<InterfaceView> view(String name, Set<InetAddress> ours) {
        return view(name, ours, name);
    }

    CompletableFuture<InterfaceView> view(String name, Set<InetAddress> ours, String ipv4From) {
        CompletableFuture<InterfaceView> f = new CompletableFuture<>();
        dumps.loop().execute(() -> f.complete(table.view(name, ours, ipv4From)));
        return f;
    }

    /** The link called {@code name} as last reported, or null. */
    CompletableFuture<appliance.codec.netlink.IfInfoMessage> link(String name) {
        CompletableFuture<appliance.codec.netlink.IfInfoMessage> f = new CompletableFuture<>();
        dumps.loop().execute(() -> f.complete(table.link(name)));
        return f;
    }

    /** Addresses equal to {@code ours} on interface {@code index}, from the loaded picture. */
    CompletableFuture<List<IfAddrMessage>> ownAddressesOn(int index, Set<InetAddress> ours) {
        CompletableFuture<List<IfAddrMessage>> f = new CompletableFuture<>();
        dumps.loop().execute(() -> f.complete(table.ownAddressesOn(index, ours)));
        return f;
    }

    /**
     * Starts telling {@code watchers}, each compared against the view it was started with; then
     * dumps again, since a change between {@link #load()} and now was not seen.
     */
    void watch(List<Watcher> watchers, List<InterfaceView> startedWith) {
        List<Watched> w = new ArrayList<>();
        for (int i = 0; i < watchers.size(); i++) {
            w.add(new Watched(watchers.get(i), startedWith.get(i)));
        }
        dumps.loop().execute(() -> {
            watched = List.copyOf(w);
            reconcile();
        });
    }

    /** A reload added an interface: told from now on, compared against the view it started with. */
    void watchAlso(Watcher watcher, InterfaceView startedWith) {
        dumps.loop().execute(() -> {
            List<Watched> w = new ArrayList<>(watched);
            w.add(new Watched(watcher, startedWith));
            watched = List.copyOf(w);
            reconcile();
        });
    }

    void notified(NetlinkMessage message) {
        table.apply(message);
        publish();
        for (java.util.function.Consumer<NetlinkMessage> l : listeners) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.error("handling an rtnetlink notification failed", e);
            }
        }
    }

    private void publish() {
        for (Watched w : watched) {
            InterfaceView now = table.view(w.watcher.name(), w.watcher.ownAddresses(), w.watcher.ipv4SourceInterface());
            if (!now.equals(w.last)) {
                InterfaceView before = w.last;
                w.last = now;
                try {
                    w.watcher.viewChanged(before, now);
                } catch (RuntimeException e) {
                    log.error("interface {}: handling a change failed", now.name(), e);
                }
            }
        }
    }

    void notificationsLost() {
        log.warn("rtnetlink notifications lost (ENOBUFS): reading the interfaces and addresses again");
        reconcile();
    }

    /** On the loop: dumps links and addresses and replaces the table; on failure, again after a backoff. */
    private void reconcile() {
        if (closed) {
            return;
        }
        if (reconciling) {
            pendingReconcile = true; // a dump is under way; what it misses is read by one more after it
            return;
        }
        reconciling = true;
        load().whenComplete((ok, error) -> {
            if (dumps.loop().inEventLoop()) {
                reconciled(error);
            } else {
                dumps.loop().execute(() -> reconciled(error));
            }
        });
    }

    private void reconciled(Throwable error) {
        reconciling = false;
        if (error != null) {
            long wait = retryMillis;
            retryMillis = Math.min(2 * retryMillis, MAX_RETRY_MILLIS);
            log.warn("cannot read the interfaces afresh: {}; retrying in {} ms", message(error), wait);
            if (!closed) {
                dumps.loop().schedule(this::reconcile, wait, TimeUnit.MILLISECONDS);
            }
            return;
        }
        retryMillis = FIRST_RETRY_MILLIS;
        publish();
        if (pendingReconcile) {
            pendingReconcile = false;
            reconcile();
        }
    }

    private static String message(Throwable t) {
        Throwable c = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }

    private static final class Watched {
        final Watcher watcher;
        InterfaceView last;

        Watched(Watcher watcher, InterfaceView last) {
            this.watcher = watcher;
            this.last = last;
        }
    }
}
