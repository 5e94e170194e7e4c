package appliance.vrrp.kernel;

import appliance.codec.arp.ArpPacket;
import appliance.codec.ndisc.NeighborAdvertisement;
import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.nativeio.NativeException;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.AddressInstaller;
import appliance.vrrp.AnnouncementPacer;
import appliance.vrrp.KernelObjects;
import appliance.vrrp.TimerService;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRoute;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.VrrpActions;
import appliance.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one router's actions on its interface as it is now ({@link InterfaceSlot}: the
 * sockets change when the interface is re-created): adverts on the raw socket, virtual addresses
 * through rtnetlink by way of an {@link AddressInstaller} (retries, announcements only for held
 * addresses), gratuitous ARP on the AF_PACKET socket. Called on the interface's loop, where the
 * rtnetlink answers also arrive.
 */
final class KernelActions implements VrrpActions, AddressInstaller.Kernel, AddressInstaller.Announcer {

    private static final Logger log = LoggerFactory.getLogger(KernelActions.class);

    /** Replaced by a reload's in-place change; on the loop. */
    private VirtualRouterConfig config;
    private final InterfaceSlot slot;
    private final RtnetlinkClient rtnetlink;
    private final Consumer<Transition> transitions;
    private AddressInstaller installer;
    private final TimerService timers;
    /** Installers deleting addresses a reload dropped, until the kernel confirms; on the loop. */
    private final List<AddressInstaller> leavings = new ArrayList<>();
    private final KernelAddresses addresses;
    private final AcceptModeFirewall firewall;
    /** Kept only so that the rehearsal in {@link #prepare} is not optimised away. */
    private String renderedAddresses;
    private long linkedRecordMethods;
    /** Whether the drop rules were asked for and not yet removed. */
    private boolean dropping;
    /** keepalived's virtual_routes: present while MASTER, like the addresses, but no cause for FAULT. */
    private final KernelObjects<VirtualRoute> routes;
    /** The interface's spacing of announcement frames, shared by the instances on it. */
    private final AnnouncementPacer<Frame> pacer;
    /**
     * Encoded once per source, one per destination in {@link #destinations} order: an advert's
     * bytes change only with its priority, and the v3 checksum with its source and destination.
     */
    private final Map<VrrpAdvertisement, byte[][]> encodedAdverts = new HashMap<>();
    private InetAddress encodedFrom;
    /** The VRRP group of the instance's family, or the unicast peers (keepalived's unicast_peer). */
    private final InetAddress[] destinations;
    private final InetAddress unicastSource;
    /** keepalived's unicast_ttl for unicast adverts; 0 (the socket's 255) for the group. */
    private final int ttl;
    private Map<VirtualAddress, Frame> garpFrames = Map.of();
    private InterfaceChannel garpFramesFor;
    private long advertSendFailures;

    record Transition(VirtualRouterConfig config, VrrpState from, VrrpState to, String reason) {}

    /** An announcement and the interface it goes out on (the address's {@code dev}, or the instance's). */
    record Frame(String device, byte[] bytes) {}

    /** @param firewall the accept-mode drop rules, for an instance that drops traffic to its addresses; else null */
    KernelActions(VirtualRouterConfig config, InterfaceSlot slot, RtnetlinkClient rtnetlink, TimerService timers,
            AnnouncementPacer<Frame> pacer, AcceptModeFirewall firewall, Consumer<Transition> transitions) {
        this.config = config;
        this.firewall = config.dropsTrafficToItsAddresses() ? firewall : null;
        this.pacer = pacer;
        this.slot = slot;
        this.rtnetlink = rtnetlink;
        this.transitions = transitions;
        this.addresses = new KernelAddresses(rtnetlink, slot.name(), () -> {
            InterfaceChannel ch = slot.channel();
            return ch == null ? 0 : ch.info().index();
        });
        this.timers = timers;
        this.installer = new AddressInstaller(config.allAddresses(), timers, this, this);
        this.routes = new KernelObjects<>(config.virtualRoutes(), timers, new KernelRoutes(rtnetlink));
        this.routes.listener(new RouteLog(config.name()));
        this.destinations = config.unicast().isUnicast()
                ? config.unicast().peers().toArray(InetAddress[]::new)
                : new InetAddress[] {config.isIpv6() ? InterfaceChannel.VRRP_GROUP_V6 : InterfaceChannel.VRRP_GROUP_V4};
        this.unicastSource = config.unicast().sourceAddress().orElse(null);
        this.ttl = config.unicast().isUnicast() ? config.unicast().ttl() : 0;
    }

    /** On the loop, at a reload: the addresses and routes a master wants are asked of the kernel again. */
    void reassert() {
        installer.reassert();
        routes.reassert();
    }

    /**
     * On the loop: a reload changed the instance in place. A master adds its new addresses (and
     * announces what it holds); an address it dropped is deleted unless another master on this
     * interface holds it now ({@code heldByOthers}, the same address and prefix); a backup or an
     * instance in FAULT makes sure of their absence. The router hears of its addresses from the
     * new installer ({@code listener}).
     */
    void reconfigure(VirtualRouterConfig next, AddressInstaller.Listener listener,
                     java.util.Set<VirtualAddress> heldByOthers) {
        List<VirtualAddress> before = config.allAddresses();
        config = next;
        if (before.equals(next.allAddresses())) {
            return;
        }
        boolean master = installer.wantsPresent();
        AddressInstaller old = installer;
        installer = new AddressInstaller(next.allAddresses(), timers, this, this);
        installer.listener(listener);
        garpFramesFor = null;
        encodedAdverts.clear();
        pacer.cancel(this);
        old.close();
        java.util.Set<InetAddress> kept = new java.util.HashSet<>();
        next.allAddresses().forEach(a -> kept.add(a.address()));
        List<VirtualAddress> gone = before.stream()
                .filter(a -> !kept.contains(a.address()) && !heldByOthers.contains(a)).toList();
        if (master) {
            installer.install();
            installer.announce(next.announcements().masterRepeat());
        } else {
            installer.uninstall();
        }
        if (!gone.isEmpty()) {
            AddressInstaller leaving = new AddressInstaller(gone, timers, this, (a, r) -> { });
            leaving.listener(new AddressInstaller.Listener() {
                @Override
                public void virtualAddressesHeld() {
                }

                @Override
                public void virtualAddressAddFailed(VirtualAddress address, String error, int failures) {
                }

                @Override
                public void virtualAddressRemoveFailed(VirtualAddress address, String error, int failures) {
                    log.warn("({}) {} dropped by a reload: delete failed ({}), try {}", config.name(), address, error,
                            failures);
                }
            });
            leavings.add(leaving);
            leaving.uninstall();
            leaving.removed().whenComplete((ok, error) -> slot.loop().execute(() -> {
                leaving.close();
                leavings.remove(leaving);
            }));
        }
    }

    AddressInstaller installer() {
        return installer;
    }

    /** Encodes the adverts this router will send, so that the first one after a takeover goes out without delay. */
    void prepare(VrrpAdvertisement advertisement) {
        InterfaceChannel ch = slot.channel();
        if (ch != null && ch.info().source() != null) {
            encoded(ch, advertisement);
            encoded(ch, advertisement.withPriority(0));
            frames(ch);
        }
        // The takeover logs its announcements with these, and compares them: a record's toString,
        // equals and hashCode are linked on first use (invokedynamic, about 3 ms seen with
        // -Xlog:methodhandles+indy at a 10 ms takeover), so they are used once here, on the loop.
        renderedAddresses = String.valueOf(config.allAddresses());
        for (VirtualAddress a : config.allAddresses()) {
            linkedRecordMethods += a.hashCode() + (a.equals(renderedAddresses) ? 1 : 0);
        }
    }

    /**
     * The advert's bytes, one per destination, from unicast-src-ip or else the interface's primary
     * IPv4 or link-local IPv6 address now, which {@link #encodedFrom} then holds.
     */
    private byte[][] encoded(InterfaceChannel ch, VrrpAdvertisement advertisement) {
        InetAddress source = unicastSource != null ? unicastSource : ch.info().source();
        if (!source.equals(encodedFrom)) {
            encodedAdverts.clear();
            encodedFrom = source;
        }
        return encodedAdverts.computeIfAbsent(advertisement, a -> {
            byte[][] perDestination = new byte[destinations.length][];
            for (int i = 0; i < destinations.length; i++) {
                perDestination[i] = a.encode(source, destinations[i]);
            }
            return perDestination;
        });
    }

    @Override
    public void receivePending() {
        InterfaceChannel ch = slot.channel();
        if (ch != null) {
            ch.readPending();
        }
    }

    @Override
    public void sendAdvertisement(VrrpAdvertisement advertisement) {
        InterfaceChannel ch = slot.channel();
        if (ch == null || ch.info().source() == null) {
            return; // the router is going to FAULT: the interface or its address is gone
        }
        byte[][] messages = encoded(ch, advertisement);
        for (int i = 0; i < messages.length; i++) {
            if (!ch.sendAdvertisement(messages[i], destinations[i], encodedFrom, ttl) && advertSendFailures++ % 100 == 0) {
                log.warn("({}) advertisement to {} not sent on {} ({} so far; the socket's log line says why)",
                        config.name(), destinations[i].getHostAddress(), slot.name(), advertSendFailures);
            }
        }
    }

    @Override
    public void addVirtualAddresses() {
        if (firewall != null && !dropping) {
            // As keepalived: the drop rules go in before the addresses.
            dropping = true;
            firewall.drop(config.name(), config.allAddresses());
        }
        installer.install();
        routes.install();
    }

    @Override
    public void removeVirtualAddresses() {
        pacer.cancel(this);
        installer.uninstall();
        routes.uninstall();
        if (dropping) {
            dropping = false;
            firewall.accept(config.name(), config.allAddresses());
        }
    }

    @Override
    public void sendGratuitousArps(int repeat) {
        installer.announce(repeat);
    }

    // ---- AddressInstaller.Kernel: rtnetlink on the interface's current index (or the address's dev) ----

    @Override
    public CompletableFuture<Void> add(VirtualAddress vip) {
        return addresses.add(vip);
    }

    @Override
    public CompletableFuture<Void> remove(VirtualAddress vip) {
        return addresses.remove(vip);
    }

    // ---- AddressInstaller.Announcer: gratuitous ARP, or unsolicited neighbour advertisements ----

    @Override
    public void announce(List<VirtualAddress> addresses, int repeat) {
        InterfaceChannel ch = slot.channel();
        if (ch == null) {
            return;
        }
        Map<VirtualAddress, Frame> frames = frames(ch);
        List<Frame> round = new ArrayList<>(repeat * addresses.size());
        for (int r = 0; r < repeat; r++) {
            for (VirtualAddress a : addresses) {
                Frame f = frames.get(a);
                if (f != null) {
                    round.add(f);
                }
            }
        }
        int sent = pacer.send(this, round);
        String kind = config.isIpv6() ? "unsolicited neighbour advertisements" : "gratuitous ARPs";
        if (sent == round.size()) {
            log.info("({}) Sent {} {} on {} for {}", config.name(), sent, kind, slot.name(), addresses);
        } else {
            log.info("({}) Sending {} {} on {} for {}, {} ms apart ({} now)", config.name(), round.size(), kind,
                    slot.name(), addresses, pacer.spacingNanos() / 1_000_000.0, sent);
        }
    }

    /** Each address's announcement, from the MAC of the interface it is on; none for an interface that could not be opened. */
    private Map<VirtualAddress, Frame> frames(InterfaceChannel ch) {
        if (ch != garpFramesFor) {
            Map<VirtualAddress, Frame> m = new HashMap<>();
            for (VirtualAddress vip : config.allAddresses()) {
                String device = vip.deviceOr(slot.name());
                byte[] mac = ch.hardwareAddress(device);
                if (mac == null) {
                    continue;
                }
                m.put(vip, new Frame(device, vip.address() instanceof Inet6Address v6
                        ? NeighborAdvertisement.unsolicited(mac, v6, ch.ipv6Forwarding()).toEthernetFrame()
                        : ArpPacket.gratuitousRequest(mac, (Inet4Address) vip.address()).toEthernetFrame()));
            }
            garpFrames = m;
            garpFramesFor = ch;
        }
        return garpFrames;
    }

    /**
     * Runs the takeover's address-add path once, against {@code absentIndex}, an interface index
     * that does not exist (the kernel refuses with ENODEV and changes nothing), through a
     * throwaway installer that neither logs nor retries, so that the JVM links the path before the
     * first real takeover. Unrehearsed, the first takeover of a fresh process spent 5 to 7 ms
     * linking lambdas, string concatenation and CompletableFuture stages (seen with
     * -Xlog:class+load at 10 ms adverts, where Master_Down_Interval is 36 ms). Sends no frame.
     * On the interface's loop.
     */
    CompletableFuture<Void> rehearseTakeover(int absentIndex, TimerService timers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AddressInstaller.Kernel absent = new AddressInstaller.Kernel() {
            @Override
            public CompletableFuture<Void> add(VirtualAddress vip) {
                return addresses.addTo(absentIndex, vip)
                        .whenComplete((ok, error) -> done.complete(null));
            }

            @Override
            public CompletableFuture<Void> remove(VirtualAddress vip) {
                return CompletableFuture.completedFuture(null);
            }
        };
        AddressInstaller rehearsal = new AddressInstaller(config.allAddresses(), timers, absent, (a, r) -> { });
        slot.loop().execute(() -> {
            rehearsal.install();
            // While the add is outstanding: the round is owed, as on a real takeover (nothing is sent).
            rehearsal.announce(1);
            rehearsal.close();
        });
        return done;
    }

    @Override
    public void stateChanged(VrrpState from, VrrpState to, String reason) {
        transitions.accept(new Transition(config, from, to, reason));
    }

    /** Completes once the kernel confirmed the addresses and routes gone after the latest removal. */
    CompletableFuture<Void> addressesRemoved() {
        List<CompletableFuture<Void>> all = new ArrayList<>(List.of(installer.removed(), routes.removed()));
        leavings.forEach(l -> all.add(l.removed()));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    void close() {
        leavings.forEach(AddressInstaller::close);
        installer.close();
        routes.close();
    }

    /** A route that cannot be added is logged once per streak and retried; keepalived does not go FAULT for it either. */
    private record RouteLog(String instance) implements KernelObjects.Listener<VirtualRoute> {
        @Override
        public void allHeld() {
        }

        @Override
        public void addFailed(VirtualRoute route, String error, int failures) {
            if (failures == 1) {
                log.error("({}) cannot add virtual route {}: {}; retrying", instance, route, error);
            }
        }

        @Override
        public void removeFailed(VirtualRoute route, String error, int failures) {
            if (failures == 1) {
                log.error("({}) cannot remove virtual route {}: {}; retrying", instance, route, error);
            }
        }
    }

}
