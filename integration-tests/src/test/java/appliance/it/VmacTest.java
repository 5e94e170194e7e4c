package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Agreement;
import appliance.lab.ApplianceNode;
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
 * Issue 13, item 3: use-vmac. The master's virtual addresses live on a macvlan whose MAC is RFC
 * 5798's virtual router MAC (00:00:5e:00:01:33 for VRID 51), adverts and gratuitous ARPs leave
 * from it, and the client's ARP cache never changes across a takeover. Against keepalived's
 * use_vmac both ways; vmac-xmit-base; a VMAC left by a crash; removal at stop.
 */
@LabTest
class VmacTest {

    private static final String VMAC = "00:00:5e:00:01:33";
    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100))
            .withOption("use-vmac = true", "use_vmac");

    @Test
    void appliancePair() {
        run(NodeKind.APPLIANCE, NodeKind.APPLIANCE, SPEC, VMAC);
    }

    @Test
    void applianceMasterKeepalivedBackup() {
        run(NodeKind.APPLIANCE, NodeKind.KEEPALIVED, SPEC, VMAC);
    }

    @Test
    void keepalivedMasterApplianceBackup() {
        run(NodeKind.KEEPALIVED, NodeKind.APPLIANCE, SPEC, VMAC);
    }

    @Test
    void ipv6AppliancePair() {
        run(NodeKind.APPLIANCE, NodeKind.APPLIANCE, VirtualRouterSpec.v3Ipv6(Duration.ofMillis(100))
                .withOption("use-vmac = true", "use_vmac"), "00:00:5e:00:02:3d");
    }

    private static void run(NodeKind highKind, NodeKind lowKind, VirtualRouterSpec spec, String vmac) {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Host n2 = lab.node(2);
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-e", "-i", "e0", "vrrp or ip6 proto 112"),
                    lab.newFile("client-vrrp", "log")));
            wire.awaitLine("listening on", Duration.ofSeconds(10));
            VrrpNode high = highKind.start(lab, n1, spec.withPriority(150));
            VrrpNode low = lowKind.start(lab, n2, spec.withPriority(100));
            System.out.println("== use-vmac, " + spec.describe() + ", " + high.name() + " 150, " + low.name() + " 100\n"
                    + Agreement.await(SETTLE, high, low));
            String vmacName = spec.isIpv6() ? (lowKind == NodeKind.KEEPALIVED || highKind == NodeKind.KEEPALIVED
                    ? null : "vrrp6.61") : "vrrp.51";
            if (highKind == NodeKind.APPLIANCE && vmacName != null) {
                String link = lab.exec(n1.namespace(), "ip", "-d", "link", "show", vmacName);
                System.out.println(n1.name() + ": " + link.lines().findFirst().orElse("") + " / "
                        + link.lines().filter(l -> l.contains("macvlan")).findFirst().orElse("").strip());
                assertTrue(link.contains("link/ether " + vmac), link);
                assertTrue(link.contains("macvlan mode private"), link);
            }
            String advert = wire.awaitLine(vmac + " >", Duration.ofSeconds(5)).text();
            System.out.println("advert from the VMAC: " + advert);

            String vip = spec.primaryAddress();
            OutageProbe ping = OutageProbe.start(lab, vip);
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(10));
            assertEquals(vmac, lab.neighbour(lab.client(), vip), "the client reaches " + vip + " at the VMAC");

            Instant cut = Instant.now();
            lab.cut(n1);
            VrrpNode.StateChange takeover = low.awaitState(VrrpState.MASTER, SETTLE);
            Bound bound = Bound.afterCut(low.spec().masterDownInterval(), spec.advertInterval());
            Duration took = Duration.between(cut, takeover.at());
            System.out.println(low.name() + " MASTER after the cut: " + bound.show(took));
            bound.check(low.name() + " MASTER after the cut", took);
            OutageProbe.Reply resumed = ping.awaitReplyAfter(takeover.at(), Duration.ofSeconds(5));
            Duration outage = ping.outage(cut, resumed.at()).gap();
            Bound outageBound = Bound.atMost("Master_Down_Interval of " + low.name(), low.spec().masterDownInterval());
            System.out.println("client outage: " + outageBound.show(outage));
            outageBound.check("client outage", outage);
            assertEquals(vmac, lab.neighbour(lab.client(), vip), "the client's cache did not change");

            lab.restore(n1);
            System.out.println(Agreement.await(SETTLE, high, low));
            ping.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
            if (highKind == NodeKind.APPLIANCE && vmacName != null) {
                assertEquals(0, high.stop(Duration.ofSeconds(10)));
                assertTrue(lab.execStatus(n1.namespace(), "ip", "link", "show", vmacName) != 0,
                        vmacName + " is removed at stop");
                assertEquals("0", lab.exec(n1.namespace(), "sysctl", "-n", "net.ipv4.conf.e0.arp_ignore").strip(),
                        "the base's arp_ignore is restored");
            }
        }
    }

    /** vmac-xmit-base: adverts from the base interface's MAC, the addresses and their announcements on the VMAC. */
    @Test
    void xmitBaseSendsAdvertsFromTheBaseInterface() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-e", "-i", "e0", "vrrp or arp"),
                    lab.newFile("client-vrrp", "log")));
            wire.awaitLine("listening on", Duration.ofSeconds(10));
            VrrpNode master = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withOption("vmac-xmit-base = true", "vmac_xmit_base"));
            master.awaitState(VrrpState.MASTER, SETTLE);
            String base = lab.mac(n1);
            String advert = wire.awaitLine("VRRPv3, Advertisement", Duration.ofSeconds(5)).text();
            String garp = wire.awaitLine("Request who-has 10.99.0.100", Duration.ofSeconds(5)).text();
            System.out.println("advert: " + advert + "\ngratuitous ARP: " + garp);
            assertTrue(advert.contains(base + " >"), "advert from the base MAC " + base + ": " + advert);
            assertTrue(garp.contains(VMAC + " >"), "gratuitous ARP from the VMAC: " + garp);
            assertTrue(lab.exec(n1.namespace(), "ip", "-4", "addr", "show", "vrrp.51").contains("10.99.0.100/24"));
        }
    }

    /** A VMAC left by a crash is made again; an interface of the VMAC's name that is not a macvlan stops the start. */
    @Test
    void aVmacLeftByACrashIsReplacedAndAForeignInterfaceIsRefused() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            lab.exec(n1.namespace(), "ip", "link", "add", "link", "e0", "name", "vrrp.51", "type", "macvlan", "mode", "bridge");
            VrrpNode node = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150));
            node.awaitState(VrrpState.MASTER, SETTLE);
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("deleting VMAC vrrp.51 left by an earlier run")),
                    node.process().tail(10));
            assertTrue(lab.exec(n1.namespace(), "ip", "-d", "link", "show", "vrrp.51").contains("macvlan mode private"));
            node.stop(Duration.ofSeconds(10));

            lab.exec(n1.namespace(), "ip", "link", "add", "vrrp.51", "type", "veth", "peer", "name", "vrrp.51p");
            try {
                ApplianceNode.start(lab, n1, SPEC.withPriority(150));
                throw new AssertionError("started over a veth called vrrp.51");
            } catch (LabException e) {
                System.out.println("refused: " + e.getMessage().lines().filter(l -> l.contains("vrrp.51")).findFirst().orElse(""));
                assertTrue(e.getMessage().contains("vrrp.51 exists and is not a macvlan"), e.getMessage());
            }
            assertFalse(lab.exec(n1.namespace(), "ip", "link").contains("macvlan"));
        }
    }
}
