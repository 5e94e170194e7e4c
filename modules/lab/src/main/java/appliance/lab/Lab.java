package appliance.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A layer-2 segment built from network namespaces: a switch namespace holding bridge {@code br0},
 * N node namespaces and one client namespace, each host with a veth end {@code e0} plugged
 * into the bridge. Node i has 10.99.0.i/24, the client 10.99.0.200/24.
 *
 * <p>Every name starts with {@code halab-PID-SEQ-}, so labs of concurrent JVMs never collide and
 * a new lab can sweep what a dead JVM left behind. The veth pairs are created inside the switch
 * namespace directly, so nothing ever appears in the host's own namespace. Everything started
 * through the lab ({@link #own}) is closed before the namespaces are deleted, and any process
 * still inside them is killed, also from a shutdown hook if the JVM is stopped.
 */
public final class Lab implements AutoCloseable {

    /** The beginning of every namespace and work directory this lab class creates. */
    public static final String PREFIX = "halab-";
    /** The lab's subnet: node i is {@code SUBNET + i}; only ever used inside the lab's namespaces. */
    public static final String SUBNET = "10.99.0.";
    public static final int PREFIX_LENGTH = 24;
    /** The lab's IPv6 subnet: node i is {@code SUBNET6 + i}, in hexadecimal digits as written (fd00:99::1). */
    public static final String SUBNET6 = "fd00:99::";
    public static final int PREFIX_LENGTH6 = 64;
    public static final int CLIENT_HOST = 200;

    private static final String BRIDGE = "br0";
    private static final String NFT_TABLE = "halab";
    private static final String PARTITION_TABLE = "halab_partition";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    private static final Pattern INET = Pattern.compile("^\\s*inet (\\S+)", Pattern.MULTILINE);
    private static final Pattern INET6 = Pattern.compile("^\\s*inet6 (\\S+)", Pattern.MULTILINE);
    private static final Pattern LLADDR = Pattern.compile("lladdr (\\S+)");
    private static final Pattern LINK_ETHER = Pattern.compile("link/ether (\\S+)");

    private final String id;
    private final String switchNamespace;
    private final List<Host> nodes = new ArrayList<>();
    private final Host client;
    private final Path workDir;
    private final List<String> namespaces = new ArrayList<>();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final Set<Host> silenced = new LinkedHashSet<>();
    private final AtomicInteger fileSequence = new AtomicInteger();
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lab(int nodeCount) {
        id = PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        switchNamespace = id + "-sw";
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(new Host("n" + i, id + "-n" + i, SUBNET + i, "v" + i));
        }
        client = new Host("client", id + "-c", SUBNET + CLIENT_HOST, "vc");
        try {
            workDir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shutdownHook = new Thread(this::close, id + "-teardown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Builds a lab with {@code nodeCount} nodes (n1..nN) and a client, after sweeping labs left
     * behind by dead JVMs. Needs root.
     */
    public static Lab create(int nodeCount) {
        if (nodeCount < 1 || nodeCount >= CLIENT_HOST) {
            throw new IllegalArgumentException("node count must be 1.." + (CLIENT_HOST - 1) + ": " + nodeCount);
        }
        requireRoot();
        if (SWEPT.compareAndSet(false, true)) {
            sweepStale();
        }
        Lab lab = new Lab(nodeCount);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Throws a one-line explanation unless this JVM runs as root (namespaces need it). */
    public static void requireRoot() {
        String uid = Commands.run("id", "-u").orThrow().output().strip();
        if (!uid.equals("0")) {
            throw new LabException("the lab needs root: it creates network namespaces, veth pairs and a bridge"
                    + " (running as uid " + uid + ")");
        }
    }

    /**
     * Deletes the namespaces and work directories of labs whose JVM is gone, killing any process
     * still inside them (a JVM killed with SIGKILL runs no shutdown hook).
     */
    public static void sweepStale() {
        // This JVM is alive, so its own labs are never swept.
        Commands.run("ip", "netns", "list").output().lines()
                .map(line -> line.split("\\s+")[0])
                .filter(name -> name.startsWith(PREFIX))
                .filter(name -> !isAlive(ownerPid(name)))
                .forEach(Lab::deleteNamespace);
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            dirs.filter(dir -> dir.getFileName().toString().startsWith(PREFIX))
                    .filter(dir -> !isAlive(ownerPid(dir.getFileName().toString())))
                    .forEach(Lab::deleteTree);
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }

    private static long ownerPid(String name) {
        String[] parts = name.substring(PREFIX.length()).split("-");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void build() {
        addNamespace(switchNamespace);
        // No STP and no forward delay: a port forwards the moment it is up, so a restored node is
        // reachable at once. Ageing is left at its default: a port going down flushes its own
        // forwarding entries, and a new master announces itself with gratuitous ARP anyway
        // (measured: outages with ageing_time 300 s and 1 s do not differ). Multicast snooping
        // off, so 224.0.0.18 adverts are flooded to every port whatever IGMP state the bridge has.
        ip("-n", switchNamespace, "link", "add", BRIDGE, "type", "bridge",
                "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0");
        ip("-n", switchNamespace, "link", "set", BRIDGE, "up");
        for (Host node : nodes) {
            plugIn(node);
        }
        plugIn(client);
        for (Host node : nodes) {
            awaitReachable(node);
        }
    }

    private void plugIn(Host host) {
        addNamespace(host.namespace());
        cable(host);
    }

    /** The host's {@code e0} and its switch port: a veth pair, addressed and up. */
    private void cable(Host host) {
        ip("-n", switchNamespace, "link", "add", host.switchPort(), "type", "veth",
                "peer", "name", Host.INTERFACE, "netns", host.namespace());
        ip("-n", switchNamespace, "link", "set", host.switchPort(), "master", BRIDGE, "up");
        ip("-n", host.namespace(), "addr", "add", host.address() + "/" + PREFIX_LENGTH, "dev", Host.INTERFACE);
        ip("-n", host.namespace(), "addr", "add", host.address6() + "/" + PREFIX_LENGTH6, "dev", Host.INTERFACE,
                "nodad");
        ip("-n", host.namespace(), "link", "set", Host.INTERFACE, "up");
    }

    private void addNamespace(String namespace) {
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        // Interfaces made here later skip duplicate address detection: their link-local
        // address, the source of IPv6 adverts, is usable at once instead of tentative for ~1 s.
        Commands.run(Commands.inNamespace(namespace, List.of("sysctl", "-q", "-w",
                "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0")), Duration.ofSeconds(5)).orThrow();
        ip("-n", namespace, "link", "set", "lo", "up");
    }

    private void awaitReachable(Host node) {
        for (int attempt = 1; ; attempt++) {
            var ping = Commands.run(Commands.inNamespace(client.namespace(),
                    List.of("ping", "-c", "1", "-W", "1", "-n", node.address())), Duration.ofSeconds(5));
            if (ping.ok()) {
                return;
            }
            if (attempt == 3) {
                throw new LabException("lab " + id + ": client cannot reach " + node + ": " + ping.output().strip());
            }
        }
    }

    private static Commands.Result ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        return Commands.run(command).orThrow();
    }

    /**
     * A host in the initial network namespace (where the kernel's process connector answers),
     * plugged into this lab's switch through a veth whose end here is named {@link #interfaceOf}
     * and addressed {@code 10.99.0.number/24}. Its pair goes away with the switch namespace, also
     * when a sweep removes a dead lab. Commands for it run without {@code ip netns exec}.
     */
    public Host initialNamespaceHost(int number) {
        if (number < 1 || number >= CLIENT_HOST || number <= nodes.size()) {
            throw new IllegalArgumentException("host number must be above the nodes and below the client: " + number);
        }
        Host host = new Host("root" + number, null, SUBNET + number, "vr" + number);
        String local = interfaceOf(host);
        ip("link", "add", local, "type", "veth", "peer", "name", host.switchPort(), "netns", switchNamespace);
        ip("-n", switchNamespace, "link", "set", host.switchPort(), "master", BRIDGE, "up");
        ip("addr", "add", host.address() + "/" + PREFIX_LENGTH, "dev", local);
        ip("link", "set", local, "up");
        return host;
    }

    /** The interface a host plugs into the switch with: e0 in its namespace, a name unique to this lab in the initial one. */
    public String interfaceOf(Host host) {
        if (host.namespace() != null) {
            return Host.INTERFACE;
        }
        String[] parts = id.split("-");
        // At most 15 characters (IFNAMSIZ): hl, pid mod 10^5, x, lab mod 10^3, r, host number.
        return "hl" + Long.parseLong(parts[1]) % 100_000 + "x" + Long.parseLong(parts[2]) % 1000 + "r"
                + host.address().substring(host.address().lastIndexOf('.') + 1);
    }

    /** This lab's unique name prefix, e.g. {@code halab-4711-1}. */
    public String id() {
        return id;
    }

    public String switchNamespace() {
        return switchNamespace;
    }

    /** Node i, counting from 1. */
    public Host node(int i) {
        if (i < 1 || i > nodes.size()) {
            throw new IllegalArgumentException("this lab has nodes 1.." + nodes.size() + ", not " + i);
        }
        return nodes.get(i - 1);
    }

    public List<Host> nodes() {
        return List.copyOf(nodes);
    }

    public Host client() {
        return client;
    }

    /** Where configuration files, pid files and logs of this lab go; deleted on close. */
    public Path workDir() {
        return workDir;
    }

    /** A fresh file name in the work directory: {@code STEM-N.EXTENSION}. */
    public Path newFile(String stem, String extension) {
        return workDir.resolve(stem + "-" + fileSequence.incrementAndGet() + "." + extension);
    }

    /**
     * Cuts the host off the segment: its bridge port goes down inside the switch namespace. The
     * host's own {@code e0} then loses carrier too (keepalived notices that and enters FAULT).
     */
    public void cut(Host host) {
        ip("-n", switchNamespace, "link", "set", host.switchPort(), "down");
    }

    /**
     * Deletes the host's {@code e0} (and with it its switch port), as when a NIC, VLAN or bond is
     * removed: the interface is gone, not only down.
     */
    public void removeInterface(Host host) {
        ip("-n", host.namespace(), "link", "del", Host.INTERFACE);
    }

    /** Creates the host's {@code e0} again after {@link #removeInterface}: same name and address, a new ifindex. */
    public void recreateInterface(Host host) {
        cable(host);
    }

    /** The host's interface index of {@code e0}, or -1 when it has none. */
    public int interfaceIndex(Host host) {
        var r = Commands.run(Commands.inNamespace(host.namespace(), List.of("cat", "/sys/class/net/" + Host.INTERFACE
                + "/ifindex")), Commands.DEFAULT_TIMEOUT);
        return r.ok() ? Integer.parseInt(r.output().strip()) : -1;
    }

    /** Plugs a cut host back in; its port forwards at once (no STP, forward delay 0). */
    public void restore(Host host) {
        ip("-n", switchNamespace, "link", "set", host.switchPort(), "up");
    }

    /**
     * Makes the host silent while its link stays up: the switch drops every frame from and to
     * its port (nftables, bridge family, forward hook). Unlike {@link #cut}, the host sees no
     * carrier loss, as when a machine hangs or a cable beyond the switch fails.
     */
    public synchronized void silence(Host host) {
        silenced.add(host);
        applySilence();
    }

    public synchronized void unsilence(Host host) {
        silenced.remove(host);
        applySilence();
    }

    private void applySilence() {
        String ports = silenced.stream().map(h -> "\"" + h.switchPort() + "\"").collect(Collectors.joining(", "));
        StringBuilder rules = new StringBuilder()
                .append("table bridge ").append(NFT_TABLE).append(" {}\n")
                .append("delete table bridge ").append(NFT_TABLE).append('\n');
        if (!silenced.isEmpty()) {
            rules.append("table bridge ").append(NFT_TABLE).append(" {\n")
                    .append("  chain forward {\n")
                    .append("    type filter hook forward priority 0; policy accept;\n")
                    .append("    iifname { ").append(ports).append(" } drop\n")
                    .append("    oifname { ").append(ports).append(" } drop\n")
                    .append("  }\n}\n");
        }
        Path file = newFile("nft", "conf");
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(Commands.inNamespace(switchNamespace, List.of("nft", "-f", file.toString())),
                Commands.DEFAULT_TIMEOUT).orThrow();
    }

    /**
     * Splits the segment between {@code a} and {@code b}: the switch drops every frame from one
     * to the other, while both still reach every other host (the client): a split brain.
     */
    public void partition(Host a, Host b) {
        String rules = "table bridge " + PARTITION_TABLE + " {\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority -5; policy accept;\n"
                + "    iifname \"" + a.switchPort() + "\" oifname \"" + b.switchPort() + "\" drop\n"
                + "    iifname \"" + b.switchPort() + "\" oifname \"" + a.switchPort() + "\" drop\n"
                + "  }\n}\n";
        Path file = newFile("partition", "nft");
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(Commands.inNamespace(switchNamespace, List.of("nft", "-f", file.toString())),
                Commands.DEFAULT_TIMEOUT).orThrow();
    }

    /** Ends {@link #partition}: the two sides hear each other again. */
    public void heal() {
        exec(switchNamespace, "nft", "delete", "table", "bridge", PARTITION_TABLE);
    }

    /** Runs a command in a namespace and returns its output; throws if it exits non-zero. */
    public String exec(String namespace, String... command) {
        return Commands.run(Commands.inNamespace(namespace, Arrays.asList(command)), Commands.DEFAULT_TIMEOUT)
                .orThrow().output();
    }

    /** Runs a command in a namespace and returns its exit status, whatever it is. */
    public int execStatus(String namespace, String... command) {
        return Commands.run(Commands.inNamespace(namespace, Arrays.asList(command)), Commands.DEFAULT_TIMEOUT)
                .exitCode();
    }

    /**
     * The IPv4 addresses on {@code e0} in a namespace, as {@code 10.99.0.1/24}, in kernel order,
     * then those on VMACs ({@code vrrp.*} interfaces), where use-vmac puts the virtual addresses.
     */
    public List<String> addresses(String namespace) {
        List<String> addresses = parseAddresses(ip("-n", namespace, "-4", "addr", "show", Host.INTERFACE).output());
        addresses.addAll(vmacAddresses(namespace, "-4"));
        return addresses;
    }

    private static List<String> vmacAddresses(String namespace, String family) {
        List<String> found = new ArrayList<>();
        for (String line : ip("-n", namespace, "-o", family, "addr", "show").output().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].startsWith("vrrp") && (f[2].equals("inet") || f[2].equals("inet6"))
                    && !f[3].startsWith("fe80:")) {
                found.add(f[3]);
            }
        }
        return found;
    }

    public List<String> addresses(Host host) {
        return addresses(host.namespace());
    }

    /** The global IPv6 addresses on {@code e0} of a host, as {@code fd00:99::1/64}, in kernel order. */
    public List<String> addresses6(Host host) {
        String show = ip("-n", host.namespace(), "-6", "addr", "show", Host.INTERFACE, "scope", "global").output();
        List<String> addresses = new ArrayList<>();
        Matcher m = INET6.matcher(show);
        while (m.find()) {
            addresses.add(m.group(1));
        }
        addresses.addAll(vmacAddresses(host.namespace(), "-6"));
        return addresses;
    }

    /** The MAC address {@code host}'s neighbour cache (ARP or NDP) holds for {@code address}, or null when none. */
    public String neighbour(Host host, String address) {
        Matcher m = LLADDR.matcher(ip("-n", host.namespace(), "neigh", "show", address, "dev", Host.INTERFACE).output());
        return m.find() ? m.group(1) : null;
    }

    /** The MAC address of {@code host}'s {@code e0}. */
    public String mac(Host host) {
        Matcher m = LINK_ETHER.matcher(ip("-n", host.namespace(), "link", "show", Host.INTERFACE).output());
        if (!m.find()) {
            throw new LabException(host + " has no Ethernet address on " + Host.INTERFACE);
        }
        return m.group(1);
    }

    static List<String> parseAddresses(String ipAddrShow) {
        List<String> addresses = new ArrayList<>();
        Matcher m = INET.matcher(ipAddrShow);
        while (m.find()) {
            addresses.add(m.group(1));
        }
        return addresses;
    }

    /**
     * Hands a resource (a node, a probe) to the lab: {@link #close} closes it, newest first,
     * before deleting the namespaces. Returns it.
     */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        if (closed.get()) {
            throw new LabException("lab " + id + " is closed");
        }
        owned.push(resource);
        return resource;
    }

    synchronized void disown(AutoCloseable resource) {
        owned.remove(resource);
    }

    /**
     * Closes everything it owns, kills whatever still runs in its namespaces, deletes them and
     * the work directory (kept when the system property {@code lab.keep} is true). Idempotent,
     * safe after an interrupt.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            List<AutoCloseable> toClose;
            synchronized (this) {
                toClose = new ArrayList<>(owned);
                owned.clear();
            }
            for (AutoCloseable resource : toClose) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("lab " + id + ": closing " + resource + ": " + e.getMessage());
                }
            }
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                deleteNamespace(namespaces.get(i));
            }
            if (!Boolean.getBoolean("lab.keep")) {
                deleteTree(workDir);
            }
        } finally {
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // the JVM is already shutting down
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteNamespace(String namespace) {
        for (String pid : Commands.run("ip", "netns", "pids", namespace).output().split("\\s+")) {
            if (!pid.isBlank()) {
                Commands.run("kill", "-KILL", pid);
            }
        }
        Commands.run("ip", "netns", "del", namespace);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Sleeps; an interrupt (a JUnit timeout) becomes a {@link LabException}, with the flag kept. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "lab " + id + " (" + nodes.size() + " nodes + client)";
    }
}
