package appliance.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's view of a failover: {@code ping -D -n -i INTERVAL VIP} from a lab host, and the
 * largest gap between consecutive replies in a window, which is the outage.
 *
 * <p>The default interval is 9 ms, not 10: iputils ping 20221126 sleeps about 16 ms when asked
 * for 10 ms or more (measured: {@code -i 0.01} gives 63 replies a second, {@code -i 0.009} gives
 * 111), so 9 ms is the finest resolution near 10 ms. Reply times are ping's own
 * {@code -D} timestamps (gettimeofday, microseconds), comparable with {@link NodeProcess.Line#at()}.
 *
 * <p>ping cannot resolve an outage finer than 10 ms, whatever its interval: while a request is
 * unanswered it waits up to 10 ms for the reply before sending the next (iputils' MININTERVAL),
 * so during the outage it slows to 100 requests a second. {@link #startFine} is for measuring
 * outages of tens of milliseconds: {@code hping3} sends at a fixed pace whether or not replies
 * come, and {@code tcpdump} on the sender's interface timestamps the replies.
 */
public final class OutageProbe implements AutoCloseable {

    /** One echo reply: ping's receive timestamp and the ICMP sequence number. */
    public record Reply(Instant at, int seq) {
    }

    /**
     * The largest gap between consecutive replies in a window.
     *
     * @param lastBefore the last reply before the gap
     * @param firstAfter the first reply after it
     */
    public record Outage(Reply lastBefore, Reply firstAfter) {

        public Duration gap() {
            return Duration.between(lastBefore.at(), firstAfter.at());
        }

        /** Echo requests that got no reply in the gap (sequence numbers are 16 bits and wrap). */
        public int lost() {
            return (firstAfter.seq() - lastBefore.seq() - 1) & 0xffff;
        }

        @Override
        public String toString() {
            return ProtocolTimes.seconds(gap()) + " (" + lost() + " pings lost)";
        }
    }

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(9);
    private static final Pattern REPLY =
            Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from \\S+: icmp_seq=(\\d+) ");

    private static final Pattern CAPTURED_REPLY =
            Pattern.compile("^(\\d+)\\.(\\d{6}) IP6? \\S+ > \\S+: ICMP6?,? echo reply, id \\d+, seq (\\d+),");

    /** Where the replies are read: ping's output, or tcpdump's when hping3 sends. */
    private final NodeProcess ping;
    /** hping3 in fine mode, else null. */
    private final NodeProcess sender;
    private final Function<String, Optional<Reply>> parser;
    private final Duration interval;
    private final Lab lab;

    private OutageProbe(Lab lab, NodeProcess ping, NodeProcess sender, Function<String, Optional<Reply>> parser,
                        Duration interval) {
        this.lab = lab;
        this.ping = ping;
        this.sender = sender;
        this.parser = parser;
        this.interval = interval;
    }

    /** Pings {@code address} from the lab's client every {@link #DEFAULT_INTERVAL}; the lab owns the probe. */
    public static OutageProbe start(Lab lab, String address) {
        return start(lab, lab.client(), address, DEFAULT_INTERVAL);
    }

    /** Pings {@code address} (a prefix length is ignored) from {@code from} every {@code interval}. */
    public static OutageProbe start(Lab lab, Host from, String address, Duration interval) {
        String target = withoutPrefixLength(address);
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", interval.toNanos() / 1e9);
        NodeProcess ping = NodeProcess.start("ping@" + from.name(), from.namespace(),
                List.of("ping", "-D", "-n", "-i", seconds, target), lab.newFile(from.name() + "-ping", "log"));
        return lab.own(new OutageProbe(lab, ping, null, OutageProbe::parse, interval));
    }

    /**
     * Sends an echo request to {@code address} from {@code from} every {@code interval} (at least
     * 1 ms) with {@code hping3}, which keeps its pace while replies are missing, and reads the
     * replies' times off {@code tcpdump} on {@code from}'s interface (the wire's timestamps,
     * microseconds). Needs the hping3 and tcpdump packages.
     */
    public static OutageProbe startFine(Lab lab, Host from, String address, Duration interval) {
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
        }
        String target = withoutPrefixLength(address);
        boolean ipv6 = target.contains(":");
        // ip6[40]: the ICMPv6 type, right after the fixed header (echo requests carry no extension header).
        String filter = ipv6 ? "icmp6 and ip6[40] == 129 and src host " + target
                : "icmp[icmptype] == icmp-echoreply and src host " + target;
        NodeProcess capture = NodeProcess.start("tcpdump@" + from.name(), from.namespace(),
                List.of("tcpdump", "--immediate-mode", "-l", "-n", "-tt", "-i", Host.INTERFACE, filter),
                lab.newFile(from.name() + "-replies", "log"));
        // tcpdump says "listening on" once its filter is in place; only then may requests go.
        capture.awaitLine("listening on", Duration.ofSeconds(10));
        NodeProcess hping;
        try {
            String micros = Long.toString(interval.toNanos() / 1000);
            hping = ipv6
                    ? NodeProcess.start("echo6@" + from.name(), from.namespace(),
                            List.of("python3", echo6Script(lab).toString(), target, micros),
                            lab.newFile(from.name() + "-echo6", "log"))
                    : NodeProcess.start("hping3@" + from.name(), from.namespace(),
                            List.of("hping3", "--icmp", "-q", "-i", "u" + micros, target),
                            lab.newFile(from.name() + "-hping3", "log"));
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        return lab.own(new OutageProbe(lab, capture, hping, OutageProbe::parseCaptured, interval));
    }

    /** hping3 speaks IPv4 only: for IPv6 a short Python sender (python3 package) keeps the same fixed pace. */
    private static java.nio.file.Path echo6Script(Lab lab) {
        java.nio.file.Path script = lab.newFile("echo6", "py");
        try (var in = OutageProbe.class.getResourceAsStream("echo6.py")) {
            java.nio.file.Files.write(script, in.readAllBytes());
        } catch (java.io.IOException | NullPointerException e) {
            throw new LabException("cannot write the IPv6 echo sender to " + script + ": " + e);
        }
        return script;
    }

    private static String withoutPrefixLength(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    public Duration interval() {
        return interval;
    }

    /** Every reply so far, in order of arrival (duplicates left out). */
    public List<Reply> replies() {
        List<Reply> replies = new ArrayList<>();
        for (NodeProcess.Line line : ping.lines()) {
            parser.apply(line.text()).ifPresent(replies::add);
        }
        return replies;
    }

    /** The reply in one line of {@code ping -D -n} output, if it is one (DUP! lines are not). */
    static Optional<Reply> parse(String line) {
        Matcher m = REPLY.matcher(line);
        if (!m.find() || line.contains("DUP!")) {
            return Optional.empty();
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
        return Optional.of(new Reply(at, Integer.parseInt(m.group(3))));
    }

    /** A reply as tcpdump prints it: {@code 1795436267.881730 IP 10.99.0.100 > 10.99.0.200: ICMP echo reply, id 7, seq 9, length 8}. */
    static Optional<Reply> parseCaptured(String line) {
        Matcher m = CAPTURED_REPLY.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
        return Optional.of(new Reply(at, Integer.parseInt(m.group(3))));
    }

    /** Waits for the first reply received after {@code instant}: pings flow (again). */
    public Reply awaitReplyAfter(Instant instant, Duration timeout) {
        NodeProcess.Line line = ping.awaitLine(0,
                text -> parser.apply(text).map(r -> r.at().isAfter(instant)).orElse(false),
                "an echo reply after " + instant, timeout);
        return parser.apply(line.text()).orElseThrow();
    }

    /**
     * The largest gap between consecutive replies from the last reply before {@code from} up
     * to {@code to}. Throws if no reply came after {@code from}: the outage is not over.
     */
    public Outage outage(Instant from, Instant to) {
        return largestGap(replies(), from, to);
    }

    static Outage largestGap(List<Reply> replies, Instant from, Instant to) {
        Reply previous = null;
        Outage largest = null;
        for (Reply reply : replies) {
            if (reply.at().isAfter(to)) {
                break;
            }
            if (reply.at().isBefore(from)) {
                previous = reply;
                continue;
            }
            if (previous != null) {
                Outage gap = new Outage(previous, reply);
                if (largest == null || gap.gap().compareTo(largest.gap()) > 0) {
                    largest = gap;
                }
            }
            previous = reply;
        }
        if (largest == null) {
            throw new LabException("no two replies around " + from + ".." + to + " (" + replies.size()
                    + " replies in all): the outage is not over or pings never flowed");
        }
        return largest;
    }

    /** The ping process, for its raw output. */
    public NodeProcess process() {
        return ping;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        ping.close();
        lab.disown(this);
    }

    @Override
    public String toString() {
        return ping.name();
    }
}
