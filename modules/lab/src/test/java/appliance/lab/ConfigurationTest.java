package appliance.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The files the lab writes for both speakers, and the RFC formulas it asserts with. */
class ConfigurationTest {

    @Test
    void applianceHoconCarriesEveryParameter() {
        var spec = VirtualRouterSpec.v2(Duration.ofSeconds(1)).withPriority(150).withPreempt(false)
                .withAuthPassword("1111").withInitialState(VrrpState.MASTER)
                .withVirtualAddresses("10.99.0.100/24", "10.99.0.101/24");
        assertEquals("""
                vrrp.instances {
                  VI_1 {
                    interface = e0
                    virtual-router-id = 51
                    priority = 150
                    version = 2
                    advert-interval = 1s
                    state = MASTER
                    preempt = false
                    authentication { type = PASS, password = "1111" }
                    virtual-ipaddress = ["10.99.0.100/24", "10.99.0.101/24"]
                  }
                }
                """, ApplianceNode.hocon(spec));
    }

    @Test
    void applianceLinesCarryTheirOwnTimestampToTheMillisecond() {
        assertEquals(Optional.of(Instant.parse("2026-11-04T08:41:34.464Z")), ApplianceNode.timestamp(
                "Wed Nov 4 08:41:34.464 2026: (VI_1) Entering BACKUP STATE (init)", ZoneOffset.UTC));
        // keepalived's lines give whole seconds: no timestamp to trust over the lab's.
        assertEquals(Optional.empty(), ApplianceNode.timestamp(
                "Tue Nov 24 08:42:41 2026: (VI_1) Entering BACKUP STATE (init)", ZoneOffset.UTC));
        assertEquals(Optional.empty(), ApplianceNode.timestamp("error: e0 has no IPv4 address", ZoneOffset.UTC));
    }

    @Test
    void applianceDurationsAreMillisecondsUnlessWholeSeconds() {
        assertEquals("100ms", ApplianceNode.hoconDuration(Duration.ofMillis(100)));
        assertEquals("10ms", ApplianceNode.hoconDuration(Duration.ofMillis(10)));
        assertEquals("2s", ApplianceNode.hoconDuration(Duration.ofSeconds(2)));
    }

    @Test
    void keepalivedConfIsTheEquivalent() {
        var spec = VirtualRouterSpec.v3(Duration.ofMillis(100)).withPriority(100).withPreempt(false);
        assertEquals("""
                global_defs {
                  router_id n2
                  vrrp_version 3
                }
                vrrp_instance VI_1 {
                  state BACKUP
                  interface e0
                  virtual_router_id 51
                  priority 100
                  advert_int 0.1
                  nopreempt
                  virtual_ipaddress {
                    10.99.0.100/24
                  }
                }
                """, KeepalivedNode.conf("n2", spec));
    }

    @Test
    void keepalivedAdvertIntIsDecimalSeconds() {
        assertEquals("1", KeepalivedNode.advertInt(Duration.ofSeconds(1)));
        assertEquals("0.1", KeepalivedNode.advertInt(Duration.ofMillis(100)));
        assertEquals("0.01", KeepalivedNode.advertInt(Duration.ofMillis(10)));
        assertEquals("1.5", KeepalivedNode.advertInt(Duration.ofMillis(1500)));
    }

    @Test
    void masterDownIntervalFollowsRfc5798() {
        // 3 x 100 ms + (256 - 100) x 100 ms / 256 = 300 ms + 60.9375 ms
        assertEquals(Duration.ofNanos(360_937_500), ProtocolTimes.masterDownInterval(3, 100, Duration.ofMillis(100)));
        assertEquals(Duration.ofNanos(60_937_500), ProtocolTimes.skewTime(3, 100, Duration.ofMillis(100)));
    }

    @Test
    void v2SkewIsInSecondsWhateverTheInterval() {
        // RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 seconds
        assertEquals(Duration.ofNanos(609_375_000), ProtocolTimes.skewTime(2, 100, Duration.ofSeconds(3)));
    }

    @Test
    void specRejectsWhatKeepalivedRejects() {
        var v3 = VirtualRouterSpec.v3(Duration.ofMillis(100));
        assertThrows(IllegalArgumentException.class, () -> v3.withPriority(0));
        assertThrows(IllegalArgumentException.class, () -> v3.withVrid(256));
        assertThrows(IllegalArgumentException.class, () -> v3.withAuthPassword("1111"));
        assertThrows(IllegalArgumentException.class, () -> v3.withVersion(3, Duration.ofMillis(15)));
        assertThrows(IllegalArgumentException.class, () -> v3.withVersion(2, Duration.ofMillis(100)));
        assertThrows(IllegalArgumentException.class,
                () -> VirtualRouterSpec.v2(Duration.ofSeconds(1)).withAuthPassword("123456789"));
    }

    @Test
    void readsAddressesFromIpAddrShow() {
        String out = """
                2: e0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netns x
                    inet 10.99.0.1/24 scope global e0
                       valid_lft forever preferred_lft forever
                    inet 10.99.0.100/24 scope global secondary e0
                       valid_lft forever preferred_lft forever
                """;
        assertEquals(List.of("10.99.0.1/24", "10.99.0.100/24"), Lab.parseAddresses(out));
    }
}
