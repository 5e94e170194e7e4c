package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 4: a sync group of two instances on two interfaces (e0 on the lab switch, e1 on
 * a second switch), the appliance against keepalived 2.2.7 with the same
 * group. When the appliance's e1 loses its link, VI_2 goes FAULT and takes VI_1 with it: both
 * addresses move to keepalived together; when e1 is back both come back (preemption, 150 > 100).
 * The group's notify scripts get keepalived's GROUP arguments.
 */
@LabTest
class SyncGroupTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));
    private static final String VIP1 = "10.99.0.100/24";
    private static final String VIP2 = "10.98.0.100/24";

    /**
     * A second switch (bridge br1 in the switch namespace) with each node's e1 on it, so that one
     * node's e1 set down leaves the other's carrier alone (a direct veth would take both down).
     */
    private static void secondLan(Lab lab, Host... hosts) {
        String sw = lab.switchNamespace();
        lab.exec(sw, "ip", "link", "add", "br1", "type", "bridge", "stp_state", "0", "forward_delay", "0",
                "mcast_snooping", "0");
        lab.exec(sw, "ip", "link", "set", "br1", "up");
        for (int i = 0; i < hosts.length; i++) {
            Host h = hosts[i];
            lab.exec(sw, "ip", "link", "add", "w" + (i + 1), "type", "veth", "peer", "name", "e1", "netns", h.namespace());
            lab.exec(sw, "ip", "link", "set", "w" + (i + 1), "master", "br1", "up");
            lab.exec(h.namespace(), "ip", "addr", "add", "10.98.0." + (i + 1) + "/24", "dev", "e1");
            lab.exec(h.namespace(), "ip", "link", "set", "e1", "up");
        }
    }

    /** Every IPv4 address of the namespace, on any interface (the lab's own view is e0's). */
    private static List<String> addresses(Lab lab, Host h) {
        return List.of(lab.exec(h.namespace(), "ip", "-o", "-4", "addr", "show").split("\n")).stream()
                .map(l -> l.trim().split("\\s+")).filter(f -> f.length > 3).map(f -> f[3]).toList();
    }

    private static boolean holds(Lab lab, Host h, String... vips) {
        return addresses(lab, h).containsAll(List.of(vips));
    }

    private static boolean holdsNone(Lab lab, Host h) {
        List<String> addresses = addresses(lab, h);
        return !addresses.contains(VIP1) && !addresses.contains(VIP2);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition, VrrpNode... nodes) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder b = new StringBuilder("not within " + SETTLE + ": " + what);
                for (VrrpNode n : nodes) {
                    b.append("\n--- ").append(n.name()).append(' ').append(n.addresses()).append('\n')
                            .append(n.process().tail(30));
                }
                throw new AssertionError(b.toString());
            }
            Lab.pause(Duration.ofMillis(20));
        }
    }

    @Test
    void twoInstancesOnTwoInterfacesMoveTogether() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Host n2 = lab.node(2);
            secondLan(lab, n1, n2);
            Path log = lab.workDir().resolve("group-notify.log");
            Path script = lab.workDir().resolve("group-notify.sh");
            Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + log + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            VrrpNode app = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150).withBlock("""
                    vrrp.instances.VI_2 { interface = e1, virtual-router-id = 52, priority = 150, version = 3,
                                          advert-interval = 100ms, virtual-ipaddress = ["%s"] }
                    vrrp.sync-groups { VGM { group = [VI_1, VI_2], notify = "%s" } }
                    """.formatted(VIP2, script), null));
            VrrpNode kad = NodeKind.KEEPALIVED.start(lab, n2, SPEC.withPriority(100).withBlock(null, """
                    vrrp_sync_group VGM {
                      group {
                        VI_1
                        VI_2
                      }
                    }
                    vrrp_instance VI_2 {
                      state BACKUP
                      interface e1
                      virtual_router_id 52
                      priority 100
                      advert_int 0.1
                      virtual_ipaddress {
                        %s
                      }
                    }""".formatted(VIP2)));
            await("the appliance holds both addresses", () -> holds(lab, n1, VIP1, VIP2) && holdsNone(lab, n2), app, kad);
            System.out.println("started: n1 " + addresses(lab, n1) + ", n2 " + addresses(lab, n2));

            Instant cut = Instant.now();
            lab.exec(n1.namespace(), "ip", "link", "set", "e1", "down");
            await("keepalived holds both addresses", () -> holds(lab, n2, VIP1, VIP2) && holdsNone(lab, n1), app, kad);
            Bound moved = Bound.afterCut(SPEC.masterDownInterval(), SPEC.advertInterval());
            Duration took = Duration.between(cut, Instant.now());
            System.out.println("e1 down on the appliance: both addresses on keepalived after " + moved.show(took));
            moved.check("both addresses on keepalived", took);
            app.awaitState(VrrpState.FAULT, SETTLE);
            assertTrue(app.process().lines().stream().anyMatch(l -> l.text().contains("VRRP_Group(VGM) Syncing instances to FAULT state")),
                    app.process().tail(20));

            lab.exec(n1.namespace(), "ip", "link", "set", "e1", "up");
            await("the appliance holds both addresses again", () -> holds(lab, n1, VIP1, VIP2) && holdsNone(lab, n2), app, kad);
            System.out.println("e1 up again: n1 " + addresses(lab, n1) + ", n2 " + addresses(lab, n2));
            Lab.pause(Duration.ofMillis(300));
            assertEquals(0, app.stop(Duration.ofSeconds(10)));
            List<String> lines = Files.readAllLines(log);
            System.out.println("group notify:\n  " + String.join("\n  ", lines));
            assertEquals(List.of("GROUP VGM BACKUP 0", "GROUP VGM MASTER 0", "GROUP VGM FAULT 0", "GROUP VGM BACKUP 0",
                    "GROUP VGM MASTER 0", "GROUP VGM STOP 0"), lines);
        }
    }
}
