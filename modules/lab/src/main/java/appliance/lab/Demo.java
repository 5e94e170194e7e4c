package appliance.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A failover to watch: two nodes and a client on a namespace lab, the master cut off the
 * switch while the client pings the virtual address, then plugged back in.
 *
 * <pre>
 * bin/demo [--keepalived] [--interval MS]
 * </pre>
 */
public final class Demo {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private Demo() {
    }

    public static void main(String[] args) {
        NodeKind kind = NodeKind.APPLIANCE;
        Duration interval = Duration.ofMillis(100);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keepalived" -> kind = NodeKind.KEEPALIVED;
                case "--interval" -> interval = Duration.ofMillis(Long.parseLong(args[++i]));
                case "-h", "--help" -> {
                    System.out.println("usage: bin/demo [--keepalived] [--interval MS]\n"
                            + "  --keepalived   run real keepalived on both nodes instead of the appliance\n"
                            + "  --interval MS  VRRPv3 advert interval in milliseconds (default 100)");
                    return;
                }
                default -> {
                    System.err.println("error: unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        try {
            run(kind, VirtualRouterSpec.v3(interval));
        } catch (LabException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(NodeKind kind, VirtualRouterSpec spec) {
        String vip = spec.virtualAddresses().get(0);
        System.out.println("Building the lab: a switch, two nodes and a client in network namespaces");
        try (Lab lab = Lab.create(2)) {
            Host h1 = lab.node(1);
            Host h2 = lab.node(2);
            System.out.printf("  %s, %s, client %s   (namespaces %s-*)%n%n", h1, h2, lab.client().address(), lab.id());

            System.out.printf("Starting %s on both nodes: %s, virtual address %s%n",
                    kind == NodeKind.APPLIANCE ? "the appliance" : "keepalived", spec.describe(), vip);
            VrrpNode n1 = kind.start(lab, h1, spec.withPriority(150).withInitialState(VrrpState.MASTER));
            System.out.printf("  %s up, priority 150%n", n1.name());
            VrrpNode n2 = kind.start(lab, h2, spec.withPriority(100));
            System.out.printf("  %s up, priority 100%n", n2.name());
            Agreement.await(SETTLE, n1, n2);
            System.out.printf("Election: %s is MASTER and holds %s; %s is BACKUP%n", n1.name(), vip, n2.name());
            System.out.println(Agreement.picture(List.of(n1, n2)));
            System.out.println();

            OutageProbe probe = OutageProbe.start(lab, vip);
            probe.awaitReplyAfter(Instant.now(), Duration.ofSeconds(5));
            System.out.printf("The client pings %s every %d ms.%n", spec.primaryAddress(), probe.interval().toMillis());

            System.out.printf("Cutting %s off the switch...%n", h1.name());
            Failover.Measurement failover = Failover.cutMaster(lab, n1, n2, probe);
            Instant cut = failover.cutAt();
            System.out.printf("  %s logged MASTER %s after the cut%n", n2.name(),
                    ProtocolTimes.seconds(failover.takeoverDelay()));
            System.out.printf("  the client's pings resumed: outage %s%n", failover.outage());
            System.out.printf("  protocol bound for the backup: 3 x %s + skew %s = %s -> %s%n",
                    ProtocolTimes.seconds(spec.advertInterval()), ProtocolTimes.seconds(n2.spec().skewTime()),
                    ProtocolTimes.seconds(failover.bound()), verdict(failover.gap(), failover.bound()));
            System.out.printf("  %s now: %s%n%n", n2.name(), n2.addresses());

            System.out.printf("Plugging %s back in...%n", h1.name());
            int mark = n1.process().mark();
            Instant restored = Instant.now();
            lab.restore(h1);
            Agreement.await(SETTLE, n1, n2);
            String states = n1.stateChanges().stream()
                    .filter(c -> !c.at().isBefore(cut))
                    .map(c -> c.state() + " (" + (c.line().index() < mark ? "while cut" : "+"
                            + ProtocolTimes.seconds(Duration.between(restored, c.at()))) + ")")
                    .collect(Collectors.joining(" -> "));
            System.out.printf("  %s since the cut: %s%n", n1.name(), states.isEmpty() ? "stayed MASTER" : states);
            System.out.printf("  %s is master again, %s is BACKUP:%n", n1.name(), n2.name());
            System.out.println(Agreement.picture(List.of(n1, n2)));
            System.out.println();
            System.out.println("Tearing the lab down.");
        }
        System.out.println("Done.");
    }

    private static String verdict(Duration outage, Duration bound) {
        return outage.compareTo(bound) <= 0 ? "within the bound"
                : "above the bound by " + ProtocolTimes.seconds(outage.minus(bound));
    }
}
