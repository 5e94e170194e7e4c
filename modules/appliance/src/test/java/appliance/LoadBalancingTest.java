package appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.check.Protocol;
import appliance.check.ServiceGroup;
import appliance.check.VirtualServer;
import appliance.codec.ipvs.IpvsService;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A virtual server as IPVS services: keepalived's flags, persistence and granularity, marks and groups. */
class LoadBalancingTest {

    static VirtualServer vs(String algo, Optional<Duration> persistence, int fwmark, Optional<ServiceGroup> group,
                            VirtualServer.IpvsOptions scheduling) throws Exception {
        InetAddress address = fwmark != 0 || group.isPresent() ? InetAddress.getByName("0.0.0.0")
                : InetAddress.getByName("10.97.0.100");
        return new VirtualServer(address, fwmark != 0 || group.isPresent() ? 0 : 80, Protocol.TCP, Duration.ofSeconds(6),
                algo, "DR", persistence, Optional.empty(), List.of(), 1, 0, false, VirtualServer.Notifies.NONE, fwmark,
                group, scheduling);
    }

    @Test
    void keepalivedsSchedulerFlagsOnePacketAndGranularityBecomeTheServicesFlagsAndNetmask() throws Exception {
        IpvsService s = LoadBalancing.services(vs("sh", Optional.of(Duration.ofSeconds(360)), 0, Optional.empty(),
                new VirtualServer.IpvsOptions(Optional.of("255.255.255.0"), Set.of("sh-port", "sh-fallback"), true))).get(0);
        assertEquals(IpvsService.F_PERSISTENT | IpvsService.F_ONEPACKET | IpvsService.F_SCHED1 | IpvsService.F_SCHED2,
                s.flags());
        assertEquals(360, s.timeout());
        assertEquals(ByteBuffer.wrap(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}).order(ByteOrder.nativeOrder())
                .getInt(), s.netmask(), "the mask's bytes as the kernel keeps them");
        IpvsService plain = LoadBalancing.services(vs("rr", Optional.empty(), 0, Optional.empty(),
                VirtualServer.IpvsOptions.NONE)).get(0);
        assertEquals(IpvsService.of(IpvsService.Key.of(6, InetAddress.getByName("10.97.0.100"), 80), "rr"), plain);
        assertEquals(IpvsService.F_SCHED3, LoadBalancing.services(vs("wlc", Optional.empty(), 0, Optional.empty(),
                new VirtualServer.IpvsOptions(Optional.empty(), Set.of("flag-3"), false))).get(0).flags());
    }

    @Test
    void aMarkIsOneServiceAndAGroupOnePerAddressAndMark() throws Exception {
        assertEquals(List.of(IpvsService.Key.fwmark(IpvsService.AF_INET, 7)), LoadBalancing.services(vs("rr",
                Optional.empty(), 7, Optional.empty(), VirtualServer.IpvsOptions.NONE)).stream().map(IpvsService::key).toList());
        ServiceGroup group = new ServiceGroup("web", List.of(ServiceGroup.Entry.parse("10.97.0.110-111 80"),
                ServiceGroup.Entry.parse("fwmark 8 inet6")));
        assertEquals(List.of(IpvsService.Key.of(6, InetAddress.getByName("10.97.0.110"), 80),
                        IpvsService.Key.of(6, InetAddress.getByName("10.97.0.111"), 80),
                        IpvsService.Key.fwmark(IpvsService.AF_INET6, 8)),
                LoadBalancing.services(vs("rr", Optional.empty(), 0, Optional.of(group), VirtualServer.IpvsOptions.NONE))
                        .stream().map(IpvsService::key).toList());
    }

    @Test
    void theSorryServerComesWithoutQuorumAndStaysAtWeightZeroWhenInhibited() throws Exception {
        java.net.InetSocketAddress sorry = new java.net.InetSocketAddress("10.98.0.99", 8080);
        VirtualServer plain = new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP,
                Duration.ofSeconds(6), "rr", "DR", Optional.empty(), Optional.of(sorry), List.of(), 1, 0, false,
                VirtualServer.Notifies.NONE, 0, Optional.empty(), VirtualServer.IpvsOptions.NONE);
        assertEquals(Optional.empty(), LoadBalancing.sorryServer(plain, true));
        assertEquals(Optional.of(appliance.codec.ipvs.IpvsDestination.of(sorry.getAddress(), 8080,
                appliance.codec.ipvs.IpvsDestination.DROUTE, 1)), LoadBalancing.sorryServer(plain, false));
        VirtualServer inhibited = new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP,
                Duration.ofSeconds(6), "rr", "DR", Optional.empty(), Optional.of(sorry), List.of(), 1, 0, false,
                VirtualServer.Notifies.NONE, 0, Optional.empty(), new VirtualServer.IpvsOptions(Optional.empty(), Set.of(),
                false, true, Optional.of("NAT")));
        assertEquals(Optional.of(appliance.codec.ipvs.IpvsDestination.of(sorry.getAddress(), 8080,
                appliance.codec.ipvs.IpvsDestination.MASQ, 0)), LoadBalancing.sorryServer(inhibited, true),
                "sorry_server_inhibit: weight 0 while quorum holds, by its own lvs method");
        assertEquals(1, LoadBalancing.sorryServer(inhibited, false).orElseThrow().weight());
    }
}
