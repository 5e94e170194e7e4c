package appliance.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VRRP speaker running in one lab host: the appliance or keepalived. Both announce state
 * changes with keepalived's words, {@code (VI_1) Entering MASTER STATE}, which is what this
 * class reads; what differs (readiness and stop lines) each subclass says.
 */
public abstract class VrrpNode implements AutoCloseable {

    /** A state change read from the log. */
    public record StateChange(VrrpState state, NodeProcess.Line line) {

        public Instant at() {
            return line.at();
        }
    }

    /** How far before the lab read a line the node's own timestamp on it may lie and still be believed. */
    private static final Duration OWN_CLOCK_TRUST = Duration.ofSeconds(60);

    private final Lab lab;
    private final Host host;
    private final VirtualRouterSpec spec;
    private final NodeProcess process;
    private final Pattern statePattern;

    VrrpNode(Lab lab, Host host, VirtualRouterSpec spec, NodeProcess process) {
        this.lab = lab;
        this.host = host;
        this.spec = spec;
        this.process = process;
        this.statePattern = Pattern.compile("\\(" + Pattern.quote(spec.instance())
                + "\\) Entering (MASTER|BACKUP|FAULT) STATE");
    }

    /** {@code appliance} or {@code keepalived}. */
    public abstract String kind();

    /** The line that says a graceful stop sent the priority-0 advertisement (RFC 5798 §6.4.3). */
    public abstract Pattern priorityZeroLine();

    /** The last line of a graceful stop. */
    public abstract Pattern stoppedLine();

    public Host host() {
        return host;
    }

    public VirtualRouterSpec spec() {
        return spec;
    }

    public NodeProcess process() {
        return process;
    }

    /** {@code appliance@n1}. */
    public String name() {
        return kind() + "@" + host.name();
    }

    /** Every state change logged so far, oldest first. */
    public List<StateChange> stateChanges() {
        List<StateChange> changes = new ArrayList<>();
        for (NodeProcess.Line line : process.lines()) {
            parse(line).ifPresent(changes::add);
        }
        return changes;
    }

    /** The latest state logged, if any. */
    public Optional<StateChange> state() {
        return process.lastLine(statePattern).flatMap(this::parse);
    }

    private Optional<StateChange> parse(NodeProcess.Line line) {
        Matcher m = statePattern.matcher(line.text());
        return m.find() ? Optional.of(new StateChange(VrrpState.valueOf(m.group(1)), line)) : Optional.empty();
    }

    /**
     * When the node wrote {@code line} by its own timestamp, where its log gives one to the
     * millisecond (the appliance's does; keepalived's gives whole seconds), else when the lab read
     * it. The appliance writes its first line up to about 100 ms after taking its timestamp while
     * its logging warms up (later lines within a few), so a delay timed from when that line was
     * read comes out short by as much. A timestamp after the read (beyond its truncation to the
     * millisecond) or far before it is taken for a clock or zone mismatch and ignored.
     */
    public Instant loggedAt(NodeProcess.Line line) {
        return ownTimestamp(line.text())
                .filter(own -> !own.isAfter(line.at().plusMillis(1)))
                .filter(own -> own.isAfter(line.at().minus(OWN_CLOCK_TRUST)))
                .orElse(line.at());
    }

    /** The timestamp the node itself put on a line, if it has one to the millisecond. */
    Optional<Instant> ownTimestamp(String text) {
        return Optional.empty();
    }

    /**
     * Its first state change, the state it starts in ({@code (init)}), waiting up to
     * {@code timeout} for it: the appliance may log it just after its start line.
     */
    public StateChange awaitFirstState(Duration timeout) {
        return parse(process.awaitLine(0, statePattern, timeout)).orElseThrow();
    }

    /**
     * Waits until the latest state logged is {@code target} and returns the change into it
     * (at once if it is already).
     */
    public StateChange awaitState(VrrpState target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<StateChange> now = state();
            if (now.isPresent() && now.get().state() == target) {
                return now.get();
            }
            int from = now.map(c -> c.line().index() + 1).orElse(0);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                process.awaitLine(from, statePattern, left);
            } catch (LabException e) {
                throw new LabException(name() + " is " + now.map(c -> c.state().toString()).orElse("in no state yet")
                        + ", not " + target + ", after " + ProtocolTimes.seconds(timeout) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The addresses of its instance's family on its {@code e0} now (IPv6: the global ones). */
    public List<String> addresses() {
        return spec.isIpv6() ? lab.addresses6(host) : lab.addresses(host);
    }

    /** Whether all of its virtual addresses are on its {@code e0} now. */
    public boolean holdsVirtualAddresses() {
        return addresses().containsAll(spec.virtualAddresses());
    }

    /** Whether any of its virtual addresses is on its {@code e0} now. */
    public boolean holdsAnyVirtualAddress() {
        List<String> now = addresses();
        return spec.virtualAddresses().stream().anyMatch(now::contains);
    }

    /** SIGTERM, then waits for it to exit; returns the exit status. */
    public int stop(Duration timeout) {
        process.signal("TERM");
        int status = process.waitFor(timeout);
        lab.disown(this);
        return status;
    }

    /** Stops it if still running (SIGTERM, SIGKILL after a grace period). */
    @Override
    public void close() {
        process.close();
        lab.disown(this);
    }

    /** {@code appliance@n1 MASTER [10.99.0.1/24, 10.99.0.100/24]}. */
    public String describe() {
        return name() + " " + state().map(c -> c.state().toString()).orElse("(no state)") + " " + addresses();
    }

    @Override
    public String toString() {
        return name();
    }
}
