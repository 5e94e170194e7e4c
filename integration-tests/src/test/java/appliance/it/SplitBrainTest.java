package appliance.it;

import static appliance.it.Subject.MARGIN;
import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.LabException;
import appliance.lab.NodeKind;
import appliance.lab.OutageProbe;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a split brain and its healing. The switch stops forwarding between the two nodes (the
 * client still reaches both), both become master, and the client's neighbour cache follows the
 * one that announced last. On healing, exactly one master must remain within one advert interval,
 * chosen by RFC 5798's rules (higher priority; on equal priority the higher primary address, IPv4
 * or IPv6 link-local), and the client's cache must point at it again (the loser's last advert
 * makes the winner announce, whichever advert crossed first).
 */
@LabTest
class SplitBrainTest {

    private static final VirtualRouterSpec V4 = VirtualRouterSpec.v3(Duration.ofMillis(100));
    private static final VirtualRouterSpec V6 = VirtualRouterSpec.v3Ipv6(Duration.ofMillis(100));

    @Test
    void higherPriorityWinsAfterHealing() {
        run(NodeKind.APPLIANCE, 150, NodeKind.APPLIANCE, 100, V4);
    }

    @Test
    void equalPrioritiesAreBrokenByTheHigherIpv4Address() {
        run(NodeKind.APPLIANCE, 100, NodeKind.APPLIANCE, 100, V4);
    }

    @Test
    void equalPrioritiesAreBrokenByTheHigherIpv6LinkLocalAddress() {
        run(NodeKind.APPLIANCE, 100, NodeKind.APPLIANCE, 100, V6);
    }

    /** keepalived wins; the appliance's last advert makes it re-announce (keepalived's garp_lower_prio_repeat). */
    @Test
    void keepalivedWinsOverTheAppliance() {
        run(NodeKind.KEEPALIVED, 150, NodeKind.APPLIANCE, 100, V4);
    }

    private static void run(NodeKind kind1, int priority1, NodeKind kind2, int priority2, VirtualRouterSpec spec) {
        try (Lab lab = Lab.create(2)) {
            Host h1 = lab.node(1);
            Host h2 = lab.node(2);
            VrrpNode n1 = kind1.start(lab, h1, spec.withPriority(priority1));
            VrrpNode n2 = kind2.start(lab, h2, spec.withPriority(priority2));
            boolean firstWins = priority1 != priority2 ? priority1 > priority2
                    : primaryAddress(lab, h1, spec).compareTo(primaryAddress(lab, h2, spec)) > 0;
            VrrpNode winner = firstWins ? n1 : n2;
            VrrpNode loser = firstWins ? n2 : n1;
            System.out.println("== " + spec.describe() + ", " + n1.name() + " priority " + priority1 + ", " + n2.name()
                    + " priority " + priority2 + ": " + winner.name() + " wins by "
                    + (priority1 != priority2 ? "priority" : "the higher primary address") + "\n"
                    // n1 started first; n2 does not preempt an equal priority (RFC 5798 section 6.4.2).
                    + Agreement.await(SETTLE, n1, n2));
            String vip = spec.primaryAddress();
            OutageProbe ping = OutageProbe.start(lab, vip);
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(10));

            lab.partition(h1, h2);
            n2.awaitState(VrrpState.MASTER, SETTLE);
            assertEquals(VrrpState.MASTER, n1.state().orElseThrow().state(), "both are master while split");
            awaitNeighbour(lab, vip, lab.mac(h2), Duration.ofSeconds(2));
            System.out.println("split: both MASTER, the client sends to " + n2.name() + ", the last to announce");

            Instant healed = Instant.now();
            lab.heal();
            VrrpNode.StateChange stepDown = loser.awaitState(VrrpState.BACKUP, SETTLE);
            Duration took = Duration.between(healed, stepDown.at());
            Duration limit = spec.advertInterval().plus(MARGIN);
            System.out.println(loser.name() + " BACKUP " + took.toMillis() + " ms after healing (limit "
                    + limit.toMillis() + " ms: one advert interval + " + MARGIN.toMillis() + " ms)");
            assertTrue(took.compareTo(limit) <= 0, loser.name() + " stepped down " + took.toMillis() + " ms after healing");
            String entry = awaitNeighbour(lab, vip, lab.mac(winner.host()), Duration.ofSeconds(1));
            System.out.println("the client's neighbour entry: " + entry + " (" + Duration.between(healed, Instant.now())
                    .toMillis() + " ms after healing at most)");
            System.out.println(Agreement.await(SETTLE, winner, loser));
            assertEquals(1, winner.stateChanges().stream().filter(c -> c.state() == VrrpState.MASTER).count(),
                    winner.name() + " stayed master throughout");
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
        }
    }

    /** The source of the host's adverts: its IPv4 address, or its IPv6 link-local one. */
    private static BigInteger primaryAddress(Lab lab, Host host, VirtualRouterSpec spec) {
        String text = spec.isIpv6()
                ? lab.exec(host.namespace(), "ip", "-6", "-o", "addr", "show", "dev", "e0", "scope", "link")
                        .replaceAll("(?s).*inet6 (fe80::[0-9a-f:]+)/.*", "$1")
                : host.address();
        try {
            return new BigInteger(1, InetAddress.getByName(text.strip()).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new LabException(host + ": cannot read its address: " + text);
        }
    }

    private static String awaitNeighbour(Lab lab, String vip, String mac, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String entry;
        do {
            entry = lab.exec(lab.client().namespace(), "ip", "neigh", "show", vip, "dev", "e0").strip();
            if (entry.contains("lladdr " + mac)) {
                return entry;
            }
            Lab.pause(Duration.ofMillis(10));
        } while (System.nanoTime() < deadline);
        throw new LabException("the client's neighbour entry for " + vip + " is \"" + entry + "\", not " + mac
                + " within " + timeout.toMillis() + " ms");
    }
}
