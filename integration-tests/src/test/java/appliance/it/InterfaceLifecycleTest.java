package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: the appliance follows its interface by name. Started before the interface
 * exists, it waits in FAULT (claiming nothing) and joins once it appears; when the interface is
 * deleted it goes FAULT and the peer takes over; when it is created again under a new ifindex
 * the instance reopens its sockets and wins back mastership (it has the higher priority).
 */
@LabTest
class InterfaceLifecycleTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));

    @Test
    void anInstanceFollowsItsInterfaceThroughAbsenceDeletionAndReCreation() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            VrrpNode peer = ApplianceNode.start(lab, lab.node(2), SPEC.withPriority(100));
            peer.awaitState(VrrpState.MASTER, SETTLE);

            lab.removeInterface(n1);
            VrrpNode node = ApplianceNode.start(lab, n1, SPEC.withPriority(150));
            node.process().awaitLine("interface e0 does not exist", SETTLE);
            node.awaitState(VrrpState.FAULT, SETTLE);
            Lab.pause(SPEC.masterDownInterval().multipliedBy(3));
            assertEquals(List.of(VrrpState.FAULT), states(node), () -> node.process().tail(20));

            lab.recreateInterface(n1);
            int firstIndex = lab.interfaceIndex(n1);
            System.out.println("interface created after start:\n" + Agreement.await(SETTLE, node, peer));
            assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER), states(node), node.describe());
            assertTrue(node.holdsVirtualAddresses(), node.describe());

            int mark = node.process().mark();
            lab.removeInterface(n1);
            node.process().awaitLine(mark, java.util.regex.Pattern.compile("e0 was deleted"), SETTLE);
            node.awaitState(VrrpState.FAULT, SETTLE);
            peer.awaitState(VrrpState.MASTER, SETTLE);
            assertTrue(peer.holdsVirtualAddresses(), peer.describe());

            lab.recreateInterface(n1);
            int secondIndex = lab.interfaceIndex(n1);
            assertNotEquals(firstIndex, secondIndex, "the kernel gave the new e0 a new index");
            node.process().awaitLine(mark, java.util.regex.Pattern.compile("e0 re-created \\(ifindex " + secondIndex + "\\)"),
                    SETTLE);
            System.out.println("interface re-created under ifindex " + secondIndex + ":\n"
                    + Agreement.await(SETTLE, node, peer));
            List<VrrpState> all = states(node);
            assertEquals(List.of(VrrpState.FAULT, VrrpState.BACKUP, VrrpState.MASTER),
                    all.subList(all.size() - 3, all.size()), node.describe());
            assertTrue(node.holdsVirtualAddresses(), node.describe());
            assertFalse(peer.holdsAnyVirtualAddress(), peer.describe());
        }
    }

    /**
     * The master's interface is renumbered under it (a new address added, the old one deleted;
     * promote_secondaries makes the virtual address the interface's only primary): the adverts
     * leave from the new address with a checksum computed for it, and the backup keeps accepting
     * them. Sent from the kernel's choice (the virtual address) or checksummed for the old
     * address, the backup would drop them and take over.
     */
    @Test
    void aRenumberedMasterAdvertisesFromItsNewAddressAndTheBackupStaysBackup() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            VrrpNode master = ApplianceNode.start(lab, n1, SPEC.withPriority(150));
            VrrpNode backup = ApplianceNode.start(lab, lab.node(2), SPEC.withPriority(100));
            Agreement.await(SETTLE, master, backup);
            int masterMark = master.process().mark();
            int backupMark = backup.process().mark();

            lab.exec(n1.namespace(), "sysctl", "-q", "-w", "net.ipv4.conf.e0.promote_secondaries=1");
            lab.exec(n1.namespace(), "ip", "addr", "add", "10.99.0.11/24", "dev", "e0");
            lab.exec(n1.namespace(), "ip", "addr", "del", "10.99.0.1/24", "dev", "e0");
            master.process().awaitLine(masterMark,
                    java.util.regex.Pattern.compile("primary IPv4 address 10\\.99\\.0\\.11 \\(was 10\\.99\\.0\\.1\\)"), SETTLE);
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-i", Host.INTERFACE,
                            "ip proto 112 and src host 10.99.0.11"), lab.newFile("client-tcpdump", "log")));
            System.out.println("on the wire: " + wire.awaitLine("VRRPv3", Duration.ofSeconds(10)).text());

            Lab.pause(SPEC.masterDownInterval().multipliedBy(4));
            List<String> backupSince = backup.process().lines().stream().skip(backupMark)
                    .map(NodeProcess.Line::text).toList();
            assertTrue(backupSince.stream().noneMatch(l -> l.contains("Entering MASTER") || l.contains("dropped")),
                    "the backup took over or dropped the renumbered adverts: " + backupSince);
            assertEquals(VrrpState.MASTER, master.state().orElseThrow().state(), master.describe());
            assertTrue(master.holdsVirtualAddresses(), master.describe());
        }
    }

    private static List<VrrpState> states(VrrpNode node) {
        return node.stateChanges().stream().map(VrrpNode.StateChange::state).toList();
    }
}
