package appliance;

import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.ServiceGroup;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import appliance.check.net.CheckComponent;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import appliance.config.ApplianceConfig;
import appliance.config.IpvsSettings;
import appliance.ipvs.DesiredService;
import appliance.ipvs.IpvsClient;
import appliance.ipvs.IpvsReconciler;
import appliance.ipvs.IpvsUnavailableException;
import appliance.ipvs.SyncDaemon;
import appliance.nativeio.NativeException;
import appliance.vrrp.VrrpState;
import appliance.vrrp.kernel.VrrpComponent;
import io.netty.channel.IoEventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPVS side, on a loop of its own: the checkers' virtual servers in the kernel's table (what
 * the table should hold, from the configuration and the checkers' state, handed to the
 * {@link IpvsReconciler} at each change), and keepalived's lvs_sync_daemon following its VRRP
 * instance. As keepalived: an alive real server is a destination with its current weight, a dead
 * one is not there (or at weight 0 with inhibit-on-failure); a virtual server without quorum that
 * has a sorry server gets the sorry server alone.
 */
final class LoadBalancing implements VerdictListener {

    private static final Logger log = LoggerFactory.getLogger(LoadBalancing.class);

    /** How often the table is compared with the kernel's even when nothing changed (a service deleted by hand). */
    static final Duration RECONCILE_PERIOD = Duration.ofSeconds(5);

    private final IpvsClient client;
    private final IpvsReconciler reconciler;
    private final IpvsSettings settings;
    private final SyncDaemon syncDaemon;
    private volatile CheckComponent checks;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** What each real server was last told to be, to log keepalived's words once per change. */
    private final Map<String, Boolean> inTable = new HashMap<>();
    /** Services two virtual servers name, warned about once. Confined to the IPVS loop. */
    private final java.util.Set<IpvsService.Key> twice = new java.util.HashSet<>();
    /** Virtual servers the table could not take, logged once. Confined to the IPVS loop. */
    private final java.util.Set<String> refused = new java.util.HashSet<>();

    private LoadBalancing(IpvsClient client, IpvsSettings settings) {
        this.client = client;
        this.settings = settings;
        this.reconciler = new IpvsReconciler(client, RECONCILE_PERIOD);
        this.syncDaemon = settings.syncDaemon().map(d -> new SyncDaemon(client, d.settings())).orElse(null);
    }

    /**
     * Off the loops; flushes the table first with keepalived's lvs_flush. Null, with one line
     * saying why, where the kernel has no IPVS: the virtual servers are then checked and not load-balanced.
     */
    static LoadBalancing open(IoEventLoop loop, ApplianceConfig config) {
        int virtualServers = config.virtualServers().size();
        try {
            IpvsClient client = IpvsClient.open(loop);
            client.info().thenAccept(info -> log.info("IPVS {} (connection table {}): {} virtual server(s) load-balanced",
                    info.versionText(), info.connectionTableSize(), virtualServers));
            if (config.ipvs().flush()) {
                await(client.flush(), Duration.ofSeconds(10), "lvs_flush: flushing the table at start");
                log.info("IPVS: lvs_flush: the table was flushed at start");
            }
            return new LoadBalancing(client, config.ipvs());
        } catch (IpvsUnavailableException e) {
            log.warn("{}; {} virtual server(s) are checked but not load-balanced", e.getMessage(), virtualServers);
        } catch (NativeException | IllegalStateException e) {
            log.warn("IPVS cannot be reached ({}); {} virtual server(s) are checked but not load-balanced",
                    e.getMessage(), virtualServers);
        }
        return null;
    }

    /** What the table's keeper says of it, for JMX. */
    appliance.ipvs.TableState state() {
        return reconciler;
    }

    /** The periodic passes (keepalived's lvs_flush ran at {@link #open}). */
    void start() {
        reconciler.start();
    }

    /** A VRRP instance changed state: the sync daemon follows the one it names. Any thread. */
    void vrrpStateChanged(VrrpComponent.StateChange change) {
        if (syncDaemon != null && change.instance().equals(settings.syncDaemon().get().instance())) {
            syncDaemon.follow(change.to() == VrrpState.MASTER);
        }
    }

    /** Ours leave the table (or, with lvs_flush_onstop, everything); the sync daemon stops. Off the loops. */
    void stop(Duration wait) {
        // Longer than one netlink request's 5 s: a pass that was running may be waiting on one.
        wait = wait.compareTo(Duration.ofSeconds(12)) < 0 ? Duration.ofSeconds(12) : wait;
        await(reconciler.stop(!settings.flushOnStop()), wait, "removing our services at stop");
        if (settings.flushOnStop()) {
            await(client.flush(), wait, "lvs_flush_onstop: flushing the table at stop");
        }
        if (syncDaemon != null) {
            await(syncDaemon.stop(), wait, "stopping the sync daemon");
        }
        client.close();
    }

    private static void await(CompletableFuture<Void> f, Duration wait, String what) {
        try {
            f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            log.warn("IPVS: {} failed: {}", what, e.getCause().getMessage());
        } catch (TimeoutException e) {
            log.warn("IPVS: {} did not finish in {} ms", what, wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The checker component to follow (at start, and the successor after a reload). */
    void follow(CheckComponent next) {
        checks = next;
        changed();
    }

    @Override
    public void realServerChanged(VirtualServer vs, RealServer rs, boolean alive) {
        changed();
    }

    @Override
    public void realServerWeightChanged(VirtualServer vs, RealServer rs, int weight) {
        changed();
    }

    @Override
    public void virtualServerChanged(VirtualServer vs, boolean up) {
        changed();
    }

    /** Many verdicts at once (a start, a switch that died) make one desired table, computed off the checkers' loops. */
    private void changed() {
        if (queued.compareAndSet(false, true)) {
            reconciler.execute(() -> {
                queued.set(false);
                reconciler.desire(desired());
            });
        }
    }

    private List<DesiredService> desired() {
        CheckComponent c = checks;
        if (c == null) {
            return List.of();
        }
        List<DesiredService> out = new ArrayList<>();
        java.util.Set<IpvsService.Key> keys = new java.util.HashSet<>();
        for (VirtualServer vs : c.virtualServers()) {
            try {
                desired(c, vs, keys, out);
            } catch (RuntimeException e) {
                // One virtual server the table cannot take must not keep the others out of it.
                if (refused.add(vs.text())) {
                    log.error("IPVS: {} cannot be load-balanced: {}", vs.text(), e.toString());
                }
            }
        }
        return out;
    }

    /** One virtual server's services, each with its destinations, into {@code out}; a service named before is skipped. */
    private void desired(CheckComponent c, VirtualServer vs, java.util.Set<IpvsService.Key> keys, List<DesiredService> out) {
        int forwarding = forwarding(vs.lbKind());
        List<IpvsDestination> destinations = new ArrayList<>();
        boolean quorum = c.hasQuorum(vs);
        for (RealServer rs : vs.realServers()) {
            boolean alive = c.isAlive(vs, rs) && (quorum || vs.sorryServer().isEmpty());
            if (alive || rs.inhibitOnFailure()) {
                destinations.add(new IpvsDestination(rs.address(), rs.port(), forwarding, alive ? c.weight(vs, rs) : 0,
                        rs.upperThreshold(), rs.lowerThreshold(), 0, 0, 0));
            }
            note(vs, vs.text(rs), alive, rs.inhibitOnFailure());
        }
        Optional<IpvsDestination> sorry = sorryServer(vs, quorum);
        sorry.ifPresent(destinations::add);
        vs.sorryServer().ifPresent(a -> note(vs, "sorry server " + VirtualServer.endpoint(a.getAddress(), vs.protocol(),
                a.getPort()), !quorum, vs.ipvs().sorryServerInhibit()));
        // A sorry server that is also a real server is one destination.
        java.util.Map<String, IpvsDestination> unique = new java.util.LinkedHashMap<>();
        destinations.forEach(d -> unique.putIfAbsent(d.address().getHostAddress() + "#" + d.port(), d));
        for (IpvsService service : services(vs)) {
            if (keys.add(service.key())) {
                out.add(new DesiredService(service, List.copyOf(unique.values())));
            } else if (twice.add(service.key())) {
                log.warn("IPVS: {} is a service of two virtual servers; {} does not get it", service.key(), vs.text());
            }
        }
    }

    /**
     * keepalived's lines: "Adding service [10.98.0.16]:tcp:80 to VS [10.97.0.100]:tcp:80",
     * "Removing service ... from VS ...", with "(inhibited) " for a server kept at weight 0.
     */
    private void note(VirtualServer vs, String what, boolean in, boolean inhibited) {
        Boolean was = inTable.put(vs.text() + " " + what, in);
        if (was != null && was != in) {
            String subject = (!in && inhibited ? "(inhibited) " : "") + (what.startsWith("sorry") ? what : "service " + what);
            log.info(in ? "Adding {} to VS {}" : "Removing {} from VS {}", subject, vs.text());
        }
    }

    /**
     * keepalived's sorry server: in the table while quorum is lost (weight 1), and with
     * sorry_server_inhibit while it holds too (weight 0); forwarded by its sorry_server_lvs_method,
     * else as the real servers are.
     */
    static Optional<IpvsDestination> sorryServer(VirtualServer vs, boolean quorum) {
        if (vs.sorryServer().isEmpty() || (quorum && !vs.ipvs().sorryServerInhibit())) {
            return Optional.empty();
        }
        InetSocketAddress sorry = vs.sorryServer().get();
        int method = forwarding(vs.ipvs().sorryServerLvsMethod().orElse(vs.lbKind()));
        return Optional.of(IpvsDestination.of(sorry.getAddress(), sorry.getPort() == 0 ? vs.port() : sorry.getPort(),
                method, quorum ? 0 : 1));
    }

    /** The IPVS services of a virtual server: one, or one per address and mark of its virtual_server_group. */
    static List<IpvsService> services(VirtualServer vs) {
        int protocol = vs.protocol() == Protocol.UDP ? IpvsService.IPPROTO_UDP
                : vs.protocol() == Protocol.SCTP ? IpvsService.IPPROTO_SCTP : IpvsService.IPPROTO_TCP;
        List<IpvsService.Key> keys = new ArrayList<>();
        if (vs.group().isPresent()) {
            for (ServiceGroup.Entry e : vs.group().get().entries()) {
                if (e.fwmark() != 0) {
                    keys.add(IpvsService.Key.fwmark(e.inet6() ? IpvsService.AF_INET6 : IpvsService.AF_INET, e.fwmark()));
                } else {
                    e.addresses().forEach(a -> keys.add(IpvsService.Key.of(protocol, a, e.port())));
                }
            }
        } else if (vs.fwmark() != 0) {
            keys.add(IpvsService.Key.fwmark(vs.address() instanceof java.net.Inet6Address ? IpvsService.AF_INET6
                    : IpvsService.AF_INET, vs.fwmark()));
        } else {
            keys.add(IpvsService.Key.of(protocol, vs.address(), vs.port()));
        }
        VirtualServer.IpvsOptions options = vs.ipvs();
        int flags = (vs.persistenceTimeout().isPresent() ? IpvsService.F_PERSISTENT : 0)
                | (options.onePacket() ? IpvsService.F_ONEPACKET : 0);
        for (String f : options.flags()) {
            flags |= f.equals("flag-3") ? IpvsService.F_SCHED3
                    : f.equals("flag-2") || f.endsWith("-port") ? IpvsService.F_SCHED2 : IpvsService.F_SCHED1;
        }
        int timeout = vs.persistenceTimeout().map(t -> (int) t.toSeconds()).orElse(0);
        List<IpvsService> out = new ArrayList<>();
        for (IpvsService.Key key : keys) {
            int netmask = options.persistenceGranularity().map(g -> netmask(g, key.family()))
                    .orElse(IpvsService.of(key, vs.lbAlgo()).netmask());
            out.add(new IpvsService(key, vs.lbAlgo(), flags, timeout, netmask, ""));
        }
        return out;
    }

    /**
     * keepalived's persistence_granularity as the kernel keeps it: an IPv4 netmask's bytes as
     * they lie in memory (the host's order of the netlink u32), an IPv6 prefix length.
     */
    static int netmask(String granularity, int family) {
        boolean v6 = !granularity.contains(".");
        if (v6 != (family == IpvsService.AF_INET6)) {
            throw new IllegalArgumentException("persistence-granularity " + granularity + " is not of the family of a "
                    + (family == IpvsService.AF_INET6 ? "IPv6" : "IPv4") + " service");
        }
        if (v6) {
            return Integer.parseInt(granularity);
        }
        byte[] mask = appliance.vrrp.VirtualAddress.parseLiteral(granularity).getAddress();
        return java.nio.ByteBuffer.wrap(mask).order(java.nio.ByteOrder.nativeOrder()).getInt();
    }

    static int forwarding(String lbKind) {
        return switch (lbKind) {
            case "NAT" -> IpvsDestination.MASQ;
            case "TUN" -> IpvsDestination.TUNNEL;
            default -> IpvsDestination.DROUTE;
        };
    }
}
