package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.codec.vrrp.VrrpVersion;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 receive path (RFC 5798 section 7.1 over IPv6): the hop limit the kernel reports must be
 * 255 for the group, is not checked for unicast (as keepalived 2.2.7), and keepalived's own IPv6
 * advert is accepted and is what our encoder writes for the same configuration.
 */
class Ipv6AdvertisementReceiverTest {

    static final Inet6Address GROUP = (Inet6Address) VirtualRouterTest.addr("ff02::12");
    /** keepalived 2.2.7's link-local source in v3-ipv6.pcap (shared fixtures). */
    static final Inet6Address KEEPALIVED_SOURCE = (Inet6Address) VirtualRouterTest.addr("fe80::e4b9:18ff:fe56:7aac");
    /** The VRRP part of the first packet of v3-ipv6.pcap: VRID 9, priority 120, 100 cs, fd00:99::100. */
    static final byte[] KEEPALIVED_V3_IPV6 = HexFormat.of().parseHex("31097801" + "0064e31c" + "fd000099000000000000000000000100");
    static final Inet6Address SELF = (Inet6Address) VirtualRouterTest.addr("fe80::1");
    static final Inet6Address PEER_GLOBAL = (Inet6Address) VirtualRouterTest.addr("fd00:99::2");
    static final Inet6Address SELF_GLOBAL = (Inet6Address) VirtualRouterTest.addr("fd00:99::1");

    final ManualTimerService clock = new ManualTimerService();
    final RecordingActions actions = new RecordingActions(clock);

    static VirtualRouterConfig keepalivedsConfig(int priority) {
        return VirtualRouterConfig.of("VI_6", "e0", 9, priority, VrrpVersion.V3, Duration.ofSeconds(1), VrrpState.BACKUP,
                true, Optional.empty(), List.of(VirtualAddress.parse("fd00:99::100/64")));
    }

    VirtualRouter started(VirtualRouterConfig c) {
        VirtualRouter r = actions.bind(new VirtualRouter(c, SELF, clock, actions));
        r.startup();
        return r;
    }

    static AdvertisementReceiver receiver(VirtualRouter r) {
        return new AdvertisementReceiver("e0 (IPv6)", Map.of(r.config().virtualRouterId(), r), new ManualTimerService());
    }

    @Test
    void ourEncoderWritesKeepalivedsIpv6AdvertForTheSameConfiguration() {
        assertArrayEquals(KEEPALIVED_V3_IPV6,
                VirtualRouter.buildAdvertisement(keepalivedsConfig(120)).encode(KEEPALIVED_SOURCE, GROUP));
    }

    @Test
    void keepalivedsAdvertWithHopLimit255IsAcceptedAndAnyOtherHopLimitIsDropped() {
        VirtualRouter r = started(keepalivedsConfig(100));
        AdvertisementReceiver rx = receiver(r);
        rx.ipv6PacketReceived(KEEPALIVED_V3_IPV6, KEEPALIVED_V3_IPV6.length, KEEPALIVED_SOURCE, GROUP, 255, clock.nanoTime());
        assertEquals(1, r.counters().advertisementsReceived());
        for (int hopLimit : new int[] {254, 64, 1, -1}) {
            rx.ipv6PacketReceived(KEEPALIVED_V3_IPV6, KEEPALIVED_V3_IPV6.length, KEEPALIVED_SOURCE, GROUP, hopLimit,
                    clock.nanoTime());
        }
        assertEquals(4, rx.drops().get(DropReason.TTL_NOT_255), "254, 64, 1 and unreported");
        assertEquals(1, r.counters().advertisementsReceived());
        assertEquals(KEEPALIVED_SOURCE, r.masterAddress());
    }

    @Test
    void theChecksumCoversTheIpv6PseudoHeader() {
        VirtualRouter r = started(keepalivedsConfig(100));
        AdvertisementReceiver rx = receiver(r);
        Inet6Address otherSource = (Inet6Address) VirtualRouterTest.addr("fe80::e4b9:18ff:fe56:7aad");
        rx.ipv6PacketReceived(KEEPALIVED_V3_IPV6, KEEPALIVED_V3_IPV6.length, otherSource, GROUP, 255, clock.nanoTime());
        assertEquals(1, rx.drops().get(DropReason.BAD_CHECKSUM));
        assertEquals(0, r.counters().advertisementsReceived());
    }

    @Test
    void aUnicastIpv6AdvertIsAcceptedWhateverItsHopLimitAndUnknownSourcesAreDroppedWhenChecked() {
        VirtualRouterConfig c = new VirtualRouterConfig("VI_6", "e0", 9, 100, VrrpVersion.V3, Duration.ofMillis(100),
                VrrpState.BACKUP, true, Optional.empty(), List.of(VirtualAddress.parse("fd00:99::100/64")),
                Announcements.DEFAULTS, false,
                new UnicastPeers(Optional.of(SELF_GLOBAL), List.of(PEER_GLOBAL), true, 255), Duration.ZERO, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE);
        VirtualRouter r = started(c);
        AdvertisementReceiver rx = receiver(r);
        List<InetAddress> vips = List.of(VirtualRouterTest.addr("fd00:99::100"));
        byte[] fromPeer = VrrpAdvertisement.v3(9, 150, 10, vips).encode(PEER_GLOBAL, SELF_GLOBAL);
        rx.ipv6PacketReceived(fromPeer, fromPeer.length, PEER_GLOBAL, SELF_GLOBAL, 61, clock.nanoTime());
        assertEquals(1, r.counters().advertisementsReceived(), "routed unicast adverts arrive with a lower hop limit");

        Inet6Address stranger = (Inet6Address) VirtualRouterTest.addr("fd00:99::200");
        byte[] fromStranger = VrrpAdvertisement.v3(9, 150, 10, vips).encode(stranger, SELF_GLOBAL);
        rx.ipv6PacketReceived(fromStranger, fromStranger.length, stranger, SELF_GLOBAL, 255, clock.nanoTime());
        assertEquals(1, rx.drops().get(DropReason.UNKNOWN_PEER));

        byte[] toGroup = VrrpAdvertisement.v3(9, 150, 10, vips).encode(PEER_GLOBAL, GROUP);
        rx.ipv6PacketReceived(toGroup, toGroup.length, PEER_GLOBAL, GROUP, 255, clock.nanoTime());
        assertEquals(1, rx.drops().get(DropReason.UNICAST_MULTICAST_MISMATCH));
        assertEquals(1, r.counters().advertisementsReceived());
    }

    @Test
    void equalPrioritiesAreBrokenByTheHigherLinkLocalAddress() {
        VirtualRouter r = started(keepalivedsConfig(120));
        AdvertisementReceiver rx = receiver(r);
        clock.advanceMillis(4000); // no advert heard: MASTER
        assertEquals(VrrpState.MASTER, r.state());
        // fe80::e4b9:... is above our fe80::1: the peer wins the tie and we step down.
        rx.ipv6PacketReceived(KEEPALIVED_V3_IPV6, KEEPALIVED_V3_IPV6.length, KEEPALIVED_SOURCE, GROUP, 255, clock.nanoTime());
        assertEquals(VrrpState.BACKUP, r.state());
    }

    @Test
    void anIpv6InstanceIsVersion3AndOneFamilyThroughout() {
        assertThrows(IllegalArgumentException.class, () -> VirtualRouterConfig.of("VI_6", "e0", 9, 100, VrrpVersion.V2,
                Duration.ofSeconds(1), VrrpState.BACKUP, true, Optional.empty(),
                List.of(VirtualAddress.parse("fd00:99::100/64"))));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> VirtualRouterConfig.of("VI_6",
                "e0", 9, 100, VrrpVersion.V3, Duration.ofSeconds(1), VrrpState.BACKUP, true, Optional.empty(),
                List.of(VirtualAddress.parse("fd00:99::100/64"), VirtualAddress.parse("10.99.0.100/24"))));
        assertTrue(mixed.getMessage().contains("mixes IPv4 and IPv6"), mixed.getMessage());
        IllegalArgumentException peers = assertThrows(IllegalArgumentException.class, () -> new VirtualRouterConfig(
                "VI_6", "e0", 9, 100, VrrpVersion.V3, Duration.ofMillis(100), VrrpState.BACKUP, true, Optional.empty(),
                List.of(VirtualAddress.parse("fd00:99::100/64")), Announcements.DEFAULTS, false,
                new UnicastPeers(Optional.empty(), List.of(VirtualRouterTest.addr("10.99.0.2")), false, 255),
                Duration.ZERO, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE));
        assertTrue(peers.getMessage().contains("is not IPv6"), peers.getMessage());
        assertTrue(keepalivedsConfig(100).firstIpv6AddressNotLinkLocal(), "fd00:99::100 is not link-local");
        assertTrue(!VirtualRouterConfig.of("VI_6", "e0", 9, 100, VrrpVersion.V3, Duration.ofSeconds(1), VrrpState.BACKUP,
                true, Optional.empty(), List.of(VirtualAddress.parse("fe80::100/64"), VirtualAddress.parse("fd00:99::100/64")))
                .firstIpv6AddressNotLinkLocal());
    }
}
