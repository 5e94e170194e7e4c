package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, reload of a keepalived.conf (SIGHUP): 20 reloads of an unchanged file lose no ping of
 * a client pinging the virtual address every 10 ms and log no transition; a broken file is
 * rejected with its error and the running configuration stays; a checker change is applied with
 * the checkers' state carried over (a failed real server stays failed); a VRRP change is named as
 * not applied yet.
 */
@LabTest
class ReloadTest {

    static final String VIP = "10.99.0.100";

    /** The appliance on lab node 1, reading {@code conf} as a keepalived.conf. */
    static NodeProcess startOnNode1(Lab lab, Path conf) {
        return lab.own(NodeProcess.start("appliance@n1", lab.node(1).namespace(),
                List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "-f", conf.toString()),
                lab.newFile("n1-appliance", "log")));
    }

    /** Stops the pinger; its "N packets transmitted, M received" as groups 1 and 2. */
    static Matcher stopPing(NodeProcess ping) {
        ping.signal("INT");
        ping.waitFor(Duration.ofSeconds(5));
        String summary = ping.lines().stream().map(NodeProcess.Line::text).filter(l -> l.contains("transmitted"))
                .findFirst().orElseThrow(() -> new AssertionError("no ping summary:\n" + ping.tail(5)));
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received.*").matcher(summary);
        assertTrue(m.find(), summary);
        return m;
    }

    static String conf(Path script, Path code1, Path code2, String extraRealServer, int priority) {
        return "global_defs {\n   router_id n1\n}\n"
                + "vrrp_instance VI_1 {\n   interface " + Host.INTERFACE + "\n   virtual_router_id 51\n"
                + "   priority " + priority + "\n   advert_int 0.1\n   version 3\n"
                + "   virtual_ipaddress {\n      " + VIP + "/24\n   }\n}\n"
                + "virtual_server 10.97.0.100 80 {\n   delay_loop 0.2\n   retry 0\n"
                + "   real_server 10.98.0.1 80 {\n      MISC_CHECK {\n         misc_path \"" + script + " " + code1
                + "\"\n      }\n   }\n"
                + "   real_server 10.98.0.2 80 {\n      MISC_CHECK {\n         misc_path \"" + script + " " + code2
                + "\"\n      }\n   }\n" + extraRealServer + "}\n";
    }

    @Test
    void reloadsKeepWhatIsUnchangedRejectBadFilesAndCarryCheckerStateOver() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Path script = lab.workDir().resolve("exit-code.sh");
            Files.writeString(script, "#!/bin/sh\nexit $(cat \"$1\")\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path code1 = lab.workDir().resolve("code1");
            Path code2 = lab.workDir().resolve("code2");
            Files.writeString(code1, "0\n");
            Files.writeString(code2, "0\n");
            Path conf = lab.workDir().resolve("keepalived.conf");
            String original = conf(script, code1, code2, "", 150);
            Files.writeString(conf, original);
            NodeProcess node = startOnNode1(lab, conf);
            node.awaitLine("(VI_1) Entering MASTER STATE", Duration.ofSeconds(20));
            String down1 = "Misc check for [[10.98.0.1]:tcp:80 VS [10.97.0.100]:tcp:80] by [" + script + "] failed";
            String up1 = "Misc check for [[10.98.0.1]:tcp:80 VS [10.97.0.100]:tcp:80] by [" + script + "] succeeded";
            Files.writeString(code1, "1\n");
            node.awaitLine(down1, Duration.ofSeconds(5));

            NodeProcess ping = lab.own(NodeProcess.start("ping", lab.client().namespace(),
                    List.of("ping", "-n", "-i", "0.01", VIP), lab.newFile("ping", "log")));
            ping.awaitLine("bytes from " + VIP, Duration.ofSeconds(5));
            int start = node.mark();
            for (int i = 1; i <= 20; i++) {
                int mark = node.mark();
                node.signal("HUP");
                node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: the configuration is unchanged")),
                        Duration.ofSeconds(10));
            }

            int mark = node.mark();
            Files.writeString(conf, original.replace("   priority 150\n", "   priority 150\n   prority 1\n"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("reload: " + conf
                    + ":8: prority: unknown keyword in vrrp_instance (did you mean priority?)")), Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload rejected: 1 problem(s) in the new configuration;"
                    + " the running configuration stays")), Duration.ofSeconds(10));

            mark = node.mark();
            Files.writeString(conf, conf(script, code1, code2, "   real_server 10.98.0.3 80 {\n      MISC_CHECK {\n"
                    + "         misc_path \"" + script + " " + code2 + "\"\n      }\n   }\n", 150));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: checkers: 1 virtual server(s), 3 distinct"
                    + " check(s)")), Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Misc check for [[10.98.0.3]:tcp:80 VS"
                    + " [10.97.0.100]:tcp:80]")), Duration.ofSeconds(5));
            Lab.pause(Duration.ofMillis(1000));
            int afterChecks = node.mark();
            assertFalse(node.lines().subList(mark, afterChecks).stream().anyMatch(l -> l.text().contains(up1)
                    || l.text().contains(down1)), "10.98.0.1 stayed failed, without a word:\n" + node.tail(30));
            Files.writeString(code1, "0\n");
            node.awaitLine(afterChecks, Pattern.compile(Pattern.quote(up1)), Duration.ofSeconds(5));

            Matcher m = stopPing(ping);
            String summary = m.group();
            System.out.println("22 reloads while pinging " + VIP + " every 10 ms: " + summary);
            assertEquals(m.group(1), m.group(2), "pings lost across the reloads: " + summary);
            assertTrue(Integer.parseInt(m.group(1)) >= 100, summary);
            assertFalse(node.lines().subList(start, node.mark()).stream().anyMatch(l -> l.text().contains("Entering")),
                    "a transition during the reloads:\n" + node.tail(40));

            // A change beyond the priority and notify scripts restarts the instance, not applied in part.
            mark = node.mark();
            Files.writeString(conf, conf(script, code1, code2, "", 120).replace("advert_int 0.1", "advert_int 0.2"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: restarted VI_1")),
                    Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_1) Entering MASTER STATE")), Duration.ofSeconds(5));
            assertFalse(node.lines().subList(mark, node.mark()).stream().anyMatch(l -> l.text().contains(
                    "priority changed by a reload")), "a restart, not an in-place change");
        }
    }

    static String twoInstances(int priority2) {
        return "vrrp_instance VI_1 {\n   interface " + Host.INTERFACE + "\n   virtual_router_id 51\n   priority 150\n"
                + "   advert_int 0.1\n   version 3\n   virtual_ipaddress {\n      " + VIP + "/24\n   }\n}\n"
                + "vrrp_instance VI_2 {\n   interface " + Host.INTERFACE + "\n   virtual_router_id 52\n   priority "
                + priority2 + "\n   advert_int 0.1\n   version 3\n   virtual_ipaddress {\n      10.99.0.101/24\n"
                + "   }\n}\n";
    }

    @Test
    void twentyReloadsChangingAnotherInstanceLoseNoPingAndAPriorityChangeIsAdvertisedToKeepalived() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Path conf = lab.workDir().resolve("keepalived.conf");
            Files.writeString(conf, twoInstances(150));
            NodeProcess node = startOnNode1(lab, conf);
            appliance.lab.VrrpNode kad = appliance.lab.NodeKind.KEEPALIVED.start(lab, lab.node(2),
                    appliance.lab.VirtualRouterSpec.v3(Duration.ofMillis(100)).withInstance("VI_2").withVrid(52)
                            .withPriority(120).withVirtualAddresses("10.99.0.101/24"));
            node.awaitLine("(VI_1) Entering MASTER STATE", Duration.ofSeconds(20));
            node.awaitLine("(VI_2) Entering MASTER STATE", Duration.ofSeconds(20));
            NodeProcess ping = lab.own(NodeProcess.start("ping", lab.client().namespace(),
                    List.of("ping", "-n", "-i", "0.01", VIP), lab.newFile("ping", "log")));
            ping.awaitLine("bytes from " + VIP, Duration.ofSeconds(5));
            int start = node.mark();
            int kadStart = kad.process().mark();
            for (int i = 1; i <= 20; i++) {
                int mark = node.mark();
                Lab.pause(Duration.ofMillis(100));
                Files.writeString(conf, twoInstances(i % 2 == 1 ? 140 : 150));
                node.signal("HUP");
                node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: VI_2 changed in place")),
                        Duration.ofSeconds(10));
            }
            Lab.pause(Duration.ofMillis(300));
            Matcher m = stopPing(ping);
            String summary = m.group();
            System.out.println("20 reloads changing VI_2's priority while pinging VI_1's " + VIP + " every 10 ms: "
                    + summary);
            assertEquals(m.group(1), m.group(2), "pings lost across the reloads: " + summary);
            assertTrue(Integer.parseInt(m.group(1)) >= 100, summary);
            assertFalse(node.lines().subList(start, node.mark()).stream().anyMatch(l -> l.text().contains("Entering")),
                    "a transition during the reloads:\n" + node.tail(40));
            assertTrue(kad.process().lines().subList(kadStart, kad.process().mark()).stream()
                            .noneMatch(l -> l.text().contains("(VI_2) Entering MASTER")),
                    "keepalived took VI_2 while our priority stayed above its 120:\n" + kad.process().tail(20));

            int mark = node.mark();
            long reloaded = System.nanoTime();
            Files.writeString(conf, twoInstances(100));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_2) priority changed by a reload from 150 to 100")),
                    Duration.ofSeconds(10));
            kad.process().awaitLine("(VI_2) Entering MASTER STATE", Duration.ofSeconds(5));
            long tookMillis = (System.nanoTime() - reloaded) / 1_000_000;
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_2) Entering BACKUP STATE")), Duration.ofSeconds(5));
            System.out.println("priority 150 -> 100 by a reload: keepalived (120, preempt) took VI_2 " + tookMillis
                    + " ms after SIGHUP");
            assertTrue(tookMillis <= 1000, "keepalived took over " + tookMillis + " ms after the reload");
            assertFalse(node.lines().subList(mark, node.mark()).stream().anyMatch(l -> l.text().contains("(VI_1) Entering")),
                    "VI_1 changed state:\n" + node.tail(20));
        }
    }

    static String instance(String name, int vrid, String vip) {
        return "vrrp_instance " + name + " {\n   interface " + Host.INTERFACE + "\n   virtual_router_id " + vrid
                + "\n   priority 150\n   advert_int 0.1\n   version 3\n   virtual_ipaddress {\n      " + vip
                + "/24\n   }\n}\n";
    }

    @Test
    void instancesAreRemovedAddedAndRestartedWhileAnUnchangedOneLosesNoPing() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            Path conf = lab.workDir().resolve("keepalived.conf");
            Files.writeString(conf, instance("VI_1", 51, VIP) + instance("VI_2", 52, "10.99.0.101"));
            NodeProcess node = startOnNode1(lab, conf);
            node.awaitLine("(VI_1) Entering MASTER STATE", Duration.ofSeconds(20));
            node.awaitLine("(VI_2) Entering MASTER STATE", Duration.ofSeconds(20));
            NodeProcess ping = lab.own(NodeProcess.start("ping", lab.client().namespace(),
                    List.of("ping", "-n", "-i", "0.01", VIP), lab.newFile("ping", "log")));
            ping.awaitLine("bytes from " + VIP, Duration.ofSeconds(5));
            int start = node.mark();

            Files.writeString(conf, instance("VI_1", 51, VIP) + instance("VI_3", 53, "10.99.0.102"));
            node.signal("HUP");
            node.awaitLine(start, Pattern.compile(Pattern.quote("Reload done: VRP: removed VI_2 added VI_3")
                    .replace("VRP", "VRRP")), Duration.ofSeconds(10));
            node.awaitLine(start, Pattern.compile(Pattern.quote("(VI_3) Entering MASTER STATE")), Duration.ofSeconds(5));
            List<String> held = lab.addresses(n1);
            assertTrue(held.contains(VIP + "/24") && held.contains("10.99.0.102/24") && !held.contains("10.99.0.101/24"),
                    "addresses after the reload: " + held);

            int mark = node.mark();
            Files.writeString(conf, instance("VI_1", 51, VIP) + instance("VI_3", 54, "10.99.0.102"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: restarted VI_3")),
                    Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_3) Entering MASTER STATE")), Duration.ofSeconds(5));

            mark = node.mark();
            Files.writeString(conf, instance("VI_1", 51, VIP) + instance("VI_3", 54, "10.99.0.102")
                    + "vrrp_sync_group G {\n   group {\n      VI_3\n      VI_4\n   }\n}\n" + instance("VI_4", 55,
                    "10.99.0.103"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload: these VRRP changes are not applied by a reload"
                    + " yet: added VI_4, scripts, processes, sync groups or script settings")), Duration.ofSeconds(10));

            Lab.pause(Duration.ofMillis(500));
            Matcher m = stopPing(ping);
            String summary = m.group();
            System.out.println("instances removed, added and restarted by reloads while pinging VI_1's " + VIP + ": "
                    + summary);
            assertEquals(m.group(1), m.group(2), "pings lost: " + summary);
            assertFalse(node.lines().subList(start, node.mark()).stream().anyMatch(l -> l.text().contains("(VI_1) Entering")),
                    "VI_1 changed state:\n" + node.tail(40));
            node.signal("TERM");
            node.waitFor(Duration.ofSeconds(10));
            List<String> left = lab.addresses(n1);
            assertTrue(left.stream().noneMatch(a -> a.startsWith("10.99.0.10")), "addresses left after stop: " + left);
        }
    }

    static String instance(String name, int vrid, int priority, String... vips) {
        StringBuilder b = new StringBuilder("vrrp_instance " + name + " {\n   interface " + Host.INTERFACE
                + "\n   virtual_router_id " + vrid + "\n   priority " + priority
                + "\n   advert_int 0.1\n   version 3\n   virtual_ipaddress {\n");
        for (String v : vips) {
            b.append("      ").append(v).append("/24\n");
        }
        return b.append("   }\n}\n").toString();
    }

    /** The virtual addresses (10.99.0.100 and up) on the node's interface. */
    static java.util.Set<String> vips(Lab lab, Host host) {
        return lab.addresses(host).stream().filter(a -> a.matches("10\\.99\\.0\\.1\\d\\d/24"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    static void awaitVips(Lab lab, Host host, java.util.Set<String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!vips(lab, host).equals(expected) && System.nanoTime() < deadline) {
            Lab.pause(Duration.ofMillis(20));
        }
        assertEquals(expected, vips(lab, host));
    }

    @Test
    void aVridSwapAMovedAddressANewBackupAndAnAddressRemovedByHandEndWithTheKernelEqualToTheConfiguration()
            throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Path conf = lab.workDir().resolve("keepalived.conf");
            Files.writeString(conf, instance("VI_A", 51, 150, "10.99.0.100") + instance("VI_B", 52, 150, "10.99.0.101"));
            NodeProcess node = startOnNode1(lab, conf);
            appliance.lab.VrrpNode kad = appliance.lab.NodeKind.KEEPALIVED.start(lab, lab.node(2),
                    appliance.lab.VirtualRouterSpec.v3(Duration.ofMillis(100)).withInstance("VI_C").withVrid(60)
                            .withPriority(200).withVirtualAddresses("10.99.0.110/24"));
            node.awaitLine("(VI_A) Entering MASTER STATE", Duration.ofSeconds(20));
            node.awaitLine("(VI_B) Entering MASTER STATE", Duration.ofSeconds(20));
            kad.process().awaitLine("(VI_C) Entering MASTER STATE", Duration.ofSeconds(20));
            awaitVips(lab, n1, java.util.Set.of("10.99.0.100/24", "10.99.0.101/24"));

            // keepalived #2364: two instances swap their VRIDs.
            int mark = node.mark();
            Files.writeString(conf, instance("VI_A", 52, 150, "10.99.0.100") + instance("VI_B", 51, 150, "10.99.0.101"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: restarted VI_A VI_B")),
                    Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_A) Entering MASTER STATE")), Duration.ofSeconds(5));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_B) Entering MASTER STATE")), Duration.ofSeconds(5));
            awaitVips(lab, n1, java.util.Set.of("10.99.0.100/24", "10.99.0.101/24"));

            // keepalived #1854: an address moves to another instance; #2700: a new instance stays BACKUP.
            mark = node.mark();
            Files.writeString(conf, instance("VI_A", 52, 150, "10.99.0.100", "10.99.0.101")
                    + instance("VI_B", 51, 150, "10.99.0.103") + instance("VI_C", 60, 100, "10.99.0.110"));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: added VI_C; VRRP: VI_A VI_B changed in"
                    + " place")), Duration.ofSeconds(10));
            node.awaitLine(mark, Pattern.compile(Pattern.quote("(VI_C) Entering BACKUP STATE")), Duration.ofSeconds(5));
            awaitVips(lab, n1, java.util.Set.of("10.99.0.100/24", "10.99.0.101/24", "10.99.0.103/24"));
            assertFalse(node.lines().subList(mark, node.mark()).stream().anyMatch(l -> l.text().contains("(VI_A) Entering")
                    || l.text().contains("(VI_B) Entering")), "the moved address kept both masters:\n" + node.tail(20));

            // keepalived #1877: an address removed by hand is back after a reload of an unchanged file.
            lab.exec(n1.namespace(), "ip", "addr", "del", "10.99.0.103/24", "dev", Host.INTERFACE);
            node.signal("HUP");
            awaitVips(lab, n1, java.util.Set.of("10.99.0.100/24", "10.99.0.101/24", "10.99.0.103/24"));
            System.out.println("after the VRID swap, the moved address, the new backup and the address removed by"
                    + " hand: " + vips(lab, n1));
        }
    }

    @Test
    void aMasterTakesAnAddressAddedOrRemovedByAReloadInPlace() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            Path conf = lab.workDir().resolve("keepalived.conf");
            Files.writeString(conf, instance("VI_1", 51, 150, VIP));
            NodeProcess node = startOnNode1(lab, conf);
            node.awaitLine("(VI_1) Entering MASTER STATE", Duration.ofSeconds(20));
            NodeProcess ping = lab.own(NodeProcess.start("ping", lab.client().namespace(),
                    List.of("ping", "-n", "-i", "0.01", VIP), lab.newFile("ping", "log")));
            ping.awaitLine("bytes from " + VIP, Duration.ofSeconds(5));
            int start = node.mark();
            Files.writeString(conf, instance("VI_1", 51, 150, VIP, "10.99.0.104"));
            node.signal("HUP");
            node.awaitLine(start, Pattern.compile(Pattern.quote("Reload done: VRRP: VI_1 changed in place")),
                    Duration.ofSeconds(10));
            awaitVips(lab, n1, java.util.Set.of(VIP + "/24", "10.99.0.104/24"));
            String reached = lab.exec(lab.client().namespace(), "ping", "-n", "-c", "1", "-W", "2", "10.99.0.104");
            assertTrue(reached.contains("1 received"), reached);
            int mark = node.mark();
            Files.writeString(conf, instance("VI_1", 51, 150, VIP));
            node.signal("HUP");
            node.awaitLine(mark, Pattern.compile(Pattern.quote("Reload done: VRRP: VI_1 changed in place")),
                    Duration.ofSeconds(10));
            awaitVips(lab, n1, java.util.Set.of(VIP + "/24"));
            Lab.pause(Duration.ofMillis(300));
            Matcher m = stopPing(ping);
            System.out.println("an address added and removed in place while pinging " + VIP + ": " + m.group());
            assertEquals(m.group(1), m.group(2), "pings lost: " + m.group());
            assertFalse(node.lines().subList(start, node.mark()).stream().anyMatch(l -> l.text().contains("Entering")),
                    "a transition:\n" + node.tail(30));
        }
    }
}
