package appliance.config;

import static appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE;
import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static appliance.config.HoconConfigReaderTest.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.vrrp.UnicastPeers;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's unicast_src_ip, unicast_peer, check_unicast_src and preempt_delay, in HOCON. */
class ElectionOptionsConfigTest {

    static String withUnicast(String lines) {
        return replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n" + lines);
    }

    @Test
    void readsPeersSourceAndCheck() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(withUnicast("""
                    unicast-src-ip = "10.99.0.1"
                    unicast-peers = ["10.99.0.2", "10.99.0.3"]
                    check-unicast-src = true
                """), "test.conf");
        UnicastPeers u = c.vrrpInstances().get(0).unicast();
        assertTrue(u.isUnicast());
        assertEquals(Optional.of(InetAddress.getByName("10.99.0.1")), u.sourceAddress());
        assertEquals(List.of(InetAddress.getByName("10.99.0.2"), InetAddress.getByName("10.99.0.3")), u.peers());
        assertTrue(u.checkSource());
    }

    @Test
    void withoutPeersAdvertsAreMulticast() throws Exception {
        assertFalse(HoconConfigReader.parse(ISSUE_EXAMPLE, "test.conf").vrrpInstances().get(0).unicast().isUnicast());
    }

    @Test
    void aSourceWithoutPeersIsAnError() {
        ConfigProblem p = onlyProblem(withUnicast("    unicast-src-ip = \"10.99.0.1\"\n"));
        assertEquals("vrrp.instances.VI_1.unicast-src-ip", p.path());
        assertTrue(p.message().contains("needs unicast-peers"), p.message());
    }

    @Test
    void aPeerThatIsNotAnAddressIsNamedWithItsPosition() {
        ConfigProblem p = onlyProblem(withUnicast("    unicast-peers = [\"10.99.0.2\", \"peer.example\"]\n"));
        assertEquals("vrrp.instances.VI_1.unicast-peers[1]", p.path());
        assertTrue(p.message().contains("not an IPv4 or IPv6 address"), p.message());
    }

    @Test
    void anIpv6PeerOfAnIpv4InstanceIsAnErrorNamingTheFamily() {
        ConfigProblem p = onlyProblem(withUnicast("    unicast-peers = [\"fd00:99::2\"]\n"));
        assertTrue(p.message().contains("is not IPv4, the family of the virtual addresses"), p.message());
    }

    @Test
    void anIpv6InstanceReadsIpv6PeersAndSource() throws Exception {
        String ipv6 = replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress", "    virtual-ipaddress = [\"fd00:99::100/64\"]");
        ApplianceConfig c = HoconConfigReader.parse(replaceLine(ipv6, "preempt = true", """
                    preempt = true
                    unicast-src-ip = "fd00:99::1"
                    unicast-peers = ["fd00:99::2"]
                """), "test.conf");
        assertTrue(c.vrrpInstances().get(0).isIpv6());
        UnicastPeers u = c.vrrpInstances().get(0).unicast();
        assertEquals(Optional.of(InetAddress.getByName("fd00:99::1")), u.sourceAddress());
        assertEquals(List.of(InetAddress.getByName("fd00:99::2")), u.peers());
        ConfigProblem v2 = onlyProblem(replaceLine(ipv6, "version = 3", "    version = 2"));
        assertTrue(v2.message().contains("IPv6 virtual addresses need version 3"), v2.message());
    }

    @Test
    void aPeerListedTwiceIsAnError() {
        ConfigProblem p = onlyProblem(withUnicast("    unicast-peers = [\"10.99.0.2\", \"10.99.0.2\"]\n"));
        assertTrue(p.message().contains("twice"), p.message());
    }

    @Test
    void preemptDelayIsReadAndRefusedWithNopreempt() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(withUnicast("    preempt-delay = 5s\n"), "test.conf");
        assertEquals(java.time.Duration.ofSeconds(5), c.vrrpInstances().get(0).preemptDelay());
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt = true",
                "    preempt = false\n    preempt-delay = 5s"));
        assertEquals("vrrp.instances.VI_1.preempt-delay", p.path());
        assertTrue(p.message().contains("no effect with preempt = false"), p.message());
    }

    @Test
    void unicastTtlIsReadAndNeedsPeers() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(withUnicast("    unicast-peers = [\"10.99.0.2\"]\n    unicast-ttl = 64\n"),
                "test.conf");
        assertEquals(64, c.vrrpInstances().get(0).unicast().ttl());
        assertEquals(255, HoconConfigReader.parse(ISSUE_EXAMPLE, "test.conf").vrrpInstances().get(0).unicast().ttl());
        ConfigProblem p = onlyProblem(withUnicast("    unicast-ttl = 64\n"));
        assertEquals("vrrp.instances.VI_1.unicast-ttl", p.path());
        ConfigProblem range = onlyProblem(withUnicast("    unicast-peers = [\"10.99.0.2\"]\n    unicast-ttl = 0\n"));
        assertTrue(range.message().contains("1..255"), range.message());
    }
}
