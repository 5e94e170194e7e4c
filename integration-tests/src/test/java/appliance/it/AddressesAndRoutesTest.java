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
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 4, in the kernel: per-address dev, label, scope and brd; excluded addresses
 * (IPv6 ones on an IPv4 instance included), announced but not advertised; virtual routes with
 * keepalived's options, present on the master only and following mastership; static addresses
 * and routes kept whatever the state, put back when deleted by hand, removed at stop. Compared
 * with keepalived 2.2.7 on the same routes.
 */
@LabTest
class AddressesAndRoutesTest {

    private static final String ROUTES_HOCON = """
            virtual-routes = [{ to = "10.98.0.0/16", via = "10.99.0.254" },
                                  { src = "10.99.0.100", to = "10.97.0.0/16", via = "10.99.0.253", or = "10.99.0.252" },
                                  { to = "10.96.0.1/32", type = blackhole },
                                  { to = "0.0.0.0/0", gw = "10.99.0.251", table = 100 },
                                  { to = "10.95.0.0/16", dev = e0, scope = link, metric = 7 }]""";
    private static final String ROUTES_KEEPALIVED = """
            virtual_routes {
                10.98.0.0/16 via 10.99.0.254
                src 10.99.0.100 10.97.0.0/16 via 10.99.0.253 or 10.99.0.252
                blackhole 10.96.0.1/32
                0.0.0.0/0 gw 10.99.0.251 table 100
                10.95.0.0/16 dev e0 scope link metric 7
              }""";

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100))
            .withVirtualAddresses("10.99.0.100/24")
            .withOption("virtual-ipaddress-excluded = [\"10.99.0.102/24\", \"fd00:99::102/64\"]",
                    "virtual_ipaddress_excluded {\n    10.99.0.102/24\n    fd00:99::102/64\n  }");

    @Test
    void addressOptionsExcludedAddressesAndRoutesFollowMastership() {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Host n2 = lab.node(2);
            for (Host h : List.of(n1, n2)) {
                // A second link on each node for an address with dev e1.
                lab.exec(h.namespace(), "ip", "link", "add", "e1", "type", "veth", "peer", "name", "e1p");
                lab.exec(h.namespace(), "ip", "link", "set", "e1", "up");
                lab.exec(h.namespace(), "ip", "link", "set", "e1p", "up");
            }
            VirtualRouterSpec spec = SPEC
                    // A secondary address must have its subnet's scope (the kernel says EINVAL otherwise):
                    // scope site goes on its own subnet, on e1.
                    .withOption("virtual-ipaddress = [\"10.99.0.100/24\", { address = \"10.99.0.101/24\", label = \"e0:vip\","
                            + " brd = \"10.99.0.255\" }, { address = \"192.0.2.5/24\", dev = e1, label = \"e1:vip\","
                            + " scope = site }]", null)
                    .withOption(ROUTES_HOCON, null);
            VrrpNode high = NodeKind.APPLIANCE.start(lab, n1, spec.withPriority(150).withVirtualAddresses("10.99.0.100/24"));
            NodeProcess e1p = lab.own(NodeProcess.start("tcpdump@n1-e1p", n1.namespace(),
                    List.of("tcpdump", "--immediate-mode", "-l", "-n", "-e", "-i", "e1p", "arp"), lab.newFile("e1p", "log")));
            VrrpNode low = NodeKind.APPLIANCE.start(lab, n2, spec.withPriority(100).withVirtualAddresses("10.99.0.100/24"));
            System.out.println(Agreement.await(SETTLE, high, low));

            String addr = lab.exec(n1.namespace(), "ip", "-4", "addr", "show");
            System.out.println("n1 addresses as master:\n" + addr);
            assertTrue(addr.matches("(?s).*inet 10\\.99\\.0\\.101/24 brd 10\\.99\\.0\\.255 scope global secondary e0:vip.*"), addr);
            assertTrue(addr.matches("(?s).*inet 192\\.0\\.2\\.5/24 scope site e1:vip.*"), addr);
            assertTrue(addr.contains("inet 10.99.0.102/24"), addr);
            assertTrue(lab.addresses6(n1).contains("fd00:99::102/64"), lab.addresses6(n1).toString());
            String routes = routes(lab, n1);
            System.out.println("n1 routes as master:\n" + routes);
            // (ip leaves out "proto keepalived", the filter asked for.)
            assertEquals(List.of(
                    "10.95.0.0/16 dev e0 scope link metric 7",
                    "10.97.0.0/16 src 10.99.0.100 nexthop via 10.99.0.253 dev e0 weight 1"
                            + " nexthop via 10.99.0.252 dev e0 weight 1",
                    "10.98.0.0/16 via 10.99.0.254 dev e0",
                    "blackhole 10.96.0.1",
                    "default via 10.99.0.251 dev e0 table 100"), sorted(routes));
            assertEquals("", routes(lab, n2), "the backup has none");
            awaitLine(e1p, "tell 192.0.2.5", "a gratuitous ARP for the address on e1, sent on e1");

            // The excluded address is not in the adverts (keepalived's peers would drop them otherwise) ...
            assertTrue(high.process().lines().stream().noneMatch(l -> l.text().contains("ADDRESS_LIST_MISMATCH"))
                    && low.process().lines().stream().noneMatch(l -> l.text().contains("ADDRESS_LIST_MISMATCH")));
            // ... and it answers the client, announced like the others.
            lab.exec(lab.client().namespace(), "ping", "-c", "1", "-W", "1", "10.99.0.102");
            assertEquals(lab.mac(n1), lab.neighbour(lab.client(), "10.99.0.102"));

            lab.cut(n1);
            low.awaitState(VrrpState.MASTER, SETTLE);
            high.awaitState(VrrpState.FAULT, SETTLE);
            awaitTrue(() -> routes(lab, n1).isEmpty() && !lab.exec(n1.namespace(), "ip", "addr").contains("10.99.0.101"),
                    "n1 gives up its routes and addresses in FAULT");
            awaitTrue(() -> sorted(routes(lab, n2)).size() == 5, "n2 adds the routes as master");
            assertTrue(lab.exec(n2.namespace(), "ip", "-4", "addr", "show").contains("e1:vip"));
        }
    }

    /** keepalived 2.2.7 and the appliance, master each with the same virtual_routes: the kernel shows the same routes. */
    @Test
    void keepalivedAddsTheSameRoutes() {
        try (Lab lab = Lab.create(2)) {
            VirtualRouterSpec spec = VirtualRouterSpec.v3(Duration.ofMillis(100)).withPriority(150);
            VrrpNode ka = NodeKind.KEEPALIVED.start(lab, lab.node(1), spec.withOption(null, ROUTES_KEEPALIVED));
            // Another VRID with the same address: each node is master of its own, and src 10.99.0.100 is local to both.
            VrrpNode ours = NodeKind.APPLIANCE.start(lab, lab.node(2), spec.withVrid(52).withOption(ROUTES_HOCON, null));
            ka.awaitState(VrrpState.MASTER, SETTLE);
            ours.awaitState(VrrpState.MASTER, SETTLE);
            awaitTrue(() -> sorted(routes(lab, lab.node(1))).size() == 5, "keepalived added its 5 routes");
            awaitTrue(() -> sorted(routes(lab, lab.node(2))).size() == 5, "the appliance added its 5 routes");
            List<String> theirs = sorted(routes(lab, lab.node(1)));
            List<String> mine = sorted(routes(lab, lab.node(2)));
            System.out.println("keepalived:\n  " + String.join("\n  ", theirs) + "\nappliance:\n  " + String.join("\n  ", mine));
            assertEquals(theirs, mine);
        }
    }

    @Test
    void staticAddressesAndRoutesAreKeptWhateverTheStateAndRemovedAtStop() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            VrrpNode node = ApplianceNode.start(lab, n1, VirtualRouterSpec.v3(Duration.ofMillis(100)), """
                    static-ipaddress = [{ address = "10.99.0.201/24", dev = e0, label = "e0:static" }]
                    static-routes = [{ to = "10.94.0.0/16", via = "10.99.0.254" }, { to = "10.93.0.0/16", dev = e0 }]
                    """);
            node.awaitState(VrrpState.BACKUP, SETTLE);
            awaitTrue(() -> lab.exec(n1.namespace(), "ip", "addr").contains("10.99.0.201/24")
                    && sorted(routes(lab, n1)).size() == 2, "static address and routes added at start, as BACKUP");

            long removedAt = System.nanoTime();
            lab.exec(n1.namespace(), "ip", "addr", "del", "10.99.0.201/24", "dev", "e0");
            lab.exec(n1.namespace(), "ip", "route", "del", "10.94.0.0/16");
            awaitTrue(() -> lab.exec(n1.namespace(), "ip", "addr").contains("10.99.0.201/24")
                    && routes(lab, n1).contains("10.94.0.0/16"), "put back after a delete by hand");
            System.out.println("static address and route back " + (System.nanoTime() - removedAt) / 1_000_000
                    + " ms after they were deleted by hand");
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("static route 10.94.0.0/16")),
                    node.process().tail(10));

            assertEquals(0, node.stop(Duration.ofSeconds(10)));
            assertFalse(lab.exec(n1.namespace(), "ip", "addr").contains("10.99.0.201"), "removed at stop");
            assertEquals("", routes(lab, n1));
        }
    }

    private static String routes(Lab lab, Host h) {
        return lab.exec(h.namespace(), "ip", "route", "show", "table", "all", "proto", "keepalived").strip();
    }

    /** One entry per route (a multipath route's nexthop lines joined to it), blanks collapsed, sorted. */
    private static List<String> sorted(String routes) {
        List<String> entries = new java.util.ArrayList<>();
        for (String line : routes.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            } else {
                entries.add(line.strip());
            }
        }
        return entries.stream().map(l -> l.replaceAll("\\s+", " ")).sorted().toList();
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new LabException("not within 5 s: " + what);
            }
            Lab.pause(Duration.ofMillis(20));
        }
    }

    private static void awaitLine(NodeProcess p, String text, String what) {
        try {
            p.awaitLine(text, Duration.ofSeconds(5));
        } catch (LabException e) {
            throw new LabException(what + ": " + e.getMessage() + "\n" + p.tail(10));
        }
    }
}
