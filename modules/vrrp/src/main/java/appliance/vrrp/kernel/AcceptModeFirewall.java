package appliance.vrrp.kernel;

import appliance.vrrp.VirtualAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 5798's Accept_Mode off, as keepalived's {@code no_accept} with its nftables table: while an
 * instance that does not own its addresses is master, packets to its virtual addresses are dropped
 * on input and packets from them on output, except IPv6 neighbour discovery (without which the
 * addresses could not be resolved at all). The rules live in one table of our own,
 * {@value #TABLE}, made at start (a crashed run's is replaced) and deleted at stop.
 *
 * <p>Carried out with the {@code nft} tool (package nftables) on a thread of its own: running a
 * program can block, so it never runs on an event loop; a failure is logged with nft's message.
 */
final class AcceptModeFirewall implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcceptModeFirewall.class);
    static final String TABLE = "appliance_vrrp";
    private static final long NFT_TIMEOUT_SECONDS = 5;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("vrrp-firewall"));

    /** Makes the table, replacing one a crashed run left; off the loops, waits for nft. */
    void start() throws IOException {
        String rules = "table inet " + TABLE + "\n"
                + "delete table inet " + TABLE + "\n"
                + "table inet " + TABLE + " {\n"
                + "  set vips4 { type ipv4_addr; }\n"
                + "  set vips6 { type ipv6_addr; }\n"
                + "  chain in {\n"
                + "    type filter hook input priority -1; policy accept;\n"
                + "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
                + "    ip daddr @vips4 drop\n"
                + "    ip6 daddr @vips6 drop\n"
                + "  }\n"
                + "  chain out {\n"
                + "    type filter hook output priority -1; policy accept;\n"
                + "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
                + "    ip saddr @vips4 drop\n"
                + "    ip6 saddr @vips6 drop\n"
                + "  }\n"
                + "}\n";
        nft(rules);
    }

    /** The drop rules for {@code addresses} (a master that is not their owner); from any thread. */
    CompletableFuture<Void> drop(String instance, List<VirtualAddress> addresses) {
        return elements("add", instance, addresses);
    }

    /** Removes them again (the instance left MASTER); from any thread. */
    CompletableFuture<Void> accept(String instance, List<VirtualAddress> addresses) {
        return elements("delete", instance, addresses);
    }

    private CompletableFuture<Void> elements(String verb, String instance, List<VirtualAddress> addresses) {
        StringBuilder rules = new StringBuilder();
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        addresses.forEach(a -> (a.address() instanceof Inet4Address ? v4 : v6).add(a.address()));
        append(rules, verb, "vips4", v4);
        append(rules, verb, "vips6", v6);
        return CompletableFuture.runAsync(() -> {
            try {
                nft(rules.toString());
                log.info("({}) {} firewall drop rule for {}", instance, verb.equals("add") ? "set" : "removed",
                        addresses.stream().map(a -> VirtualAddress.text(a.address())).toList());
            } catch (IOException e) {
                log.error("({}) cannot {} the accept-mode drop rules: {}", instance, verb, e.getMessage());
            }
        }, thread);
    }

    private static void append(StringBuilder rules, String verb, String set, List<InetAddress> addresses) {
        if (!addresses.isEmpty()) {
            rules.append(verb).append(" element inet ").append(TABLE).append(' ').append(set).append(" { ")
                    .append(addresses.stream().map(VirtualAddress::text).collect(Collectors.joining(", ")))
                    .append(" }\n");
        }
    }

    /** Deletes the table; waits at most a few seconds. */
    @Override
    public void close() {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                nft("delete table inet " + TABLE + "\n");
            } catch (IOException e) {
                log.warn("cannot delete the nftables table {}: {}", TABLE, e.getMessage());
            }
        }, thread);
        try {
            done.get(NFT_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("deleting the nftables table {}: {}", TABLE, e.toString());
        }
        thread.shutdown();
    }

    /** Runs {@code nft -f -} with {@code rules} on stdin; throws with nft's own message when it fails. */
    private static void nft(String rules) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run nft (package nftables): " + e.getMessage(), e);
        }
        p.getOutputStream().write(rules.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        try {
            if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft did not finish in " + NFT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while nft ran", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException("nft exited with " + p.exitValue() + ": " + output);
        }
    }
}
