package appliance.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The appliance in a lab host: a HOCON file written from a {@link VirtualRouterSpec}, then
 * {@code <home>/bin/start-appliance --config FILE} in the host's namespace.
 */
public final class ApplianceNode extends VrrpNode {

    /** A JVM start on two busy cores can take a while. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final String STARTED = "Appliance started";
    private static final Pattern PRIORITY_ZERO = Pattern.compile("sent priority 0 advertisement");
    private static final Pattern STOPPED = Pattern.compile("Appliance stopped");
    /** The start of each line, as its logback.xml writes it: {@code Tue Nov 24 08:41:34.464 2026: }. */
    private static final Pattern TIMESTAMP = Pattern.compile("^(\\w{3} \\w{3} \\d{1,2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\d{4}): ");
    private static final DateTimeFormatter TIMESTAMP_FORMAT =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss.SSS yyyy", Locale.ENGLISH);
    /** Netty's name for the threads of a MultiThreadIoEventLoopGroup, as /proc shows it (15 characters). */
    private static final String LOOP_THREAD = "multiThreadIoEv";

    private ApplianceNode(Lab lab, Host host, VirtualRouterSpec spec, NodeProcess process) {
        super(lab, host, spec, process);
    }

    /** Starts it and waits for {@code Appliance started}; the lab owns it. */
    public static ApplianceNode start(Lab lab, Host host, VirtualRouterSpec spec) {
        ApplianceNode node = start(lab, host, spec, false);
        node.process().awaitLine(STARTED, START_TIMEOUT);
        return node;
    }

    /** As {@link #start(Lab, Host, VirtualRouterSpec)}, with {@code topLevelHocon} (static-ipaddress, ...) after the instance. */
    public static ApplianceNode start(Lab lab, Host host, VirtualRouterSpec spec, String topLevelHocon) {
        ApplianceNode node = start(lab, host, spec, false, topLevelHocon);
        node.process().awaitLine(STARTED, START_TIMEOUT);
        return node;
    }

    /**
     * Starts it with its stdout a pipe that nobody reads until {@code process().readOutput()},
     * and returns at once: until then its log says nothing, not even that it started. The lab
     * owns it.
     */
    public static ApplianceNode startWithOutputUnread(Lab lab, Host host, VirtualRouterSpec spec) {
        return start(lab, host, spec, true);
    }

    private static ApplianceNode start(Lab lab, Host host, VirtualRouterSpec spec, boolean outputUnread) {
        return start(lab, host, spec, outputUnread, "");
    }

    private static ApplianceNode start(Lab lab, Host host, VirtualRouterSpec spec, boolean outputUnread,
                                       String topLevelHocon) {
        Path config = lab.newFile(host.name() + "-appliance", "conf");
        write(config, hocon(spec, host) + topLevelHocon);
        String name = "appliance@" + host.name();
        List<String> command = List.of(startScript().toString(), "--config", config.toString());
        Path log = lab.newFile(host.name() + "-appliance", "log");
        NodeProcess process = outputUnread
                ? NodeProcess.startWithOutputUnread(name, host.namespace(), command, log)
                : NodeProcess.start(name, host.namespace(), command, log);
        return lab.own(new ApplianceNode(lab, host, spec, process));
    }

    /**
     * Moves the running appliance's event loop threads, and the VM thread they wait for at
     * safepoints and garbage collections, to real-time scheduling (SCHED_FIFO): what keepalived's
     * {@code vrrp_rt_priority} does for its VRRP process. On a busy two-core machine a thread of
     * normal priority that sleeps 10 ms wakes 20 to 100 ms late dozens of times a minute (measured
     * here while other tests ran); a real-time one rarely does. A thread blocked in a system call
     * stays blocked whatever its priority. Returns the thread ids moved.
     */
    public List<Integer> runLoopsRealtime(int priority) {
        List<Integer> moved = new ArrayList<>();
        int loops = 0;
        Path tasks = Path.of("/proc", Long.toString(process().pid()), "task");
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                // Linux keeps the first 15 characters of a Java thread's name.
                String comm = Files.readString(task.resolve("comm")).strip();
                if (comm.startsWith(LOOP_THREAD) || comm.equals("VM Thread")) {
                    loops += comm.startsWith(LOOP_THREAD) ? 1 : 0;
                    String tid = task.getFileName().toString();
                    Commands.run("chrt", "-f", "-p", Integer.toString(priority), tid).orThrow();
                    moved.add(Integer.parseInt(tid));
                }
            }
        } catch (IOException e) {
            throw new LabException(name() + ": cannot list its threads in " + tasks + ": " + e.getMessage(), e);
        }
        if (loops == 0) {
            throw new LabException(name() + ": no event loop thread (" + LOOP_THREAD + "...) in " + tasks);
        }
        return moved;
    }

    @Override
    public String kind() {
        return "appliance";
    }

    @Override
    public Pattern priorityZeroLine() {
        return PRIORITY_ZERO;
    }

    @Override
    public Pattern stoppedLine() {
        return STOPPED;
    }

    @Override
    Optional<Instant> ownTimestamp(String text) {
        return timestamp(text, ZoneId.systemDefault());
    }

    /** The logback timestamp a line starts with, read in {@code zone}; empty if it has none. */
    static Optional<Instant> timestamp(String text, ZoneId zone) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), TIMESTAMP_FORMAT).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The configuration file for one instance, in the appliance's HOCON form. */
    static String hocon(VirtualRouterSpec spec) {
        return hocon(spec, null);
    }

    /** @param host the node, whose own addresses are left out of its unicast peers; null for none */
    static String hocon(VirtualRouterSpec spec, Host host) {
        StringBuilder s = new StringBuilder()
                .append("vrrp.instances {\n")
                .append("  ").append(spec.instance()).append(" {\n")
                .append("    interface = ").append(spec.interfaceName()).append('\n')
                .append("    virtual-router-id = ").append(spec.vrid()).append('\n')
                .append("    priority = ").append(spec.priority()).append('\n')
                .append("    version = ").append(spec.version()).append('\n')
                .append("    advert-interval = ").append(hoconDuration(spec.advertInterval())).append('\n')
                .append("    state = ").append(spec.initialState()).append('\n')
                .append("    preempt = ").append(spec.preempt()).append('\n');
        if (spec.authPassword() != null) {
            s.append("    authentication { type = PASS, password = \"").append(spec.authPassword()).append("\" }\n");
        }
        if (!spec.preemptDelay().isZero()) {
            s.append("    preempt-delay = ").append(hoconDuration(spec.preemptDelay())).append('\n');
        }
        List<String> peers = spec.peersOf(host);
        if (!peers.isEmpty() && spec.isIpv6() && host != null) {
            // As keepalived users do for IPv6 unicast: the peers check sources against global addresses.
            s.append("    unicast-src-ip = \"").append(host.address6()).append("\"\n");
        }
        if (!peers.isEmpty()) {
            s.append("    unicast-peers = [")
                    .append(peers.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")))
                    .append("]\n");
            if (spec.unicastTtl() > 0) {
                s.append("    unicast-ttl = ").append(spec.unicastTtl()).append('\n');
            }
        }
        s.append("    virtual-ipaddress = [")
                .append(spec.virtualAddresses().stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")))
                .append("]\n");
        // After the generated keys: an option may replace one of them (a later HOCON key wins).
        spec.options().stream().filter(o -> !o.topLevel()).map(VirtualRouterSpec.Option::hocon)
                .filter(java.util.Objects::nonNull).forEach(o -> s.append("    ").append(o).append('\n'));
        s.append("  }\n").append("}\n");
        spec.options().stream().filter(VirtualRouterSpec.Option::topLevel).map(VirtualRouterSpec.Option::hocon)
                .filter(java.util.Objects::nonNull).forEach(o -> s.append(o).append('\n'));
        return s.toString();
    }

    static String hoconDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * The repository (or installation) root: the system property {@code appliance.home}, or the
     * first directory upwards from the working directory that holds {@code bin/start-appliance}.
     */
    public static Path home() {
        String property = System.getProperty("appliance.home");
        if (property != null) {
            Path home = Path.of(property).toAbsolutePath();
            if (!Files.isExecutable(home.resolve("bin/start-appliance"))) {
                throw new LabException("appliance.home=" + property + " has no executable bin/start-appliance");
            }
            return home;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/start-appliance"))) {
                return dir;
            }
        }
        throw new LabException("no bin/start-appliance in " + cwd + " or above it;"
                + " run from the repository or set -Dappliance.home=DIR");
    }

    static Path startScript() {
        return home().resolve("bin/start-appliance");
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
