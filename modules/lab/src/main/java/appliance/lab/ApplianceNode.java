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

    private ApplianceNode(Lab lab, Host host, VirtualRouterSpec spec, NodeProcess process) {
        super(lab, host, spec, process);
    }

    /** Starts it and waits for {@code Appliance started}; the lab owns it. */
    public static ApplianceNode start(Lab lab, Host host, VirtualRouterSpec spec) {
        Path config = lab.newFile(host.name() + "-appliance", "conf");
        write(config, hocon(spec));
        NodeProcess process = NodeProcess.start("appliance@" + host.name(), host.namespace(),
                List.of(startScript().toString(), "--config", config.toString()),
                lab.newFile(host.name() + "-appliance", "log"));
        ApplianceNode node = lab.own(new ApplianceNode(lab, host, spec, process));
        process.awaitLine(STARTED, START_TIMEOUT);
        return node;
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
        s.append("    virtual-ipaddress = [")
                .append(spec.virtualAddresses().stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")))
                .append("]\n")
                .append("  }\n")
                .append("}\n");
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
