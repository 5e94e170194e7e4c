package appliance.config;

import static appliance.config.HoconConfigReaderTest.ISSUE_EXAMPLE;
import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static appliance.config.HoconConfigReaderTest.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.vrrp.Scope;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRoute;
import appliance.vrrp.VirtualRouterConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The issue's address and route keys: per-address dev/label/scope/brd, excluded addresses, virtual routes, accept. */
class AddressesAndRoutesConfigTest {

    static final String ISSUE_SHAPE = replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress", """
                virtual-ipaddress = ["10.99.0.100/24", { address = "10.99.0.101/24", dev = e1, label = "e1:vip", scope = global, brd = "10.99.0.255" }]
                virtual-ipaddress-excluded = ["10.99.0.102/24", "fd00:99::102/64"]
                virtual-routes = [{ to = "10.98.0.0/16", via = "10.99.0.254", dev = e0 },
                                  { src = "10.99.0.100", to = "10.97.0.0/16", via = "10.99.0.253", or = "10.99.0.252" },
                                  { to = "10.96.0.1/32", type = blackhole },
                                  { to = "0.0.0.0/0", gw = "10.99.0.1", table = 100, metric = 5 },
                                  { to = "10.95.0.0/16", dev = e1, scope = link }]
                accept = true
            """);

    static VirtualRouterConfig read(String text) throws Exception {
        return HoconConfigReader.parse(text, "test.conf").vrrpInstances().get(0);
    }

    @Test
    void readsTheIssuesShape() throws Exception {
        VirtualRouterConfig c = read(ISSUE_SHAPE);
        assertEquals(new VirtualAddress(InetAddress.getByName("10.99.0.101"), 24, Optional.of("e1"), Optional.of("e1:vip"),
                Scope.GLOBAL, Optional.of(InetAddress.getByName("10.99.0.255"))), c.virtualAddresses().get(1));
        assertEquals(List.of(VirtualAddress.parse("10.99.0.102/24"), VirtualAddress.parse("fd00:99::102/64")),
                c.excludedAddresses());
        assertEquals(4, c.allAddresses().size(), "2 virtual + 2 excluded");
        List<VirtualRoute> r = c.virtualRoutes();
        assertEquals("10.98.0.0/16 via 10.99.0.254 dev e0", r.get(0).toString());
        assertEquals("src 10.99.0.100 10.97.0.0/16 via 10.99.0.253 or 10.99.0.252", r.get(1).toString());
        assertEquals("blackhole 10.96.0.1/32", r.get(2).toString());
        assertEquals("0.0.0.0/0 via 10.99.0.1 table 100 metric 5", r.get(3).toString());
        assertEquals(Scope.LINK, r.get(4).effectiveScope());
        assertEquals(Scope.GLOBAL, r.get(0).effectiveScope());
    }

    @Test
    void aLabelMustBeginWithItsInterfacesName() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress",
                "    virtual-ipaddress = [{ address = \"10.99.0.101/24\", label = \"e1:vip\" }]"));
        assertTrue(p.message().contains("must begin with the interface's name e0"), p.message());
    }

    @Test
    void badEntriesAreReportedWithTheirPath() {
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_SHAPE, "accept", "    accept = true\n    virtual-routes = [{ to = \"10.98.0.0/16\", via = \"fd00::1\" }]"));
        assertEquals("vrrp.instances.VI_1.virtual-routes[0]", p.path());
        assertTrue(p.message().contains("is not of the destination's family"), p.message());
        p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress",
                "    virtual-ipaddress = [\"10.99.0.100/24\", { address = \"10.99.0.101/24\", colour = blue }]"));
        assertEquals("vrrp.instances.VI_1.virtual-ipaddress[1].colour", p.path());
        p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress",
                "    virtual-ipaddress = [\"10.99.0.100/24\"]\n    virtual-routes = [{ to = \"10.98.0.1/16\", via = \"10.99.0.254\" }]"));
        assertTrue(p.message().contains("host bits set"), p.message());
        p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "virtual-ipaddress",
                "    virtual-ipaddress = [\"10.99.0.100/24\"]\n    virtual-ipaddress-excluded = [\"10.99.0.100/24\"]"));
        assertTrue(p.message().contains("listed twice"), p.message());
    }

    @Test
    void acceptFalseDropsTrafficToTheAddressesUnlessTheOwner() throws Exception {
        assertTrue(read(replaceLine(ISSUE_SHAPE, "accept", "    accept = false")).dropsTrafficToItsAddresses());
        assertTrue(!read(ISSUE_SHAPE).dropsTrafficToItsAddresses(), "accept = true is the default");
        assertTrue(!read(replaceLine(replaceLine(ISSUE_SHAPE, "accept", "    accept = false"), "priority", "    priority = 255"))
                .dropsTrafficToItsAddresses(), "the owner always accepts (RFC 5798 section 6.4.3)");
    }

    @Test
    void aVridMayBeUsedOnceForEachFamilyOnAnInterface() throws Exception {
        String two = ISSUE_EXAMPLE.replace("vrrp.instances {", """
                vrrp.instances {
                  VI_6 { interface = e0, virtual-router-id = 51, version = 3, virtual-ipaddress = ["fd00:99::100/64"] }
                """);
        assertEquals(2, HoconConfigReader.parse(two, "test.conf").vrrpInstances().size());
        String clash = two.replace("fd00:99::100/64", "10.99.0.200/24");
        assertTrue(onlyProblem(clash).message().contains("(IPv4) is already used by instance"));
    }

    @Test
    void staticAddressesAndRoutesAreReadAtTheTopLevelAndNeedTheirInterface() throws Exception {
        String text = ISSUE_EXAMPLE + """
                static-ipaddress = [{ address = "10.99.0.201/24", dev = e0, label = "e0:static" }]
                static-routes = [{ src = "10.99.0.201", to = "10.94.0.0/16", via = "10.99.0.254", dev = e0 },
                                 { to = "10.93.0.0/16", dev = e0, scope = link }]
                """;
        ApplianceConfig c = HoconConfigReader.parse(text, "test.conf");
        assertEquals(Optional.of("e0"), c.statics().addresses().get(0).device());
        assertEquals(2, c.statics().routes().size());
        ConfigProblem p = onlyProblem(ISSUE_EXAMPLE + "static-ipaddress = [\"10.99.0.201/24\"]\n");
        assertEquals("static-ipaddress", p.path());
        assertTrue(p.message().contains("needs dev"), p.message());
    }

    @Test
    void useVmacIsTrueOrANameAndXmitBaseNeedsIt() throws Exception {
        assertEquals(new appliance.vrrp.Vmac(true, Optional.empty(), true), read(replaceLine(ISSUE_EXAMPLE, "preempt = true",
                "    preempt = true\n    use-vmac = true\n    vmac-xmit-base = true")).vmac());
        assertEquals("vrrp.51", read(replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n    use-vmac = true"))
                .vmac().interfaceName(51, false));
        assertEquals("vip51", read(replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n    use-vmac = vip51"))
                .vmac().interfaceName(51, false));
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n    vmac-xmit-base = true"));
        assertTrue(p.message().contains("needs use-vmac"), p.message());
        p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt = true", "    preempt = true\n    use-vmac = \"a name that is far too long\""));
        assertEquals("vrrp.instances.VI_1.use-vmac", p.path());
    }

    @Test
    void trackInterfaceTakesNamesOrNamesWithWeights() throws Exception {
        VirtualRouterConfig c = read(replaceLine(ISSUE_EXAMPLE, "preempt = true",
                "    preempt = true\n    track-interface = [e1, { name = e2, weight = -10 }]"));
        assertEquals(List.of(new appliance.vrrp.TrackedInterface("e1", 0), new appliance.vrrp.TrackedInterface("e2", -10)),
                c.tracking().interfaces());
        ConfigProblem p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt = true",
                "    preempt = true\n    track-interface = [{ name = e2, weight = 300 }]"));
        assertEquals("vrrp.instances.VI_1.track-interface[0]", p.path());
        assertTrue(p.message().contains("weight must be -254..254"), p.message());
        p = onlyProblem(replaceLine(ISSUE_EXAMPLE, "preempt = true",
                "    preempt = true\n    track-interface = [{ name = e2, wieght = 3 }]"));
        assertTrue(p.message().contains("did you mean weight"), p.message());
    }

    @Test
    void notifyFifoIsAnAbsolutePathInGlobalAndOtherGlobalKeysAreRefused() throws Exception {
        assertEquals(Optional.of(java.nio.file.Path.of("/run/ha.fifo")),
                HoconConfigReader.parse(ISSUE_EXAMPLE + "global { notify-fifo = \"/run/ha.fifo\" }\n", "test.conf").vrrpGlobals().notifyFifo());
        ConfigProblem p = onlyProblem(ISSUE_EXAMPLE + "global { notify-fifo = \"ha.fifo\" }\n");
        assertEquals("global.notify-fifo", p.path());
        p = onlyProblem(ISSUE_EXAMPLE + "global { smtp-servr = \"127.0.0.1\" }\n");
        assertTrue(p.message().contains("unknown key"), p.message());
    }
}
