package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 6: Accept_Mode (RFC 5798 section 6.4.3) as keepalived's accept / no_accept. With
 * accept = false a master that does not own its addresses holds them (ARP and neighbour discovery
 * answer) but drops the traffic sent to them; the owner always accepts; accept = true, the default,
 * answers. The drop rules go when the instance stops being master, and their table at stop.
 */
@LabTest
class AcceptModeTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100))
            .withVirtualAddresses("10.99.0.100/24")
            .withOption("virtual-ipaddress-excluded = [\"fd00:99::100/64\"]", null);

    @Test
    void aNonOwnerMasterWithoutAcceptModeDropsTrafficToItsAddresses() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            VrrpNode node = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150).withOption("accept = false", null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            Lab.pause(Duration.ofMillis(300)); // the rules are set off the loop, with nft
            String table = lab.exec(n1.namespace(), "nft", "list", "table", "inet", "appliance_vrrp");
            System.out.println(table);
            assertTrue(table.contains("10.99.0.100") && table.contains("fd00:99::100"), table);
            String client = lab.client().namespace();
            assertNotEquals(0, lab.execStatus(client, "ping", "-c", "2", "-W", "1", "10.99.0.100"), "IPv4 is dropped");
            assertNotEquals(0, lab.execStatus(client, "ping", "-c", "2", "-W", "1", "fd00:99::100"), "IPv6 is dropped");
            assertEquals(lab.mac(n1), lab.neighbour(lab.client(), "10.99.0.100"), "but ARP answers");
            assertEquals(lab.mac(n1), lab.neighbour(lab.client(), "fd00:99::100"), "and neighbour discovery too");
            assertEquals(0, lab.execStatus(client, "ping", "-c", "1", "-W", "1", "10.99.0.1"), "the node's own address answers");

            assertEquals(0, node.stop(Duration.ofSeconds(10)));
            assertNotEquals(0, lab.execStatus(n1.namespace(), "nft", "list", "table", "inet", "appliance_vrrp"),
                    "the table is deleted at stop");
        }
    }

    @Test
    void theOwnerAndAcceptModeAnswer() {
        for (VirtualRouterSpec spec : new VirtualRouterSpec[] {
                SPEC.withPriority(255).withOption("accept = false", null), SPEC.withPriority(150)}) {
            try (Lab lab = Lab.create(1)) {
                VrrpNode node = NodeKind.APPLIANCE.start(lab, lab.node(1), spec);
                node.awaitState(VrrpState.MASTER, SETTLE);
                Lab.pause(Duration.ofMillis(300));
                assertEquals(0, lab.execStatus(lab.client().namespace(), "ping", "-c", "1", "-W", "2", "10.99.0.100"),
                        "priority " + spec.priority() + ": " + spec.options());
            }
        }
    }
}
