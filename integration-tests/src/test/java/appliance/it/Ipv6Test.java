package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.LabException;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.OutageProbe;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1 (and item 2's IPv6 part): VRRPv3 over IPv6 between the appliance and another
 * appliance or keepalived 2.2.7, each side master in turn. On the wire: adverts to ff02::12 from
 * the sender's link-local address with hop limit 255, unsolicited neighbour advertisements with
 * the override flag on a takeover; at the client: pings to the virtual address resume and its
 * neighbour cache follows the address to the new master's MAC without asking (the entry is still
 * REACHABLE when the takeover happens, so only the advertisement can have moved it).
 */
@LabTest
class Ipv6Test {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3Ipv6(Duration.ofMillis(100));
    private static final String VIP = SPEC.primaryAddress();

    @Test
    void appliancePair() {
        run(NodeKind.APPLIANCE, NodeKind.APPLIANCE, SPEC);
    }

    @Test
    void applianceMasterKeepalivedBackup() {
        run(NodeKind.APPLIANCE, NodeKind.KEEPALIVED, SPEC);
    }

    @Test
    void keepalivedMasterApplianceBackup() {
        run(NodeKind.KEEPALIVED, NodeKind.APPLIANCE, SPEC);
    }

    /** Unicast over IPv6 on a switch that drops the VRRP group (ff02::12), with keepalived on the other side. */
    @Test
    void unicastApplianceMasterKeepalivedBackup() {
        run(NodeKind.APPLIANCE, NodeKind.KEEPALIVED, SPEC.withUnicastPeers(Lab.SUBNET6 + "1", Lab.SUBNET6 + "2"));
    }

    @Test
    void unicastKeepalivedMasterApplianceBackup() {
        run(NodeKind.KEEPALIVED, NodeKind.APPLIANCE, SPEC.withUnicastPeers(Lab.SUBNET6 + "1", Lab.SUBNET6 + "2"));
    }

    /** The adverts' source, destination and hop limit, and the override flag of the announcements. */
    @Test
    void advertsLeaveFromTheLinkLocalAddressWithHopLimit255() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@n2", lab.node(2).namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-v", "-i", "e0", "ip6"),
                    lab.newFile("n2-tcpdump", "log")));
            Lab.pause(Duration.ofMillis(500)); // tcpdump's capture is open
            VrrpNode master = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150));
            master.awaitState(VrrpState.MASTER, SETTLE);
            // RFC 5798 section 5.2.9, keepalived's warning: fd00:99::100 is the first address and not link-local.
            assertTrue(master.process().lines().stream().anyMatch(
                    l -> l.text().contains("(VI_6) the first IPv6 VIP address should be link local")), master.process().tail(10));
            String linkLocal = lab.exec(n1.namespace(), "ip", "-6", "-o", "addr", "show", "dev", "e0", "scope", "link")
                    .replaceAll("(?s).*inet6 (fe80::[0-9a-f:]+)/.*", "$1");
            // tcpdump -v prints the IPv6 header (hop limit) and the VRRP fields on one line.
            NodeProcess.Line advert = wire.awaitLine("> ff02::12: VRRPv3", Duration.ofSeconds(10));
            System.out.println("advert on the wire: " + advert.text());
            assertTrue(advert.text().contains("hlim 255"), advert.text());
            assertTrue(advert.text().contains(linkLocal + " > ff02::12"), advert.text() + " (link-local " + linkLocal + ")");
            NodeProcess.Line na = wire.awaitLine("neighbor advertisement", Duration.ofSeconds(10));
            System.out.println("announcement on the wire: " + na.text());
            assertTrue(na.text().contains(VIP + " > ff02::1"), na.text());
            assertTrue(na.text().contains("tgt is " + VIP + ", Flags [override]"), na.text());
        }
    }

    private static void run(NodeKind highKind, NodeKind lowKind, VirtualRouterSpec spec) {
        try (Lab lab = Lab.create(2)) {
            if (!spec.unicastPeers().isEmpty()) {
                dropVrrpGroup(lab);
            }
            Host n1 = lab.node(1);
            Host n2 = lab.node(2);
            VrrpNode high = highKind.start(lab, n1, spec.withPriority(150));
            VrrpNode low = lowKind.start(lab, n2, spec.withPriority(100));
            System.out.println("== " + spec.describe() + ", " + high.name() + " priority 150, " + low.name()
                    + " priority 100\n" + Agreement.await(SETTLE, high, low));
            assertTrue(high.holdsVirtualAddresses(), high.describe());
            assertFalse(low.holdsAnyVirtualAddress(), low.describe());

            OutageProbe ping = OutageProbe.start(lab, VIP);
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(10));
            assertEquals(lab.mac(n1), lab.neighbour(lab.client(), VIP), "the client reaches " + VIP + " at n1");

            Instant cut = Instant.now();
            lab.cut(n1);
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Duration took = Duration.between(cut, takeover.at());
            Bound bound = Bound.afterCut(low.spec().masterDownInterval(), spec.advertInterval());
            System.out.println(low.name() + " MASTER after the cut: " + bound.show(took));
            bound.check(low.name() + " MASTER after the cut", took);
            String n2Mac = lab.mac(n2);
            String seen = awaitNeighbour(lab, n2Mac, Duration.ofSeconds(2));
            System.out.println("client's neighbour entry for " + VIP + " after the takeover: " + seen);
            OutageProbe.Reply resumed = ping.awaitReplyAfter(takeover.at(), Duration.ofSeconds(5));
            Duration outage = ping.outage(cut, resumed.at()).gap();
            Bound outageBound = Bound.atMost("Master_Down_Interval of " + low.name(), low.spec().masterDownInterval());
            System.out.println("client outage: " + outageBound.show(outage));
            outageBound.check("client outage", outage);

            lab.restore(n1);
            System.out.println("restored, the higher priority takes over again:\n" + Agreement.await(SETTLE, high, low));
            assertTrue(high.holdsVirtualAddresses(), high.describe());
            assertFalse(low.holdsAnyVirtualAddress(), low.describe());
            String n1Mac = lab.mac(n1);
            awaitNeighbour(lab, n1Mac, Duration.ofSeconds(2));
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
        }
    }

    /** Polls the client's neighbour cache until the virtual address maps to {@code mac}. */
    private static String awaitNeighbour(Lab lab, String mac, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String entry;
        do {
            entry = lab.exec(lab.client().namespace(), "ip", "-6", "neigh", "show", VIP, "dev", "e0").strip();
            if (entry.contains("lladdr " + mac)) {
                return entry;
            }
            Lab.pause(Duration.ofMillis(20));
        } while (System.nanoTime() < deadline);
        throw new LabException("the client's neighbour entry for " + VIP + " is \"" + entry + "\", not " + mac
                + " within " + timeout.toMillis() + " ms");
    }

    /** The switch drops adverts to the VRRP group; neighbour discovery (other groups) still passes. */
    private static void dropVrrpGroup(Lab lab) {
        String sw = lab.switchNamespace();
        lab.exec(sw, "nft", "add", "table", "bridge", "nomcast");
        lab.exec(sw, "nft", "add", "chain", "bridge", "nomcast", "forward",
                "{ type filter hook forward priority -10; policy accept; }");
        lab.exec(sw, "nft", "add", "rule", "bridge", "nomcast", "forward", "ip6", "daddr", "ff02::12", "drop");
        String listed = lab.exec(sw, "nft", "list", "table", "bridge", "nomcast");
        assertTrue(listed.contains("ff02::12 drop"), listed);
    }
}
