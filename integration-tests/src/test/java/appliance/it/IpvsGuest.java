package appliance.it;

import appliance.lab.ApplianceNode;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs inside the IPVS VM ({@link IpvsLoadBalancingTest}): the lab there, with node 1 as the
 * director (the appliance, IPVS in NAT mode), nodes 2 and 3 as real servers (busybox httpd
 * answering their own names) and the client. Each step writes {@code key value} lines to the
 * results file that the test on the host asserts on; a step that fails writes {@code failed WHY}.
 */
public final class IpvsGuest {

    static final String VIP = "10.97.0.100";
    static final String DR_VIP = "10.97.0.101";
    /** Every scheduler of Debian's kernel, keepalived's lb_algo names. */
    static final List<String> ALGORITHMS = List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
            "fo", "ovf", "mh");
    static final Duration CHECK_LOOP = Duration.ofSeconds(1);

    private final Path results;
    private Lab lab;
    private String director;

    private IpvsGuest(Path results) {
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        IpvsGuest guest = new IpvsGuest(Path.of(args[0]));
        try {
            guest.run();
        } catch (Throwable t) {
            guest.record("failed", t.toString().replace('\n', ' '));
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        try (Lab l = Lab.create(3)) {
            lab = l;
            Host dir = lab.node(1);
            Host rs1 = lab.node(2);
            Host rs2 = lab.node(3);
            Host client = lab.client();
            director = dir.namespace();
            lab.exec(director, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            lab.exec(director, "ip", "addr", "add", VIP + "/32", "dev", "lo");
            lab.exec(client.namespace(), "ip", "route", "add", "10.97.0.0/24", "via", dir.address());
            lab.exec(director, "ip", "addr", "add", DR_VIP + "/32", "dev", "lo");
            lab.exec(director, "ip", "addr", "add", "10.97.0.102/32", "dev", "lo");
            lab.exec(director, "ip", "addr", "add", "10.97.0.103/32", "dev", "lo");
            for (Host rs : List.of(rs1, rs2)) {
                // Direct routing: the virtual address on lo, never answered for in ARP.
                lab.exec(rs.namespace(), "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
                lab.exec(rs.namespace(), "sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2");
                lab.exec(rs.namespace(), "ip", "addr", "add", DR_VIP + "/32", "dev", "lo");
                // NAT's replies (from the server's own address) go back through the director; DR's
                // (from the virtual address) straight to the client.
                lab.exec(rs.namespace(), "ip", "rule", "add", "from", rs.address(), "lookup", "100");
                lab.exec(rs.namespace(), "ip", "route", "add", client.address() + "/32", "via", dir.address(), "table", "100");
            }
            NodeProcess[] httpd = {httpd(rs1, dir, client), httpd(rs2, dir, client)};
            httpd(rs1, dir, client, 81, "sorry");

            StringBuilder vs = new StringBuilder("virtual-servers = [\n");
            String check = "checks = [{ type = tcp-check, connect-timeout = 1s, retry = 0, warmup = 0s }]";
            java.util.function.BiFunction<String, Integer, String> webBlock = (algo, weight) -> "  { address = \"" + VIP
                    + "\", port = 80, lb-algo = " + algo + ", lb-kind = NAT, delay-loop = " + CHECK_LOOP.toSeconds()
                    + "s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, weight = " + weight + ", " + check + " }\n"
                    + "    { address = \"" + rs2.address() + "\", port = 80, " + check + " }] }\n";
            vs.append(webBlock.apply("rr", 1));
            vs.append("  { address = \"" + DR_VIP + "\", port = 80, lb-algo = rr, lb-kind = DR, delay-loop = 1s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, " + check + " }\n"
                    + "    { address = \"" + rs2.address() + "\", port = 80, " + check + " }] }\n");
            vs.append("  { address = \"10.97.0.102\", port = 80, lb-algo = rr, lb-kind = NAT, delay-loop = 1s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, " + check + " }\n"
                    + "    { address = \"" + rs2.address() + "\", port = 80, inhibit-on-failure = true, " + check + " }] }\n");
            vs.append("  { address = \"10.97.0.103\", port = 80, lb-algo = rr, lb-kind = NAT, delay-loop = 1s, quorum = 2,"
                    + " sorry-server = { address = \"" + rs1.address() + "\", port = 81 }, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, " + check + " }\n"
                    + "    { address = \"" + rs2.address() + "\", port = 80, " + check + " }] }\n");
            vs.append("  { fwmark = 7, lb-algo = rr, lb-kind = DR, delay-loop = 1s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, " + check + " }] }\n");
            vs.append("  { address = \"10.97.0.104\", port = 80, lb-algo = sh, scheduler-flags = [sh-port], ops = true,"
                    + " persistence-granularity = \"255.255.255.0\", lb-kind = DR, delay-loop = 1s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, uthreshold = 100, lthreshold = 10, " + check
                    + " }] }\n");
            vs.append("  { group = web, lb-algo = rr, lb-kind = DR, delay-loop = 1s, real-servers = [\n"
                    + "    { address = \"" + rs1.address() + "\", port = 80, " + check + " }] }\n");
            for (int i = 0; i < ALGORITHMS.size(); i++) {
                vs.append("  { address = \"" + VIP + "\", port = " + (8000 + i) + ", lb-algo = " + ALGORITHMS.get(i)
                        + ", lb-kind = NAT" + (i == 0 ? ", persistence-timeout = 50s" : "")
                        + ", real-servers = [{ address = \"" + rs1.address() + "\", port = 80, " + check + " }] }\n");
            }
            vs.append("]\nvirtual-server-groups = { web = [\"10.97.0.110-111 80\", \"fwmark 8\"] }\n");
            Path conf = lab.newFile("director", "conf");
            Files.writeString(conf, vs.toString());
            long started = System.nanoTime();
            NodeProcess appliance = lab.own(NodeProcess.start("appliance@director", director,
                    List.of(ApplianceNode.home().resolve("bin/start-appliance").toString(), "--config", conf.toString()),
                    lab.newFile("director-appliance", "log")));
            String web = "TCP  " + VIP + ":80 rr";
            awaitTable(t -> section(t, web).contains(rs1.address() + ":80") && section(t, web).contains(rs2.address() + ":80"),
                    Duration.ofSeconds(90), "both real servers in " + web, appliance);
            record("converged_ms", ms(started));
            String table = ipvsadm();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < ALGORITHMS.size(); i++) {
                if (!table.contains("TCP  " + VIP + ":" + (8000 + i) + " " + ALGORITHMS.get(i))) {
                    missing.add(ALGORITHMS.get(i));
                }
            }
            record("algorithms_missing", missing.isEmpty() ? "none" : String.join(",", missing));
            awaitTable(t -> section(t, "FWM  7 rr").contains(rs1.address() + ":80")
                    && section(t, "FWM  8 rr").contains(rs1.address() + ":80")
                    && section(t, "TCP  10.97.0.110:80 rr").contains(rs1.address() + ":80")
                    && section(t, "TCP  10.97.0.111:80 rr").contains(rs1.address() + ":80")
                    && section(t, "TCP  " + VIP + ":" + (8000 + ALGORITHMS.size() - 1) + " mh").contains(rs1.address()),
                    Duration.ofSeconds(20), "the fwmark and group services and the last scheduler's with their real server", appliance);
            table = ipvsadm();
            record("fwmark_service", "yes");
            awaitTable(t -> section(t, "TCP  10.97.0.104:80 sh").contains(rs1.address() + ":80"), Duration.ofSeconds(20),
                    "the sh service with its real server", appliance);
            record("sh_line", section(ipvsadm(), "TCP  10.97.0.104:80 sh").lines().findFirst().orElse("").trim());
            record("thresholds", section(lab.exec(director, "ipvsadm", "-Ln", "--thresholds"), "TCP  10.97.0.104:80 sh")
                    .lines().filter(line -> line.contains(rs1.address() + ":80")).findFirst().orElse("").trim());
            record("persistent", section(table, "TCP  " + VIP + ":8000 rr").contains("persistent 50") ? "yes" : "no");
            record("masq", section(table, web).contains(rs1.address() + ":80") && section(table, web).contains("Masq")
                    ? "yes" : "no");
            record("served_by", String.join(",", servedBy(client, 8)));
            record("dr_served_by", String.join(",", servedBy(client, 8, DR_VIP)));
            record("dr_route", section(table, "TCP  " + DR_VIP + ":80 rr").contains("Route") ? "yes" : "no");

            httpd[1].close();
            long stopped = System.nanoTime(); // once it no longer listens: its stop under emulation is not the checker's
            awaitTable(t -> !section(t, web).contains(rs2.address() + ":80"), Duration.ofSeconds(20),
                    rs2.address() + " gone from " + web, appliance);
            record("removed_ms", ms(stopped));
            record("served_by_while_down", String.join(",", servedBy(client, 6)));
            awaitTable(t -> section(t, "TCP  10.97.0.103:80 rr").contains(rs1.address() + ":81"), Duration.ofSeconds(10),
                    "the sorry server in 10.97.0.103:80", appliance);
            String down = ipvsadm();
            String inhibited = section(down, "TCP  10.97.0.102:80 rr");
            record("inhibited_weight_0", inhibited.lines().anyMatch(line -> line.contains(rs2.address() + ":80")
                    && line.trim().split("\\s+")[3].equals("0")) ? "yes" : "no");
            String sorry = section(down, "TCP  10.97.0.103:80 rr");
            record("sorry_alone", sorry.contains(rs1.address() + ":81") && !sorry.contains(rs1.address() + ":80")
                    && !sorry.contains(rs2.address() + ":80") ? "yes" : "no");
            record("sorry_served", String.join(",", servedBy(client, 3, "10.97.0.103")));

            long restarted = System.nanoTime();
            httpd[1] = httpd(rs2, dir, client);
            awaitTable(t -> section(t, web).contains(rs2.address() + ":80"), Duration.ofSeconds(20),
                    rs2.address() + " back in " + web, appliance);
            record("restored_ms", ms(restarted));
            awaitTable(t -> !section(t, "TCP  10.97.0.103:80 rr").contains(":81"), Duration.ofSeconds(10),
                    "the sorry server gone from 10.97.0.103:80 once quorum is back", appliance);

            // Reload: 10.97.0.100:80 to wlc with rs1 at weight 3, the mh service removed, the rest as it was.
            String before = ipvsadm();
            Files.writeString(conf, vs.toString().replace(webBlock.apply("rr", 1), webBlock.apply("wlc", 3))
                    .replaceAll("(?m)^.*lb-algo = mh.*\n", ""));
            lab.exec(director, "kill", "-HUP", Long.toString(appliance.pid()));
            String reloadedWeb = "TCP  " + VIP + ":80 wlc";
            awaitTable(t -> section(t, reloadedWeb).lines().anyMatch(line -> line.contains(rs1.address() + ":80")
                    && line.trim().split("\\s+")[3].equals("3")) && !t.contains(" mh"), Duration.ofSeconds(20),
                    "the reloaded table", appliance);
            String reloaded = ipvsadm();
            record("reload_kept", section(reloaded, "TCP  " + DR_VIP + ":80 rr").equals(section(before, "TCP  " + DR_VIP + ":80 rr"))
                    && section(reloaded, "TCP  " + VIP + ":8000 rr").equals(section(before, "TCP  " + VIP + ":8000 rr"))
                    ? "yes" : "no");
            record("reload_web_both", section(reloaded, reloadedWeb).contains(rs2.address() + ":80") ? "yes" : "no");

            lab.exec(director, "ipvsadm", "-A", "-t", "10.97.0.200:80", "-s", "rr");
            lab.exec(director, "ipvsadm", "-a", "-t", "10.97.0.200:80", "-r", rs1.address() + ":80", "-m");
            long deleted = System.nanoTime();
            lab.exec(director, "ipvsadm", "-D", "-t", VIP + ":80");
            awaitTable(t -> section(t, "TCP  " + VIP + ":80 wlc").contains(rs1.address() + ":80")
                            && section(t, "TCP  " + VIP + ":80 wlc").contains(rs2.address() + ":80"),
                    Duration.ofSeconds(30), VIP + ":80 restored after ipvsadm -D", appliance);
            record("readded_ms", ms(deleted));
            record("foreign_kept", ipvsadm().contains("TCP  10.97.0.200:80 rr") ? "yes" : "no");

            appliance.close();
            String after = ipvsadm();
            record("ours_after_stop", after.contains(VIP + ":") ? "present" : "gone");
            record("foreign_after_stop", after.contains("TCP  10.97.0.200:80 rr") ? "yes" : "no");
            record("stop_log", appliance.lines().stream().anyMatch(line -> line.text().contains("IPVS: delete service")) ? "yes"
                    : "no");
            syncDaemon(dir, rs2);
            record("done", "yes");
        }
    }

    /**
     * keepalived's lvs_flush (the foreign service left from before is flushed at start) and
     * lvs_sync_daemon: an appliance on the director with a VRRP instance and no peer
     * runs the master daemon; keepalived with a higher priority on a real server makes it BACKUP and
     * the backup daemon runs; keepalived stopped, the master again; the appliance stopped, none.
     */
    private void syncDaemon(Host dir, Host peer) throws Exception {
        VirtualRouterSpec spec = VirtualRouterSpec.v3(Duration.ofMillis(200));
        VrrpNode appliance = lab.own(NodeKind.APPLIANCE.start(lab, dir, spec.withBlock(
                "global { lvs-flush = true, lvs-sync-daemon = { interface = " + Host.INTERFACE + ", instance = "
                        + spec.instance() + " } }", null)));
        appliance.awaitState(VrrpState.MASTER, Duration.ofSeconds(90));
        record("flushed_at_start", ipvsadm().contains("10.97.0.200") ? "no" : "yes");
        awaitDaemons(d -> d.contains("master sync daemon") && d.contains("syncid=" + spec.vrid()) && !d.contains("backup"),
                "the master daemon");
        record("daemon_master", "yes");
        VrrpNode keepalived = lab.own(NodeKind.KEEPALIVED.start(lab, peer, spec.withPriority(200)));
        appliance.awaitState(VrrpState.BACKUP, Duration.ofSeconds(30));
        awaitDaemons(d -> d.contains("backup sync daemon") && !d.contains("master"), "the backup daemon");
        record("daemon_backup", "yes");
        keepalived.close();
        appliance.awaitState(VrrpState.MASTER, Duration.ofSeconds(30));
        awaitDaemons(d -> d.contains("master sync daemon") && !d.contains("backup"), "the master daemon again");
        record("daemon_master_again", "yes");
        appliance.stop(Duration.ofSeconds(20));
        awaitDaemons(d -> !d.contains("sync daemon"), "no daemon after the stop");
        record("daemon_stopped", "yes");
    }

    private void awaitDaemons(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.test(lab.exec(director, "ipvsadm", "-L", "--daemon"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never " + what + ": " + lab.exec(director, "ipvsadm", "-L", "--daemon"));
            }
            Thread.sleep(100);
        }
    }

    /** busybox httpd answering {@code host}'s name on port 80 of every address (the DR virtual address on its lo too). */
    private NodeProcess httpd(Host host, Host dir, Host client) throws Exception {
        return httpd(host, dir, client, 80, host.name());
    }

    private NodeProcess httpd(Host host, Host dir, Host client, int port, String body) throws Exception {
        Path root = lab.workDir().resolve("www-" + host.name() + "-" + port);
        Files.createDirectories(root);
        Files.writeString(root.resolve("index.html"), body + "\n");
        NodeProcess p = lab.own(NodeProcess.start("httpd@" + host.name(), host.namespace(),
                List.of("busybox", "httpd", "-f", "-p", Integer.toString(port), "-h", root.toString()),
                lab.newFile("httpd-" + host.name() + "-" + port, "log")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lab.execStatus(host.namespace(), "bash", "-c", "exec 3<>/dev/tcp/" + host.address() + "/" + port) != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("httpd on " + host.name() + " does not listen");
            }
            Thread.sleep(50);
        }
        return p;
    }

    /** Which real servers answered {@code n} requests to the virtual address from the client. */
    private Set<String> servedBy(Host client, int n) {
        return servedBy(client, n, VIP);
    }

    private Set<String> servedBy(Host client, int n, String vip) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String body = lab.exec(client.namespace(), "curl", "-s", "-m", "3", "http://" + vip + "/").strip();
            names.add(body.isEmpty() ? "(none)" : body);
        }
        return new java.util.TreeSet<>(names);
    }

    private String ipvsadm() {
        return lab.exec(director, "ipvsadm", "-Ln");
    }

    /** The lines of one service in {@code ipvsadm -Ln}: its own line and its destinations'. */
    static String section(String table, String service) {
        int i = table.indexOf(service);
        if (i < 0) {
            return "";
        }
        int end = table.length();
        for (String start : List.of("\nTCP  ", "\nUDP  ", "\nSCTP ", "\nFWM  ")) {
            int next = table.indexOf(start, i + service.length());
            if (next >= 0) {
                end = Math.min(end, next);
            }
        }
        return table.substring(i, end);
    }

    private void awaitTable(Predicate<String> condition, Duration timeout, String what, NodeProcess appliance)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(ipvsadm())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never " + what + " within " + timeout.toSeconds() + " s; table:\n"
                        + ipvsadm() + "\nappliance:\n" + appliance.tail(30));
            }
            // Each ipvsadm is a process on the emulated CPU the appliance runs on too: not too often.
            Thread.sleep(200);
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private void record(String key, Object value) {
        try {
            Files.writeString(results, key + " " + value + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("ipvs guest: " + key + " " + value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
