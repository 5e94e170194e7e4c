package appliance.vrrp.kernel;

import appliance.codec.arp.ArpPacket;
import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.nativeio.NativeException;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.VrrpActions;
import appliance.vrrp.VrrpState;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one router's actions: adverts on the interface's raw socket, virtual addresses
 * through rtnetlink, gratuitous ARP on the AF_PACKET socket. Called on the interface's loop;
 * the gratuitous ARPs go out on the thread that completes the address add.
 */
final class KernelActions implements VrrpActions {

    private static final Logger log = LoggerFactory.getLogger(KernelActions.class);
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;

    private final VirtualRouterConfig config;
    private final InterfaceChannel channel;
    private final RtnetlinkClient rtnetlink;
    private final Consumer<Transition> transitions;
    private final List<byte[]> garpFrames = new ArrayList<>();
    /** Encoded once: an advert's bytes change only with its priority, and encoding on the takeover path costs time. */
    private final Map<VrrpAdvertisement, byte[]> encodedAdverts = new HashMap<>();
    private CompletableFuture<Void> addressesReady = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> addressesRemoved = CompletableFuture.completedFuture(null);
    private long advertSendFailures;
    /**
     * Counts adds and removals, on the interface's loop: gratuitous ARPs queued behind an add are
     * not sent if the addresses were removed since (the router left MASTER before a late ack).
     */
    private int addressChanges;

    record Transition(VirtualRouterConfig config, VrrpState from, VrrpState to, String reason) {}

    KernelActions(VirtualRouterConfig config, InterfaceChannel channel, RtnetlinkClient rtnetlink,
            Consumer<Transition> transitions) {
        this.config = config;
        this.channel = channel;
        this.rtnetlink = rtnetlink;
        this.transitions = transitions;
        for (VirtualAddress vip : config.virtualAddresses()) {
            garpFrames.add(ArpPacket.gratuitousRequest(channel.info.hardwareAddress(), (Inet4Address) vip.address())
                    .toEthernetFrame());
        }
    }

    /** Encodes the adverts this router will send, so that the first one after a takeover goes out without delay. */
    void prepare(VrrpAdvertisement advertisement) {
        encoded(advertisement);
        encoded(advertisement.withPriority(0));
    }

    private byte[] encoded(VrrpAdvertisement advertisement) {
        return encodedAdverts.computeIfAbsent(advertisement,
                a -> a.encode(channel.info.primaryIpv4(), InterfaceChannel.VRRP_GROUP_V4));
    }

    @Override
    public void sendAdvertisement(VrrpAdvertisement advertisement) {
        byte[] message = encoded(advertisement);
        if (!channel.sendAdvertisement(message) && advertSendFailures++ % 100 == 0) {
            log.warn("({}) advertisement not sent on {}: socket buffer full ({} so far)", config.name(),
                    channel.info.name(), advertSendFailures);
        }
    }

    @Override
    public void addVirtualAddresses() {
        addressChanges++;
        addressesReady = addAddresses(channel.info.index(), true);
    }

    private CompletableFuture<Void> addAddresses(int ifindex, boolean real) {
        List<CompletableFuture<Void>> adds = new ArrayList<>();
        for (VirtualAddress vip : config.virtualAddresses()) {
            adds.add(rtnetlink.addAddress(ifindex, vip.address(), vip.prefixLength())
                    .handle((ok, error) -> {
                        if (error != null && errno(error) != EEXIST && real) {
                            log.error("({}) cannot add virtual address {} to {}: {}", config.name(), vip,
                                    channel.info.name(), message(error));
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new));
    }

    /**
     * Runs the takeover's address-add and ARP path once, against {@code absentIndex}, an interface
     * index that does not exist (the kernel refuses with ENODEV and changes nothing), so that the
     * JVM links the path before the first real takeover. Unrehearsed, the first takeover of a fresh process
     * spent 5 to 7 ms linking lambdas, string concatenation and CompletableFuture stages (seen with
     * -Xlog:class+load at 10 ms adverts, where Master_Down_Interval is 36 ms). Sends no frame.
     */
    CompletableFuture<Void> rehearseTakeover(int absentIndex) {
        return afterAddresses(addAddresses(absentIndex, false), 0);
    }

    @Override
    public void removeVirtualAddresses() {
        addressChanges++;
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (VirtualAddress vip : config.virtualAddresses()) {
            deletes.add(addressesReady.thenCompose(x ->
                    rtnetlink.deleteAddress(channel.info.index(), vip.address(), vip.prefixLength()))
                    .handle((ok, error) -> {
                        if (error != null && errno(error) != EADDRNOTAVAIL) {
                            log.error("({}) cannot remove virtual address {} from {}: {}", config.name(), vip,
                                    channel.info.name(), message(error));
                        }
                        return null;
                    }));
        }
        addressesRemoved = CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }

    @Override
    public void sendGratuitousArps(int repeat) {
        afterAddresses(addressesReady, repeat);
    }

    /**
     * After the addresses are in the kernel, so that the client's first packet to the new MAC is
     * answered; sent from whichever thread completes the add (the packet socket allows it), as a
     * hop back to the router's loop would only add latency to the takeover.
     */
    private CompletableFuture<Void> afterAddresses(CompletableFuture<Void> ready, int repeat) {
        int change = addressChanges;
        return ready.whenComplete((ok, error) -> {
            if (change != addressChanges) {
                return;
            }
            int sent = 0;
            for (int round = 0; round < repeat; round++) {
                for (byte[] frame : garpFrames) {
                    sent += channel.sendFrame(frame) ? 1 : 0;
                }
            }
            if (repeat > 0) {
                log.info("({}) Sent {} gratuitous ARPs on {} for {}", config.name(), sent, channel.info.name(),
                        config.virtualAddresses());
            }
        });
    }

    @Override
    public void stateChanged(VrrpState from, VrrpState to, String reason) {
        transitions.accept(new Transition(config, from, to, reason));
    }

    CompletableFuture<Void> addressesRemoved() {
        return addressesRemoved;
    }

    private static int errno(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof NativeException n ? n.errno() : -1;
    }

    private static String message(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t.getMessage();
    }
}
