package appliance.vrrp.kernel;

import appliance.nativeio.NativeException;
import appliance.vrrp.AdvertisementReceiver;
import appliance.vrrp.FaultReason;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.VirtualRouterConfig;
import io.netty.channel.IoEventLoop;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface the configuration names, followed by name for as long as the appliance runs: its
 * sockets exist while the interface does, are opened when it appears (at start or later) and
 * reopened when it is deleted and created again under a new index; its instances hear each change
 * as fault reasons raised or cleared and as a new primary address. The receive path
 * ({@link AdvertisementReceiver}, with its drop counters) outlives the sockets.
 *
 * <p>Threading: {@link #viewChanged} runs on the control thread (opening sockets waits for the
 * loop, so it cannot run there); the routers are driven on the interface's loop.
 */
final class InterfaceSlot implements InterfaceMonitor.Watcher {

    private static final Logger log = LoggerFactory.getLogger(InterfaceSlot.class);

    private final String name;
    private final String ipv4Source;
    /** The family of every instance here: one slot per (interface, family), as keepalived has one socket per pair. */
    private final boolean ipv6;
    private final FaultReason noSource;
    private final IoEventLoop loop;
    private final Executor control;
    private final Set<InetAddress> ownAddresses;
    /** Interfaces other than this one that the instances' addresses name with {@code dev}. */
    private final Set<String> otherDevices;
    private final List<String> instanceNames;
    /** See {@link InterfaceChannel#readPacingNanos}. */
    private final long readPacingNanos;
    private final List<VirtualRouter> routers = new ArrayList<>();
    private AdvertisementReceiver receiver;
    private Runnable prepare = () -> { };
    private volatile InterfaceChannel channel;
    /** Whether sockets were ever open: the next interface of this name is then a re-creation. */
    private boolean everOpen;

    InterfaceSlot(String name, IoEventLoop loop, Executor control, List<VirtualRouterConfig> configs) {
        this(name, name, loop, control, configs);
    }

    /** @param ipv4Source where the primary IPv4 address is read: {@code name}, or a VMAC's base interface */
    InterfaceSlot(String name, String ipv4Source, IoEventLoop loop, Executor control, List<VirtualRouterConfig> configs) {
        this.name = name;
        this.ipv4Source = ipv4Source;
        this.ipv6 = configs.get(0).isIpv6();
        this.noSource = ipv6 ? FaultReason.NO_IPV6_LINK_LOCAL : FaultReason.NO_IPV4_ADDRESS;
        this.loop = loop;
        this.control = control;
        this.ownAddresses = configs.stream().flatMap(c -> c.allAddresses().stream())
                .map(VirtualAddress::address).collect(Collectors.toCollection(java.util.concurrent.ConcurrentHashMap::newKeySet));
        this.otherDevices = configs.stream().flatMap(c -> c.allAddresses().stream())
                .map(a -> a.deviceOr(name)).filter(d -> !d.equals(name)).collect(Collectors.toUnmodifiableSet());
        this.instanceNames = configs.stream().map(VirtualRouterConfig::name).toList();
        this.readPacingNanos = InterfaceChannel.readPacingNanos(configs.stream()
                .mapToLong(c -> c.advertInterval().toNanos()).min().orElseThrow());
    }

    /** @param prepare run on the loop whenever sockets open: encodes the adverts ahead of a takeover */
    void attach(AdvertisementReceiver receiver, Runnable prepare) {
        this.receiver = receiver;
        this.prepare = prepare;
    }

    /** An instance here: off the loop before the slot opens, on it afterwards (a reload's). */
    void add(VirtualRouter router) {
        routers.add(router);
    }

    /** On the loop: a reload removed an instance from here. */
    void remove(VirtualRouter router) {
        routers.remove(router);
    }

    /** Off the loops, before the instance starts: its addresses are ours, not the interface's own. */
    void addOwnAddresses(VirtualRouterConfig c) {
        c.allAddresses().forEach(a -> ownAddresses.add(a.address()));
    }

    /** After a reload: only these addresses are still ours. */
    void keepOwnAddresses(Set<InetAddress> wanted) {
        ownAddresses.retainAll(wanted);
    }

    /** After the instance stopped: its addresses are no longer ours. */
    void removeOwnAddresses(VirtualRouterConfig c) {
        c.allAddresses().forEach(a -> ownAddresses.remove(a.address()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String ipv4SourceInterface() {
        return ipv4Source;
    }

    @Override
    public Set<InetAddress> ownAddresses() {
        return ownAddresses;
    }

    boolean isIpv6() {
        return ipv6;
    }

    /** The slot's key: its interface's name, with " (IPv6)" for the IPv6 instances on it. */
    String key() {
        return key(name, ipv6);
    }

    static String key(String interfaceName, boolean ipv6) {
        return ipv6 ? interfaceName + " (IPv6)" : interfaceName;
    }

    IoEventLoop loop() {
        return loop;
    }

    /** The sockets of the interface as it is now; null while it does not exist. */
    InterfaceChannel channel() {
        return channel;
    }

    AdvertisementReceiver receiver() {
        return receiver;
    }

    /**
     * Opens the sockets at start, off the loop. An interface that does not exist, or is not an
     * Ethernet-like link, leaves the instances waiting in FAULT.
     */
    void open(InterfaceView view) throws NativeException {
        if (view.exists() && view.isEthernet()) {
            openChannel(view);
        }
    }

    /** New sockets for the interface as {@code view} shows it; the adverts are encoded ahead on the loop. */
    private void openChannel(InterfaceView view) throws NativeException {
        InterfaceChannel ch = new InterfaceChannel(info(view), loop, ipv6, otherDevices, readPacingNanos);
        ch.attach(receiver);
        channel = ch;
        everOpen = true;
        loop.execute(prepare);
    }

    /** The fault reasons {@code view} implies, logged at start. */
    Set<FaultReason> faultsAtStart(InterfaceView view) {
        if (!view.exists()) {
            log.warn("interface {} does not exist: {} wait in FAULT until it appears", name, instanceNames);
        } else if (!view.isEthernet()) {
            log.error("interface {} has no Ethernet address; VRRP needs an Ethernet-like link: {} stay in FAULT", name,
                    instanceNames);
        } else if (!view.up()) {
            log.warn("{} is down (no carrier or set down): {} start in FAULT", name, instanceNames);
        }
        if (view.exists() && view.source(ipv6) == null) {
            log.warn("{} has no {} of its own to send advertisements from: {} wait in FAULT until it has one",
                    name, ipv6 ? "usable IPv6 link-local address" : "IPv4 address", instanceNames);
        }
        return faults(view);
    }

    private Set<FaultReason> faults(InterfaceView view) {
        Set<FaultReason> f = new java.util.HashSet<>();
        if (channel == null || !view.up()) {
            f.add(FaultReason.LINK_DOWN);
        }
        if (view.source(ipv6) == null) {
            f.add(noSource);
        }
        return f;
    }

    @Override
    public void viewChanged(InterfaceView previous, InterfaceView current) {
        if (previous.exists() && current.exists() && previous.index() == current.index() && previous.up() != current.up()) {
            log.info("Netlink reports {} {}", name, current.up() ? "up" : "down");
        }
        control.execute(() -> apply(previous, current));
    }

    /** On the control thread, in the order of the changes. */
    private void apply(InterfaceView previous, InterfaceView current) {
        InterfaceChannel old = channel;
        boolean reopen = current.exists() && current.isEthernet()
                && (old == null || old.info().index() != current.index()
                    || !java.util.Arrays.equals(old.info().hardwareAddress(), current.hardwareAddress()));
        if (old != null && (reopen || !current.exists() || !current.isEthernet())) {
            channel = null;
            old.close();
            if (!current.exists()) {
                log.warn("{} was deleted: {} wait in FAULT until it exists again", name, instanceNames);
            }
        }
        if (reopen) {
            String how = everOpen ? "re-created" : "appeared";
            try {
                openChannel(current);
                log.info("{} {} (ifindex {}): VRRP sockets open for {}", name, how, current.index(), instanceNames);
            } catch (NativeException e) {
                log.error("cannot open VRRP sockets on {}: {}: {} stay in FAULT", name, e.getMessage(), instanceNames);
            }
        } else if (channel != null && !Objects.equals(channel.info().source(), current.source(ipv6))) {
            channel.sourceChanged(current.source(ipv6));
        }
        if (!Objects.equals(previous.source(ipv6), current.source(ipv6)) && current.exists()) {
            log.info("{}: {} {} (was {}): adverts are sent from it", name,
                    ipv6 ? "IPv6 link-local address" : "primary IPv4 address", text(current.source(ipv6)),
                    text(previous.source(ipv6)));
        }
        Set<FaultReason> faults = faults(current);
        InetAddress primary = current.source(ipv6);
        loop.execute(() -> {
            for (VirtualRouter r : routers) {
                // Raised before cleared: moving from one reason to another never leaves FAULT in between.
                faults.forEach(r::faultRaised);
                r.primaryAddressChanged(primary);
                for (FaultReason f : List.of(FaultReason.LINK_DOWN, noSource)) {
                    if (!faults.contains(f)) {
                        r.faultCleared(f);
                    }
                }
            }
        });
    }

    private InterfaceInfo info(InterfaceView view) {
        return new InterfaceInfo(name, view.index(), view.hardwareAddress(), view.source(ipv6));
    }

    private static String text(InetAddress a) {
        return a == null ? "none" : a.getHostAddress();
    }

    void close() {
        InterfaceChannel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }
}
