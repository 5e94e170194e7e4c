package appliance.vrrp.kernel;

import appliance.script.ScriptRunner;
import appliance.script.ScriptAccess;
import appliance.codec.netlink.IfAddrMessage;
import appliance.nativeio.NativeException;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.AdvertisementReceiver;
import appliance.vrrp.AnnouncementPacer;
import appliance.vrrp.DropCounters;
import appliance.vrrp.FaultReason;
import appliance.vrrp.StaticConfig;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.VrrpGlobals;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's VRRP child, as a component on the shared loop group: follows the configured
 * interfaces through rtnetlink ({@link InterfaceMonitor}), clears virtual addresses a crashed run
 * left behind, keeps one socket set per interface while it exists ({@link InterfaceSlot}) and runs
 * one {@link VirtualRouter} per configured instance on that interface's loop. An interface that is
 * missing, down or without an IPv4 address holds its instances in FAULT until it is usable.
 */
public final class VrrpComponent {

    private static final Logger log = LoggerFactory.getLogger(VrrpComponent.class);
    private static final long KERNEL_TIMEOUT_SECONDS = 5;

    private final IoEventLoopGroup group;
    /** The instances as configured (before sync groups and VMACs shape them); a reload may replace it. */
    private volatile List<VirtualRouterConfig> configs;
    private final Consumer<StateChange> listener;
    private final Map<String, InterfaceSlot> slots = new java.util.concurrent.ConcurrentHashMap<>();
    /** By instance name; a reload adds and removes entries, other threads read them. */
    private final Map<String, VirtualRouter> routers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, KernelActions> actions = new java.util.concurrent.ConcurrentHashMap<>();
    /** What each slot's instances share, kept so that a reload can add one. */
    private final Map<String, SlotParts> parts = new java.util.concurrent.ConcurrentHashMap<>();
    private InterfaceTracker interfaceTracker;

    /**
     * A slot's rtnetlink socket, timers and announcement pacer, and its routers by VRID (the
     * receiver's map) and in order: the maps and list are changed only on the slot's loop.
     */
    private record SlotParts(RtnetlinkClient addressClient, EventLoopTimerService timers,
                             AnnouncementPacer<KernelActions.Frame> pacer, Map<Integer, VirtualRouter> byVrid,
                             List<VirtualRouter> onLink) {
    }
    private final List<RtnetlinkClient> addressClients = new ArrayList<>();
    /** Opens and closes sockets when interfaces come and go: that waits for a loop, so it cannot run on one. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(DaemonThreads.named("vrrp-interfaces"));
    private InterfaceMonitor monitor;
    /** The instances as they run: a VMAC instance on its macvlan (see {@link VmacLinks}). */
    private volatile List<VirtualRouterConfig> runtimeConfigs = List.of();
    private VmacLinks vmacs;
    private final List<appliance.vrrp.SyncGroup> syncGroups = new ArrayList<>();
    private AcceptModeFirewall firewall;
    private FileTracker fileTracker;
    /** keepalived has no timeout for notify scripts; a hung one here is killed after this. */
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(30);
    private final ScriptRunner scriptRunner = new ScriptRunner("vrrp-scripts");
    private final NotifyScripts notifyScripts = new NotifyScripts(NOTIFY_TIMEOUT, scriptRunner);
    private final ScriptTracker scriptTracker = new ScriptTracker(scriptRunner);
    private final ProcessTracker processTracker = new ProcessTracker();
    private final VirtualServerTracker virtualServerTracker = new VirtualServerTracker();
    private VrrpGlobals globals = VrrpGlobals.NONE;
    private RtnetlinkClient vmacClient;
    private final StaticConfig statics;
    private StaticObjects staticObjects;

    /** A transition, for JMX, metrics and notify scripts. Delivered on the router's loop. */
    public record StateChange(String instance, appliance.vrrp.VrrpState from, appliance.vrrp.VrrpState to, String reason) {}

    public VrrpComponent(IoEventLoopGroup group, List<VirtualRouterConfig> configs, Consumer<StateChange> listener) {
        this(group, configs, StaticConfig.NONE, listener);
    }

    /** @param statics keepalived's static_ipaddress and static_routes, kept while the component runs */
    public VrrpComponent(IoEventLoopGroup group, List<VirtualRouterConfig> configs, StaticConfig statics,
                         Consumer<StateChange> listener) {
        this.group = group;
        this.configs = List.copyOf(configs);
        this.statics = statics;
        this.listener = listener;
    }

    /** Where smtp-alert e-mails go (keepalived's no_email_faults skips FAULT). Before {@link #start()}. */
    public void alerts(appliance.vrrp.AlertSender sender, boolean noEmailFaults) {
        notifyScripts.alerts(sender, noEmailFaults);
    }

    /** The notify FIFO, the scripts instances track, who runs scripts. Before {@link #start()}. */
    /**
     * A virtual server of the checkers, named as keepalived prints it ({@code [10.97.0.100]:tcp:80}),
     * went up or down: the instances that track it ({@code track-virtual-server}) follow on their
     * loops. Any thread, before or after {@link #start()}.
     */
    public void virtualServerChanged(String service, boolean up) {
        virtualServerTracker.changed(service, up);
    }

    /**
     * A real server ({@code [10.98.0.16]:tcp:80}) of a virtual server of the checkers became alive
     * or dead: the instances that track it ({@code track-real-server}) follow on their loops. Any
     * thread, before or after {@link #start()}.
     */
    public void realServerChanged(String virtualServer, String realServer, boolean alive) {
        virtualServerTracker.changed(appliance.vrrp.TrackedVirtualServer.realServerKey(virtualServer, realServer), alive);
    }

    public void globals(VrrpGlobals globals) {
        this.globals = java.util.Objects.requireNonNull(globals, "globals");
    }

    /** Called once, off the event loops. On failure everything opened so far is closed again. */
    public void start() throws VrrpStartException {
        try {
            doStart();
        } catch (VrrpStartException | RuntimeException e) {
            closeAll();
            throw e;
        }
    }

    private void doStart() throws VrrpStartException {
        if (globals.notifyFifo().isPresent()) {
            java.nio.file.Path fifo = globals.notifyFifo().get();
            try {
                notifyScripts.fifo(fifo);
            } catch (java.io.IOException e) {
                throw new VrrpStartException(null, "global.notify-fifo", "cannot open the notify FIFO " + fifo + ": "
                        + e.getMessage(), e);
            }
        }
        List<VirtualRouterConfig> members = syncGroupMembers();
        prepareScripts(members);
        try {
            monitor = InterfaceMonitor.open((IoEventLoop) group.next(), !statics.routes().isEmpty());
        } catch (NativeException e) {
            throw new VrrpStartException(null, null, "cannot open the rtnetlink socket: " + e.getMessage(), e);
        }
        await(monitor.load(), "listing network interfaces and their addresses");
        Map<String, String> ipv4Sources = makeVmacs(members);

        if (runtimeConfigs.stream().anyMatch(VirtualRouterConfig::dropsTrafficToItsAddresses)) {
            AcceptModeFirewall f = new AcceptModeFirewall();
            try {
                f.start();
            } catch (java.io.IOException e) {
                f.close();
                String who = runtimeConfigs.stream().filter(VirtualRouterConfig::dropsTrafficToItsAddresses).findFirst()
                        .map(VirtualRouterConfig::name).orElse(null);
                throw new VrrpStartException(who, "accept", "accept = false needs nftables rules, which could not be"
                        + " made: " + e.getMessage(), e);
            }
            firewall = f;
        }
        Map<String, List<VirtualRouterConfig>> byInterface = new LinkedHashMap<>();
        for (VirtualRouterConfig c : runtimeConfigs) {
            byInterface.computeIfAbsent(InterfaceSlot.key(c.interfaceName(), c.isIpv6()), k -> new ArrayList<>()).add(c);
        }
        List<InterfaceSlot> watchers = new ArrayList<>();
        List<InterfaceView> views = new ArrayList<>();
        Map<String, IoEventLoop> loops = loopsBySlot(byInterface);
        for (Map.Entry<String, List<VirtualRouterConfig>> e : byInterface.entrySet()) {
            String name = e.getValue().get(0).interfaceName();
            InterfaceSlot slot = new InterfaceSlot(name, ipv4Sources.getOrDefault(e.getKey(), name),
                    loops.get(e.getKey()), control, e.getValue());
            InterfaceView view = await(monitor.view(slot.name(), slot.ownAddresses(), slot.ipv4SourceInterface()),
                    "reading " + slot.name());
            removeStaleAddresses(slot, view, e.getValue());
            slots.put(slot.key(), slot);
            watchers.add(slot);
            views.add(view);
        }
        List<CompletableFuture<Void>> rehearsals = new ArrayList<>();
        int absentIndex = Integer.MAX_VALUE - 1;
        for (int i = 0; i < watchers.size(); i++) {
            InterfaceSlot slot = watchers.get(i);
            List<VirtualRouterConfig> onSlot = byInterface.get(slot.key());
            SlotParts p = partsFor(slot, onSlot);
            EventLoopTimerService timers = p.timers();
            for (VirtualRouterConfig c : onSlot) {
                KernelActions a = actionsFor(c, slot, p);
                VirtualRouter router = new VirtualRouter(c, views.get(i).source(slot.isIpv6()), timers, a);
                if (c.firstIpv6AddressNotLinkLocal()) {
                    log.warn("({}) the first IPv6 VIP address should be link local (RFC 5798 section 5.2.9)", c.name());
                }
                a.installer().listener(router);
                if (p.byVrid().putIfAbsent(c.virtualRouterId(), router) != null) {
                    throw new VrrpStartException(c.name(), "virtual-router-id", "virtual-router-id "
                            + c.virtualRouterId() + " is used twice on " + slot.key(), null);
                }
                routers.put(c.name(), router);
                actions.put(c.name(), a);
                p.onLink().add(router);
                slot.add(router);
                rehearsals.add(a.rehearseTakeover(absentIndex, timers));
            }
            try {
                slot.open(views.get(i));
            } catch (NativeException ex) {
                String hint = ex.isPermissionDenied() ? " (needs CAP_NET_RAW: run as root or grant the capability)" : "";
                throw new VrrpStartException(onSlot.get(0).name(), "interface", "cannot open VRRP sockets on "
                        + slot.name() + ": " + ex.getMessage() + hint, ex);
            }
        }
        for (CompletableFuture<Void> r : rehearsals) {
            await(r, "rehearsing a takeover against no interface");
        }
        InterfaceTracker tracker = new InterfaceTracker();
        interfaceTracker = tracker;
        FileTracker files = new FileTracker();
        for (VirtualRouterConfig c : runtimeConfigs) {
            InterfaceSlot slot = slots.get(InterfaceSlot.key(c.interfaceName(), c.isIpv6()));
            tracker.add(routers.get(c.name()), slot.loop(), c.tracking().interfaces());
            files.add(routers.get(c.name()), slot.loop(), c.tracking().files());
            scriptTracker.add(routers.get(c.name()), slot.loop(), c.tracking().scripts());
            processTracker.add(routers.get(c.name()), slot.loop(), c.tracking().processes());
            virtualServerTracker.add(routers.get(c.name()), slot.loop(), c.tracking().virtualServers());
            for (appliance.vrrp.TrackedProcess p : c.tracking().processes()) {
                appliance.vrrp.VrrpProcess process = globals.processes().get(p.name());
                if (process == null) {
                    throw new VrrpStartException(c.name(), "track-process", "track-process " + p.name()
                            + " names no process in vrrp.processes", null);
                }
                processTracker.process(process);
            }
        }
        if (!processTracker.isEmpty()) {
            try {
                processTracker.start((IoEventLoop) group.next());
            } catch (NativeException e) {
                String why = e.isProtocolUnsupported()
                        ? "the kernel offers its process connector only in the initial network namespace, and this"
                                + " appliance runs in another (" + networkNamespace() + ")"
                        : e.isPermissionDenied() ? "the process connector needs CAP_NET_ADMIN" : e.getMessage();
                String who = runtimeConfigs.stream().filter(c -> !c.tracking().processes().isEmpty()).findFirst()
                        .map(VirtualRouterConfig::name).orElse(null);
                throw new VrrpStartException(who, "track-process", "cannot track processes: " + why, e);
            }
        }
        if (!files.isEmpty()) {
            fileTracker = files;
            try {
                files.start((IoEventLoop) group.next());
            } catch (NativeException e) {
                throw new VrrpStartException(null, "track-file", "cannot watch the tracked files: " + e.getMessage(), e);
            }
        }
        List<InterfaceMonitor.Watcher> trackerWatchers = tracker.watchers();
        List<InterfaceView> trackerViews = new ArrayList<>();
        for (InterfaceMonitor.Watcher w : trackerWatchers) {
            InterfaceView v = await(monitor.view(w.name(), Set.of()), "reading tracked interface " + w.name());
            if (!v.exists()) {
                log.warn("track-interface {} does not exist: it counts as down until it appears", w.name());
            }
            tracker.started(w.name(), v);
            trackerViews.add(v);
        }
        for (appliance.vrrp.SyncGroupConfig g : globals.syncGroups()) {
            List<VirtualRouter> groupMembers = g.members().stream().map(routers::get).toList();
            syncGroups.add(new appliance.vrrp.SyncGroup(g.name(), groupMembers,
                    (name, state) -> notifyScripts.stateChanged(NotifyScripts.GROUP, name, state, 0)));
        }
        // Queued on the interfaces' loops before any change can be, so a change reported from
        // here on is applied after startup, in the order the kernel sent it. Every instance's
        // faults and tracking first, then the startups: a sync group's members (one loop) all
        // know their faults before any of them starts.
        for (int i = 0; i < watchers.size(); i++) {
            InterfaceSlot slot = watchers.get(i);
            Set<FaultReason> faults = slot.faultsAtStart(views.get(i));
            List<VirtualRouter> onLink = byInterface.get(slot.key()).stream().map(c -> routers.get(c.name())).toList();
            slot.loop().execute(() -> {
                for (VirtualRouter r : onLink) {
                    faults.forEach(r::faultRaised);
                    tracker.applyTo(r);
                    files.applyTo(r);
                    scriptTracker.applyTo(r);
                    processTracker.applyTo(r);
                    virtualServerTracker.applyTo(r);
                }
            });
        }
        for (InterfaceSlot slot : watchers) {
            List<VirtualRouter> onLink = byInterface.get(slot.key()).stream().map(c -> routers.get(c.name())).toList();
            slot.loop().execute(() -> onLink.forEach(VirtualRouter::startup));
        }
        List<InterfaceMonitor.Watcher> allWatchers = new ArrayList<>(watchers);
        allWatchers.addAll(trackerWatchers);
        List<InterfaceView> allViews = new ArrayList<>(views);
        allViews.addAll(trackerViews);
        monitor.watch(allWatchers, allViews);
        scriptTracker.start();
        startStatics();
    }

    /**
     * Checks every script an instance runs (notify scripts, tracked scripts) before anything
     * starts. A missing, non-executable or (with enable-script-security) unsafe one is logged with
     * its reason and not run, as keepalived disables it; a tracked one counts as failing.
     */
    private void prepareScripts(List<VirtualRouterConfig> members) throws VrrpStartException {
        ScriptAccess access = new ScriptAccess(globals.scriptUser(), globals.enableScriptSecurity());
        for (appliance.vrrp.SyncGroupConfig g : globals.syncGroups()) {
            notifyScripts.prepare(NotifyScripts.GROUP, g.name(), g.notifyScripts(), access);
        }
        for (VirtualRouterConfig c : members) {
            notifyScripts.prepare(NotifyScripts.INSTANCE, c.name(), c.notifyScripts(), access);
            for (appliance.vrrp.TrackedScript t : c.tracking().scripts()) {
                appliance.vrrp.VrrpScript script = globals.scripts().get(t.name());
                if (script == null) {
                    throw new VrrpStartException(c.name(), "track-script", "track-script " + t.name()
                            + " names no script in vrrp.scripts", null);
                }
                if (scriptTracker.has(script.name())) {
                    continue; // checked for the first instance that tracks it
                }
                try {
                    scriptTracker.script(script, access.prepare(script.arguments(), script.user()));
                } catch (ScriptAccess.ScriptException e) {
                    scriptTracker.cannotRun(script, e.getMessage());
                }
            }
        }
        access.warnIfUnprotected();
    }

    private static String networkNamespace() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/net")).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    /**
     * The instances as their sync groups make them (the group's tracking added, weights dropped
     * as keepalived 2.2.7 drops them); a group that names no instance is an error.
     */
    private List<VirtualRouterConfig> syncGroupMembers() throws VrrpStartException {
        Map<String, VirtualRouterConfig> byName = new LinkedHashMap<>();
        configs.forEach(c -> byName.put(c.name(), c));
        for (appliance.vrrp.SyncGroupConfig g : globals.syncGroups()) {
            for (String m : g.members()) {
                VirtualRouterConfig c = byName.get(m);
                if (c == null) {
                    throw new VrrpStartException(null, "vrrp.sync-groups." + g.name(), "sync group " + g.name()
                            + " names instance " + m + ", which is not configured", null);
                }
                byName.put(m, g.member(c, globals.scripts(), log::warn));
            }
            if (g.members().size() == 1) {
                log.warn("Sync group {} has only 1 virtual router(s) - this probably isn't what you want", g.name());
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * One loop per interface slot, except that the slots of a sync group's members share one:
     * the group then runs on a single thread, and its members' transitions cannot race.
     */
    private Map<String, IoEventLoop> loopsBySlot(Map<String, List<VirtualRouterConfig>> byInterface) {
        Map<String, String> slotOf = new LinkedHashMap<>();
        byInterface.forEach((key, list) -> list.forEach(c -> slotOf.put(c.name(), key)));
        Map<String, String> parent = new LinkedHashMap<>();
        byInterface.keySet().forEach(k -> parent.put(k, k));
        java.util.function.UnaryOperator<String> root = new java.util.function.UnaryOperator<>() {
            @Override
            public String apply(String k) {
                String p = parent.get(k);
                return p.equals(k) ? k : apply(p);
            }
        };
        for (appliance.vrrp.SyncGroupConfig g : globals.syncGroups()) {
            String first = root.apply(slotOf.get(g.members().get(0)));
            for (String m : g.members()) {
                parent.put(root.apply(slotOf.get(m)), first);
            }
        }
        Map<String, IoEventLoop> byRoot = new LinkedHashMap<>();
        Map<String, IoEventLoop> loops = new LinkedHashMap<>();
        for (String key : byInterface.keySet()) {
            loops.put(key, byRoot.computeIfAbsent(root.apply(key), r -> (IoEventLoop) group.next()));
        }
        return loops;
    }

    /**
     * Makes the VMACs of the instances that ask for one and fills {@link #runtimeConfigs}: each
     * instance as it runs (on its VMAC, or with its addresses there). Returns, by slot key, the
     * interface whose primary IPv4 address a VMAC's adverts come from (its base).
     */
    private Map<String, String> makeVmacs(List<VirtualRouterConfig> members) throws VrrpStartException {
        Map<String, String> ipv4Sources = new LinkedHashMap<>();
        List<VirtualRouterConfig> runtime = new ArrayList<>();
        for (VirtualRouterConfig c : members) {
            if (!c.vmac().enabled()) {
                runtime.add(c);
                continue;
            }
            if (vmacs == null) {
                try {
                    vmacClient = RtnetlinkClient.open((IoEventLoop) group.next());
                } catch (NativeException e) {
                    throw new VrrpStartException(c.name(), "use-vmac", "cannot open an rtnetlink socket: " + e.getMessage(), e);
                }
                vmacs = new VmacLinks(vmacClient);
            }
            String name = c.vmac().interfaceName(c.virtualRouterId(), c.isIpv6());
            try {
                VirtualRouterConfig r = vmacs.make(c, await(monitor.link(c.interfaceName()), "reading " + c.interfaceName()),
                        await(monitor.link(name), "reading " + name));
                runtime.add(r);
                if (!c.vmac().xmitBase()) {
                    ipv4Sources.put(InterfaceSlot.key(r.interfaceName(), r.isIpv6()), c.interfaceName());
                }
            } catch (VmacLinks.VmacException e) {
                throw new VrrpStartException(c.name(), "use-vmac", e.getMessage(), null);
            }
        }
        runtimeConfigs = List.copyOf(runtime);
        if (vmacs != null) {
            await(monitor.load(), "listing the interfaces again with the VMACs");
        }
        return ipv4Sources;
    }

    /** On the monitor's loop, with its rtnetlink socket, where the deletions are reported. */
    private void startStatics() {
        if (statics.isEmpty()) {
            return;
        }
        RtnetlinkClient client = monitor.client();
        EventLoopTimerService timers = new EventLoopTimerService(client.eventLoop());
        // No default interface: every static address names its dev.
        StaticObjects s = new StaticObjects(statics, timers, new KernelAddresses(client, "", () -> 0),
                new KernelRoutes(client));
        staticObjects = s;
        monitor.onNotification(s::notified);
        client.eventLoop().execute(s::start);
        log.info("keeping {} static address(es) and {} static route(s)", statics.addresses().size(),
                statics.routes().size());
    }

    /** As keepalived at start: our virtual addresses found on the interface are leftovers of a run that did not stop cleanly. */
    private void removeStaleAddresses(InterfaceSlot slot, InterfaceView view, List<VirtualRouterConfig> users)
            throws VrrpStartException {
        if (!view.exists()) {
            return;
        }
        List<IfAddrMessage> stale = await(monitor.ownAddressesOn(view.index(), slot.ownAddresses()), "reading addresses");
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (IfAddrMessage a : stale) {
            String owner = users.stream().filter(c -> c.virtualAddresses().stream()
                    .anyMatch(v -> v.address().equals(a.interfaceAddress()))).findFirst().map(VirtualRouterConfig::name)
                    .orElse("?");
            log.info("({}) removing stale virtual address {}/{} from {} left by an earlier run", owner,
                    a.interfaceAddress().getHostAddress(), a.prefixLength(), slot.name());
            deletes.add(monitor.client().deleteAddress(view.index(), a.interfaceAddress(), a.prefixLength()));
        }
        for (CompletableFuture<Void> d : deletes) {
            await(d, "removing a stale virtual address (needs CAP_NET_ADMIN)");
        }
    }

    /** Graceful stop: masters send priority 0 and remove their addresses (RFC 5798 section 6.4.3), then sockets close. */
    public void stop(Duration timeout) {
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (VirtualRouterConfig c : runtimeConfigs) {
            VirtualRouter router = routers.get(c.name());
            InterfaceSlot slot = slots.get(InterfaceSlot.key(c.interfaceName(), c.isIpv6()));
            if (router == null || slot == null) {
                continue;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            slot.loop().execute(() -> {
                router.shutdown();
                notifyScripts.stopped(NotifyScripts.INSTANCE, c.name(), router.effectivePriority());
                actions.get(c.name()).addressesRemoved().whenComplete((ok, err) -> done.complete(null));
            });
            removals.add(done);
        }
        for (appliance.vrrp.SyncGroup g : syncGroups) {
            notifyScripts.stopped(NotifyScripts.GROUP, g.name(), 0);
        }
        StaticObjects s = staticObjects;
        if (s != null) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            monitor.client().eventLoop().execute(() -> s.stop().whenComplete((ok, err) -> done.complete(null)));
            removals.add(done);
        }
        try {
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("virtual addresses not confirmed removed within {} ms", timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("stopping: {}", e.getCause().getMessage());
        }
        closeAll();
    }

    private void closeAll() {
        scriptTracker.close();
        processTracker.close();
        notifyScripts.close();
        scriptRunner.close();
        if (staticObjects != null) {
            staticObjects.close();
        }
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        control.shutdown();
        try {
            control.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        actions.values().forEach(KernelActions::close);
        slots.values().forEach(InterfaceSlot::close);
        addressClients.forEach(RtnetlinkClient::close);
        addressClients.clear();
        if (vmacs != null) {
            vmacs.removeAll();
            vmacs = null;
        }
        if (firewall != null) {
            firewall.close();
            firewall = null;
        }
        if (fileTracker != null) {
            fileTracker.close();
            fileTracker = null;
        }
        if (vmacClient != null) {
            vmacClient.close();
            vmacClient = null;
        }
    }

    private <T> T await(CompletableFuture<T> f, String what) throws VrrpStartException {
        try {
            return f.get(KERNEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VrrpStartException(null, null, what + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new VrrpStartException(null, null, what + ": the kernel did not answer in "
                    + KERNEL_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new VrrpStartException(null, null, what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * A reload's changes that keep each instance running (see {@link VirtualRouterConfig#changesInPlaceTo}):
     * another priority, other notify scripts, other addresses. Off the loops; returns once every
     * router has them.
     *
     * @throws IllegalArgumentException naming an instance that is not running or cannot change in place
     */
    public void reconfigure(List<VirtualRouterConfig> changed) {
        Map<String, VirtualRouterConfig> byName = new LinkedHashMap<>();
        configs.forEach(c -> byName.put(c.name(), c));
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        ScriptAccess access = new ScriptAccess(globals.scriptUser(), globals.enableScriptSecurity());
        List<VirtualRouterConfig> runtime = new ArrayList<>(runtimeConfigs);
        // By slot: the changes there run in one task on its loop, where its routers' states are true.
        Map<String, List<VirtualRouterConfig>> bySlot = new LinkedHashMap<>();
        for (VirtualRouterConfig next : changed) {
            VirtualRouterConfig before = byName.get(next.name());
            VirtualRouter router = routers.get(next.name());
            if (before == null || router == null || !before.changesInPlaceTo(next)) {
                throw new IllegalArgumentException("(" + next.name() + ") cannot be changed in place");
            }
            int at = -1;
            for (int i = 0; i < runtime.size(); i++) {
                if (runtime.get(i).name().equals(next.name())) {
                    at = i;
                }
            }
            VirtualRouterConfig running = runtime.get(at).withInPlaceChanges(next.priority(), next.notifyScripts(),
                    next.virtualAddresses(), next.excludedAddresses());
            runtime.set(at, running);
            byName.put(next.name(), next);
            notifyScripts.prepare(NotifyScripts.INSTANCE, next.name(), next.notifyScripts(), access);
            String key = InterfaceSlot.key(running.interfaceName(), running.isIpv6());
            slots.get(key).addOwnAddresses(running);
            bySlot.computeIfAbsent(key, k -> new ArrayList<>()).add(running);
        }
        runtimeConfigs = List.copyOf(runtime);
        configs = List.copyOf(byName.values());
        Map<String, VirtualRouterConfig> runningByName = new java.util.HashMap<>();
        runtime.forEach(c -> runningByName.put(c.name(), c));
        for (Map.Entry<String, List<VirtualRouterConfig>> e : bySlot.entrySet()) {
            InterfaceSlot slot = slots.get(e.getKey());
            SlotParts p = parts.get(e.getKey());
            CompletableFuture<Void> done = new CompletableFuture<>();
            slot.loop().execute(() -> {
                try {
                    for (VirtualRouterConfig running : e.getValue()) {
                        VirtualRouter router = routers.get(running.name());
                        // An address another master on this interface holds after the reload stays
                        // (keepalived #1854 lost an address moved between instances).
                        java.util.Set<appliance.vrrp.VirtualAddress> heldByOthers = new java.util.HashSet<>();
                        for (VirtualRouter other : p.onLink()) {
                            if (other != router && other.state() == appliance.vrrp.VrrpState.MASTER) {
                                heldByOthers.addAll(runningByName.get(other.config().name()).allAddresses());
                            }
                        }
                        router.reconfigure(running);
                        KernelActions a = actions.get(running.name());
                        a.reconfigure(running, router, heldByOthers);
                        if (slot.channel() != null) {
                            a.prepare(router.advertisement());
                        }
                    }
                    done.complete(null);
                } catch (RuntimeException ex) {
                    done.completeExceptionally(ex);
                }
            });
            applied.add(done);
        }
        for (CompletableFuture<Void> f : applied) {
            try {
                f.get(KERNEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("reload: an instance did not take its new configuration: {}", e.toString());
            }
        }
        // Addresses no instance wants any more are no longer ours, once the changes are made.
        java.util.Set<java.net.InetAddress> wanted = new java.util.HashSet<>();
        runtime.forEach(c -> c.allAddresses().forEach(v -> wanted.add(v.address())));
        slots.values().forEach(slot -> slot.keepOwnAddresses(wanted));
    }

    /**
     * A slot's shared parts, made once with the slot, at start or when a reload adds its first
     * instance: its own rtnetlink socket on its loop (the address add of a takeover goes out
     * without a hop to another thread, and its ack triggers the gratuitous ARPs where it is read;
     * measured 1.4 to 3 ms from add to ack through the shared socket), its timers, its announcement
     * pacer (the largest spacing of {@code onSlot}), and the receiver of its adverts. Off the loops.
     */
    private SlotParts partsFor(InterfaceSlot slot, List<VirtualRouterConfig> onSlot) throws VrrpStartException {
        RtnetlinkClient addressClient;
        try {
            addressClient = RtnetlinkClient.open(slot.loop());
        } catch (NativeException ex) {
            throw new VrrpStartException(onSlot.get(0).name(), "interface",
                    "cannot open an rtnetlink socket for " + slot.name() + ": " + ex.getMessage(), ex);
        }
        addressClients.add(addressClient);
        EventLoopTimerService timers = new EventLoopTimerService(slot.loop());
        long spacing = onSlot.stream().mapToLong(c -> c.announcements().interval(slot.isIpv6()).toNanos()).max()
                .orElse(0);
        AnnouncementPacer<KernelActions.Frame> pacer = new AnnouncementPacer<>(spacing, timers, frame -> {
            InterfaceChannel ch = slot.channel();
            return ch != null && ch.sendFrame(frame.device(), frame.bytes());
        });
        Map<Integer, VirtualRouter> byVrid = new java.util.HashMap<>();
        List<VirtualRouter> onLink = new ArrayList<>();
        SlotParts p = new SlotParts(addressClient, timers, pacer, byVrid, onLink);
        parts.put(slot.key(), p);
        slot.attach(new AdvertisementReceiver(slot.key(), byVrid, timers), () -> {
            for (VirtualRouter r : onLink) {
                actions.get(r.config().name()).prepare(r.advertisement());
            }
        });
        return p;
    }

    private KernelActions actionsFor(VirtualRouterConfig c, InterfaceSlot slot, SlotParts p) {
        return new KernelActions(c, slot, p.addressClient(), p.timers(), p.pacer(), firewall, t -> {
            listener.accept(new StateChange(t.config().name(), t.from(), t.to(), t.reason()));
            VirtualRouter r = routers.get(t.config().name());
            notifyScripts.stateChanged(NotifyScripts.INSTANCE, t.config().name(), t.to(),
                    r == null ? t.config().priority() : r.effectivePriority());
        });
    }

    /**
     * Why a reload cannot add this instance while the others run, or null when it can: the
     * parts made once at start (VMACs, the accept-mode firewall, sync groups, interface, file and
     * process watchers, tracked scripts' schedules) are not made again yet.
     */
    public String cannotAdd(VirtualRouterConfig c) {
        return cannotAdd(c, java.util.Set.of());
    }

    /** @param leaving instances the reload removes first, whose VRIDs are then free (two that swap VRIDs) */
    public String cannotAdd(VirtualRouterConfig c, java.util.Set<String> leaving) {
        if (c.vmac().enabled()) {
            return "use-vmac";
        }
        if (c.dropsTrafficToItsAddresses() && firewall == null) {
            return "accept = false (the firewall table was not made at start)";
        }
        if (globals.syncGroups().stream().anyMatch(g -> g.members().contains(c.name()))) {
            return "a sync group member";
        }
        if (!c.tracking().interfaces().isEmpty() || !c.tracking().files().isEmpty()
                || !c.tracking().processes().isEmpty()) {
            return "track-interface, track-file or track-process";
        }
        for (appliance.vrrp.TrackedScript t : c.tracking().scripts()) {
            if (!scriptTracker.has(t.name())) {
                return "track-script " + t.name() + " (no running instance tracks it)";
            }
        }
        if (c.allAddresses().stream().anyMatch(a -> !a.deviceOr(c.interfaceName()).equals(c.interfaceName()))) {
            return "addresses on other interfaces (dev)";
        }
        String key = InterfaceSlot.key(c.interfaceName(), c.isIpv6());
        SlotParts p = parts.get(key);
        if (p != null && routers.values().stream().anyMatch(r -> !leaving.contains(r.config().name())
                && r.config().virtualRouterId() == c.virtualRouterId()
                && InterfaceSlot.key(r.config().interfaceName(), r.config().isIpv6()).equals(key))) {
            return "virtual-router-id " + c.virtualRouterId() + " still in use on " + key;
        }
        return null;
    }

    /**
     * Why a reload cannot remove this instance while the others run, or null when it can.
     */
    public String cannotRemove(String name) {
        if (!routers.containsKey(name)) {
            return "not running";
        }
        if (globals.syncGroups().stream().anyMatch(g -> g.members().contains(name))) {
            return "a sync group member";
        }
        if (runtimeConfigs.stream().anyMatch(c -> c.name().equals(name) && c.vmac().enabled())) {
            return "use-vmac";
        }
        return null;
    }

    /**
     * A reload's new instance, started while the others run, as it would have started with them:
     * as a backup first (an owner as master at once). Off the loops; see {@link #cannotAdd}.
     */
    public void addInstance(VirtualRouterConfig c) throws VrrpStartException {
        String why = cannotAdd(c);
        if (why != null) {
            throw new VrrpStartException(c.name(), null, "cannot be added by a reload: " + why, null);
        }
        ScriptAccess access = new ScriptAccess(globals.scriptUser(), globals.enableScriptSecurity());
        notifyScripts.prepare(NotifyScripts.INSTANCE, c.name(), c.notifyScripts(), access);
        String key = InterfaceSlot.key(c.interfaceName(), c.isIpv6());
        InterfaceSlot slot = slots.get(key);
        boolean newSlot = slot == null;
        if (newSlot) {
            slot = new InterfaceSlot(c.interfaceName(), (IoEventLoop) group.next(), control, List.of(c));
            partsFor(slot, List.of(c));
        } else {
            slot.addOwnAddresses(c);
        }
        SlotParts p = parts.get(key);
        InterfaceView view;
        try {
            view = await(monitor.view(slot.name(), slot.ownAddresses(), slot.ipv4SourceInterface()),
                    "reading " + slot.name());
            if (newSlot) {
                slot.open(view);
            }
        } catch (VrrpStartException | NativeException | RuntimeException ex) {
            if (newSlot) {
                slot.close();
                parts.remove(key);
                addressClients.remove(p.addressClient());
                p.addressClient().close();
            } else {
                slot.removeOwnAddresses(c);
            }
            throw ex instanceof VrrpStartException v ? v : new VrrpStartException(c.name(), "interface",
                    "cannot open VRRP sockets on " + slot.name() + ": " + ex.getMessage(), ex);
        }
        if (newSlot) {
            slots.put(key, slot);
            monitor.watchAlso(slot, view);
        }
        KernelActions a = actionsFor(c, slot, p);
        VirtualRouter router = new VirtualRouter(c, view.source(slot.isIpv6()), p.timers(), a);
        a.installer().listener(router);
        routers.put(c.name(), router);
        actions.put(c.name(), a);
        List<VirtualRouterConfig> runtime = new ArrayList<>(runtimeConfigs);
        runtime.add(c);
        runtimeConfigs = List.copyOf(runtime);
        List<VirtualRouterConfig> all = new ArrayList<>(configs);
        all.add(c);
        configs = List.copyOf(all);
        scriptTracker.add(router, slot.loop(), c.tracking().scripts());
        virtualServerTracker.add(router, slot.loop(), c.tracking().virtualServers());
        InterfaceSlot s = slot;
        java.util.Set<FaultReason> faults = slot.faultsAtStart(view);
        CompletableFuture<Void> started = new CompletableFuture<>();
        slot.loop().execute(() -> {
            p.byVrid().put(c.virtualRouterId(), router);
            p.onLink().add(router);
            s.add(router);
            if (s.channel() != null) {
                a.prepare(router.advertisement());
            }
            faults.forEach(router::faultRaised);
            scriptTracker.applyTo(router);
            virtualServerTracker.applyTo(router);
            router.startup();
            started.complete(null);
        });
        await(started, "starting " + c.name());
        log.info("({}) added by a reload", c.name());
    }

    /**
     * A reload removed the instance: it stops as at a graceful stop (a master sends priority 0
     * and removes its addresses), the others run on. Off the loops; see {@link #cannotRemove}.
     */
    public void removeInstance(String name, Duration timeout) {
        VirtualRouter router = routers.get(name);
        KernelActions a = actions.get(name);
        VirtualRouterConfig c = runtimeConfigs.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        if (router == null || a == null || c == null) {
            return;
        }
        String key = InterfaceSlot.key(c.interfaceName(), c.isIpv6());
        InterfaceSlot slot = slots.get(key);
        SlotParts p = parts.get(key);
        CompletableFuture<Void> done = new CompletableFuture<>();
        slot.loop().execute(() -> {
            p.byVrid().remove(c.virtualRouterId(), router);
            p.onLink().remove(router);
            slot.remove(router);
            router.shutdown();
            notifyScripts.stopped(NotifyScripts.INSTANCE, name, router.effectivePriority());
            a.addressesRemoved().whenComplete((ok, err) -> done.complete(null));
        });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("({}) virtual addresses not confirmed removed within {} ms", name, timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("({}) stopping: {}", name, e.getCause().getMessage());
        }
        scriptTracker.remove(router);
        processTracker.remove(router);
        virtualServerTracker.remove(router);
        if (interfaceTracker != null) {
            interfaceTracker.remove(router);
        }
        if (fileTracker != null) {
            fileTracker.remove(router);
        }
        slot.loop().execute(a::close);
        routers.remove(name);
        actions.remove(name);
        slot.removeOwnAddresses(c);
        runtimeConfigs = runtimeConfigs.stream().filter(x -> !x.name().equals(name)).toList();
        configs = configs.stream().filter(x -> !x.name().equals(name)).toList();
        log.info("({}) removed by a reload", name);
    }

    /**
     * At every reload, changed or not: each master's addresses and routes are added again where
     * the kernel lost them (deleted by hand), as keepalived #1877 asked; off the loops.
     */
    public void reassertKernel() {
        for (VirtualRouterConfig c : runtimeConfigs) {
            InterfaceSlot slot = slots.get(InterfaceSlot.key(c.interfaceName(), c.isIpv6()));
            KernelActions a = actions.get(c.name());
            if (slot != null && a != null) {
                slot.loop().execute(a::reassert);
            }
        }
    }

    /** Live routers by instance name; read their state from any thread. */
    public Map<String, VirtualRouter> routers() {
        return Map.copyOf(routers);
    }

    /** The running sync groups; read their state from any thread. */
    public List<appliance.vrrp.SyncGroup> syncGroups() {
        return List.copyOf(syncGroups);
    }

    /** Receive drop counters by interface name. */
    public Map<String, DropCounters> dropsByInterface() {
        Map<String, DropCounters> m = new LinkedHashMap<>();
        slots.forEach((name, slot) -> m.put(name, slot.receiver().drops()));
        return m;
    }
}
