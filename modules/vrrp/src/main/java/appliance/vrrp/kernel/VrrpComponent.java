package appliance.vrrp.kernel;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.NetlinkMessage;
import appliance.codec.netlink.Rtnetlink;
import appliance.nativeio.NativeException;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.AdvertisementReceiver;
import appliance.vrrp.DropCounters;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.VirtualRouterConfig;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's VRRP child, as a component on the shared loop group: resolves the interfaces,
 * clears virtual addresses a crashed run left behind, opens one socket set per interface and runs
 * one {@link VirtualRouter} per configured instance on that interface's loop.
 */
public final class VrrpComponent {

    private static final Logger log = LoggerFactory.getLogger(VrrpComponent.class);
    private static final int AF_INET = 2;
    private static final int IFA_F_SECONDARY = 0x01;
    private static final long KERNEL_TIMEOUT_SECONDS = 5;

    private final IoEventLoopGroup group;
    private final List<VirtualRouterConfig> configs;
    private final Consumer<StateChange> listener;
    private final Map<String, InterfaceChannel> channels = new LinkedHashMap<>();
    private final Map<String, VirtualRouter> routers = new LinkedHashMap<>();
    private final Map<String, KernelActions> actions = new LinkedHashMap<>();
    /** Interfaces in use by ifindex; read by the link notifications on the rtnetlink socket's loop. */
    private final Map<Integer, LinkWatch> linkWatches = new ConcurrentHashMap<>();
    private RtnetlinkClient rtnetlink;
    private final List<RtnetlinkClient> addressClients = new ArrayList<>();

    /** A transition, for JMX, metrics and notify scripts. Delivered on the router's loop. */
    public record StateChange(String instance, appliance.vrrp.VrrpState from, appliance.vrrp.VrrpState to, String reason) {}

    public VrrpComponent(IoEventLoopGroup group, List<VirtualRouterConfig> configs, Consumer<StateChange> listener) {
        this.group = group;
        this.configs = List.copyOf(configs);
        this.listener = listener;
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
        try {
            // Subscribed to link changes, as keepalived's netlink monitor: carrier loss reaches the
            // instances within the kernel's notification, with nothing polling.
            rtnetlink = RtnetlinkClient.open((IoEventLoop) group.next(), Rtnetlink.RTMGRP_LINK, this::linkNotified,
                    this::reconcileLinks);
        } catch (NativeException e) {
            throw new VrrpStartException(null, null, "cannot open the rtnetlink socket: " + e.getMessage(), e);
        }
        List<IfInfoMessage> links = await(rtnetlink.dumpLinks(), "listing network interfaces");
        List<IfAddrMessage> addresses = await(rtnetlink.dumpAddresses(AF_INET), "listing IPv4 addresses");

        Map<String, List<VirtualRouterConfig>> byInterface = new LinkedHashMap<>();
        for (VirtualRouterConfig c : configs) {
            byInterface.computeIfAbsent(c.interfaceName(), k -> new ArrayList<>()).add(c);
        }
        Map<String, IfInfoMessage> linksByName = new LinkedHashMap<>();
        for (IfInfoMessage l : links) {
            if (l.name() != null) {
                linksByName.putIfAbsent(l.name(), l);
            }
        }
        Map<String, InterfaceInfo> infos = new LinkedHashMap<>();
        for (Map.Entry<String, List<VirtualRouterConfig>> e : byInterface.entrySet()) {
            infos.put(e.getKey(), resolve(e.getKey(), e.getValue(), linksByName.get(e.getKey()), addresses));
        }
        removeStaleAddresses(infos, addresses);
        List<CompletableFuture<Void>> rehearsals = new ArrayList<>();
        int absentIndex = Integer.MAX_VALUE;
        while (indexInUse(links, absentIndex)) {
            absentIndex--;
        }

        for (Map.Entry<String, List<VirtualRouterConfig>> e : byInterface.entrySet()) {
            InterfaceInfo info = infos.get(e.getKey());
            IoEventLoop loop = (IoEventLoop) group.next();
            InterfaceChannel channel;
            try {
                channel = new InterfaceChannel(info, loop);
            } catch (NativeException ex) {
                String first = e.getValue().get(0).name();
                String hint = ex.isPermissionDenied() ? " (needs CAP_NET_RAW: run as root or grant the capability)" : "";
                throw new VrrpStartException(first, "interface", "cannot open VRRP sockets on " + info.name() + ": "
                        + ex.getMessage() + hint, ex);
            }
            channels.put(info.name(), channel);
            // The interface's own rtnetlink socket, on the same loop: the address add of a takeover
            // goes out without a hop to another thread, and its ack triggers the gratuitous ARPs
            // where it is read (measured: 1.4 to 3 ms from add to ack through the shared socket).
            RtnetlinkClient addressClient;
            try {
                addressClient = RtnetlinkClient.open(loop);
            } catch (NativeException ex) {
                throw new VrrpStartException(e.getValue().get(0).name(), "interface",
                        "cannot open an rtnetlink socket for " + info.name() + ": " + ex.getMessage(), ex);
            }
            addressClients.add(addressClient);
            Map<Integer, VirtualRouter> byVrid = new LinkedHashMap<>();
            EventLoopTimerService timers = new EventLoopTimerService(loop);
            for (VirtualRouterConfig c : e.getValue()) {
                KernelActions a = new KernelActions(c, channel, addressClient, t ->
                        listener.accept(new StateChange(t.config().name(), t.from(), t.to(), t.reason())));
                VirtualRouter router = new VirtualRouter(c, info.primaryIpv4(), timers, a);
                a.prepare(router.advertisement());
                rehearsals.add(a.rehearseTakeover(absentIndex));
                if (byVrid.putIfAbsent(c.virtualRouterId(), router) != null) {
                    throw new VrrpStartException(c.name(), "virtual-router-id", "virtual-router-id "
                            + c.virtualRouterId() + " is used twice on " + info.name(), null);
                }
                routers.put(c.name(), router);
                actions.put(c.name(), a);
            }
            channel.attach(new AdvertisementReceiver(info.name(), byVrid, timers));
        }
        for (CompletableFuture<Void> r : rehearsals) {
            await(r, "rehearsing a takeover against no interface");
        }
        for (Map.Entry<String, List<VirtualRouterConfig>> e : byInterface.entrySet()) {
            InterfaceChannel ch = channels.get(e.getKey());
            boolean up = isUp(linksByName.get(e.getKey()));
            List<VirtualRouter> onLink = e.getValue().stream().map(c -> routers.get(c.name())).toList();
            if (!up) {
                log.warn("{} is down (no carrier or set down): {} start in FAULT", ch.info.name(),
                        e.getValue().stream().map(VirtualRouterConfig::name).toList());
            }
            // Queued on the interface's loop before any notification can be, so a change reported
            // from here on is applied after startup, in the order the kernel sent it.
            ch.loop.execute(() -> {
                for (VirtualRouter r : onLink) {
                    if (!up) {
                        r.interfaceDown();
                    }
                    r.startup();
                }
            });
            linkWatches.put(ch.info.index(), new LinkWatch(ch, onLink, up));
        }
        // A change between the dump above and the watches was not seen: read the links again.
        reconcileLinks();
    }

    /**
     * Dumps the links and treats each as a notification; the dump's answer is read on the same
     * socket and loop as the notifications, so it is applied in order with them. Run after the
     * watches are set up and whenever the kernel dropped notifications (ENOBUFS).
     */
    private void reconcileLinks() {
        RtnetlinkClient client = rtnetlink;
        if (client == null) {
            return;
        }
        client.dumpLinks().whenComplete((links, error) -> {
            if (error != null) {
                log.warn("cannot re-read the interfaces' link state: {}", error.getMessage());
            } else if (client.eventLoop().inEventLoop()) {
                links.forEach(this::linkNotified);
            } else { // answered before whenComplete was attached: still apply it on the loop
                client.eventLoop().execute(() -> links.forEach(this::linkNotified));
            }
        });
    }

    private static boolean indexInUse(List<IfInfoMessage> links, int index) {
        return links.stream().anyMatch(l -> l.interfaceIndex() == index);
    }

    /** keepalived's test: an interface serves VRRP when it is both set up and has carrier. */
    private static boolean isUp(IfInfoMessage link) {
        int both = IfInfoMessage.IFF_UP | IfInfoMessage.IFF_RUNNING;
        return link.header().type() != Rtnetlink.RTM_DELLINK && (link.flags() & both) == both;
    }

    /** On the rtnetlink socket's loop: an RTM_NEWLINK or RTM_DELLINK the kernel multicast. */
    private void linkNotified(NetlinkMessage message) {
        if (!(message instanceof IfInfoMessage link)) {
            return;
        }
        LinkWatch watch = linkWatches.get(link.interfaceIndex());
        if (watch == null) {
            return;
        }
        boolean up = isUp(link);
        if (link.header().type() == Rtnetlink.RTM_DELLINK) {
            log.warn("{} was deleted: its instances stay in FAULT; restart the appliance once it exists again",
                    watch.channel.info.name());
        }
        if (up == watch.up) {
            return;
        }
        watch.up = up;
        log.info("Netlink reports {} {}", watch.channel.info.name(), up ? "up" : "down");
        watch.channel.loop.execute(() -> {
            for (VirtualRouter r : watch.routers) {
                if (up) {
                    r.interfaceUp();
                } else {
                    r.interfaceDown();
                }
            }
        });
    }

    /** What the link notifications need of one interface; {@code up} is touched only on the rtnetlink loop. */
    private static final class LinkWatch {
        final InterfaceChannel channel;
        final List<VirtualRouter> routers;
        boolean up;

        LinkWatch(InterfaceChannel channel, List<VirtualRouter> routers, boolean up) {
            this.channel = channel;
            this.routers = routers;
            this.up = up;
        }
    }

    /** @param link the interface's entry in the link dump, null when there is none */
    private InterfaceInfo resolve(String name, List<VirtualRouterConfig> users, IfInfoMessage link,
            List<IfAddrMessage> addresses) throws VrrpStartException {
        String instance = users.get(0).name();
        if (link == null) {
            throw new VrrpStartException(instance, "interface", "interface " + name + " does not exist", null);
        }
        byte[] mac = link.hardwareAddress();
        if (mac == null || mac.length != 6) {
            throw new VrrpStartException(instance, "interface", "interface " + name
                    + " has no Ethernet address; VRRP needs an Ethernet-like link", null);
        }
        Set<InetAddress> ours = users.stream().flatMap(c -> c.virtualAddresses().stream())
                .map(VirtualAddress::address).collect(Collectors.toSet());
        Inet4Address primary = addresses.stream()
                .filter(a -> a.interfaceIndex() == link.interfaceIndex())
                .filter(a -> (a.flags() & IFA_F_SECONDARY) == 0)
                .map(a -> a.local() != null ? a.local() : a.address())
                .filter(a -> a instanceof Inet4Address && !ours.contains(a))
                .map(a -> (Inet4Address) a)
                .findFirst().orElseThrow(() -> new VrrpStartException(instance, "interface", "interface " + name
                        + " has no IPv4 address of its own to send advertisements from", null));
        return new InterfaceInfo(name, link.interfaceIndex(), mac, primary);
    }

    /** As keepalived at start: our virtual addresses found on the interface are leftovers of a run that did not stop cleanly. */
    private void removeStaleAddresses(Map<String, InterfaceInfo> infos, List<IfAddrMessage> present)
            throws VrrpStartException {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (VirtualRouterConfig c : configs) {
            InterfaceInfo info = infos.get(c.interfaceName());
            for (VirtualAddress vip : c.virtualAddresses()) {
                for (IfAddrMessage a : present) {
                    InetAddress local = a.local() != null ? a.local() : a.address();
                    if (a.interfaceIndex() == info.index() && vip.address().equals(local)) {
                        log.info("({}) removing stale virtual address {}/{} from {} left by an earlier run", c.name(),
                                local.getHostAddress(), a.prefixLength(), info.name());
                        deletes.add(rtnetlink.deleteAddress(info.index(), local, a.prefixLength()));
                    }
                }
            }
        }
        for (CompletableFuture<Void> d : deletes) {
            await(d, "removing a stale virtual address (needs CAP_NET_ADMIN)");
        }
    }

    /** Graceful stop: masters send priority 0 and remove their addresses (RFC 5798 section 6.4.3), then sockets close. */
    public void stop(Duration timeout) {
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (VirtualRouterConfig c : configs) {
            VirtualRouter router = routers.get(c.name());
            InterfaceChannel ch = channels.get(c.interfaceName());
            if (router == null || ch == null) {
                continue;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            ch.loop.execute(() -> {
                router.shutdown();
                actions.get(c.name()).addressesRemoved().whenComplete((ok, err) -> done.complete(null));
            });
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
        linkWatches.clear();
        channels.values().forEach(InterfaceChannel::close);
        channels.clear();
        addressClients.forEach(RtnetlinkClient::close);
        addressClients.clear();
        if (rtnetlink != null) {
            rtnetlink.close();
            rtnetlink = null;
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

    /** Live routers by instance name; read their state from any thread. */
    public Map<String, VirtualRouter> routers() {
        return Map.copyOf(routers);
    }

    /** Receive drop counters by interface name. */
    public Map<String, DropCounters> dropsByInterface() {
        Map<String, DropCounters> m = new LinkedHashMap<>();
        channels.forEach((name, ch) -> m.put(name, ch.receiver().drops()));
        return m;
    }
}
