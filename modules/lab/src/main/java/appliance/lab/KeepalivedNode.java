package appliance.lab;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Real keepalived (2.2.7 here) in a lab host: an equivalent {@code keepalived.conf} written from
 * a {@link VirtualRouterSpec}, run in the foreground, VRRP only, logging to stdout, with its own
 * pid files in the lab's work directory.
 */
public final class KeepalivedNode extends VrrpNode {

    static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PRIORITY_ZERO = Pattern.compile("\\) sent 0 priority");
    private static final Pattern STOPPED = Pattern.compile("Stopped Keepalived");

    private KeepalivedNode(Lab lab, Host host, VirtualRouterSpec spec, NodeProcess process) {
        super(lab, host, spec, process);
    }

    /** Starts it and waits until its VRRP process has entered its first state; the lab owns it. */
    public static KeepalivedNode start(Lab lab, Host host, VirtualRouterSpec spec) {
        String stem = host.name() + "-keepalived";
        Path config = lab.newFile(stem, "conf");
        ApplianceNode.write(config, conf(host.name(), spec, host));
        List<String> command = List.of("keepalived", "-n", "-l", "-D", "-P",
                "-f", config.toString(),
                "-p", lab.newFile(stem, "pid").toString(),
                "-r", lab.newFile(stem + "-vrrp", "pid").toString(),
                "-c", lab.newFile(stem + "-checkers", "pid").toString());
        NodeProcess process = NodeProcess.start("keepalived@" + host.name(), host.namespace(), command,
                lab.newFile(stem, "log"));
        KeepalivedNode node = lab.own(new KeepalivedNode(lab, host, spec, process));
        // keepalived always starts in BACKUP "(init)", also with state MASTER, once its sockets are open.
        process.awaitLine("(" + spec.instance() + ") Entering BACKUP STATE", START_TIMEOUT);
        return node;
    }

    @Override
    public String kind() {
        return "keepalived";
    }

    @Override
    public Pattern priorityZeroLine() {
        return PRIORITY_ZERO;
    }

    @Override
    public Pattern stoppedLine() {
        return STOPPED;
    }

    static String conf(String routerId, VirtualRouterSpec spec) {
        return conf(routerId, spec, null);
    }

    static String conf(String routerId, VirtualRouterSpec spec, Host host) {
        StringBuilder s = new StringBuilder()
                .append("global_defs {\n")
                .append("  router_id ").append(routerId).append('\n')
                .append("  vrrp_version ").append(spec.version()).append('\n')
                .append("}\n");
        spec.options().stream().filter(VirtualRouterSpec.Option::topLevel).map(VirtualRouterSpec.Option::keepalived)
                .filter(java.util.Objects::nonNull).forEach(o -> s.append(o).append('\n'));
        s.append("vrrp_instance ").append(spec.instance()).append(" {\n")
                .append("  state ").append(spec.initialState()).append('\n')
                .append("  interface ").append(spec.interfaceName()).append('\n')
                .append("  virtual_router_id ").append(spec.vrid()).append('\n')
                .append("  priority ").append(spec.priority()).append('\n')
                .append("  advert_int ").append(advertInt(spec.advertInterval())).append('\n');
        if (!spec.preempt()) {
            s.append("  nopreempt\n");
        }
        if (!spec.preemptDelay().isZero()) {
            s.append("  preempt_delay ").append(advertInt(spec.preemptDelay())).append('\n');
        }
        if (spec.authPassword() != null) {
            s.append("  authentication {\n")
                    .append("    auth_type PASS\n")
                    .append("    auth_pass ").append(spec.authPassword()).append('\n')
                    .append("  }\n");
        }
        List<String> peers = spec.peersOf(host);
        if (!peers.isEmpty() && spec.isIpv6() && host != null) {
            // Else keepalived sends IPv6 unicast adverts from the link-local address.
            s.append("  unicast_src_ip ").append(host.address6()).append('\n');
        }
        if (!peers.isEmpty()) {
            s.append("  unicast_peer {\n");
            peers.forEach(p -> s.append("    ").append(p).append('\n'));
            s.append("  }\n");
            if (spec.unicastTtl() > 0) {
                s.append("  unicast_ttl ").append(spec.unicastTtl()).append('\n');
            }
        }
        spec.options().stream().filter(o -> !o.topLevel()).map(VirtualRouterSpec.Option::keepalived)
                .filter(java.util.Objects::nonNull).forEach(o -> s.append("  ").append(o).append('\n'));
        s.append("  virtual_ipaddress {\n");
        for (String address : spec.virtualAddresses()) {
            s.append("    ").append(address).append('\n');
        }
        return s.append("  }\n").append("}\n").toString();
    }

    /** keepalived's advert_int is decimal seconds: 1, 0.1, 0.01. */
    static String advertInt(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
