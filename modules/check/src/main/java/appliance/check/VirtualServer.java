package appliance.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual server as keepalived's {@code virtual_server}: what its real servers are checked
 * against. {@code lbAlgo}, {@code lbKind}, the persistence timeout and the sorry server are only
 * IPVS's. {@code smtpAlert} is keepalived's smtp_alert: an e-mail when it gains or loses quorum
 * (default off); {@code notifies} its quorum scripts. With a {@code fwmark} (keepalived's
 * {@code virtual_server fwmark N}) IPVS matches packets by that mark rather than by address and
 * port: the address is then the family's any-address and the port 0; so too with a {@code group}
 * (keepalived's {@code virtual_server group NAME}), whose entries are its IPVS services.
 */
public record VirtualServer(InetAddress address, int port, Protocol protocol, Duration delayLoop, String lbAlgo,
                            String lbKind, Optional<Duration> persistenceTimeout,
                            Optional<InetSocketAddress> sorryServer, List<RealServer> realServers, int quorum,
                            int hysteresis, boolean smtpAlert, Notifies notifies, int fwmark,
                            Optional<ServiceGroup> group, IpvsOptions ipvs) {

    /**
     * IPVS's options beyond the scheduler's name: keepalived's persistence_granularity (an IPv4
     * netmask, or an IPv6 prefix length, as written), the scheduler's flags (flag-1..3, sh-port,
     * sh-fallback, mh-port, mh-fallback), ops (one-packet scheduling), sorry_server_inhibit (the
     * sorry server stays in the table at weight 0 while quorum holds) and sorry_server_lvs_method
     * (its forwarding, else the virtual server's).
     */
    public record IpvsOptions(Optional<String> persistenceGranularity, java.util.Set<String> flags, boolean onePacket,
                              boolean sorryServerInhibit, Optional<String> sorryServerLvsMethod) {

        public static final IpvsOptions NONE = new IpvsOptions(Optional.empty(), java.util.Set.of(), false, false,
                Optional.empty());

        public IpvsOptions(Optional<String> persistenceGranularity, java.util.Set<String> flags, boolean onePacket) {
            this(persistenceGranularity, flags, onePacket, false, Optional.empty());
        }

        /** keepalived's flag keywords; sh-* and mh-* only for their scheduler. */
        public static final java.util.Set<String> FLAGS = java.util.Set.of("flag-1", "flag-2", "flag-3", "sh-port",
                "sh-fallback", "mh-port", "mh-fallback");

        public IpvsOptions {
            Objects.requireNonNull(persistenceGranularity, "persistenceGranularity");
            Objects.requireNonNull(sorryServerLvsMethod, "sorryServerLvsMethod");
            flags = java.util.Set.copyOf(flags);
            for (String f : flags) {
                if (!FLAGS.contains(f)) {
                    throw new IllegalArgumentException("unknown scheduler flag " + f + " (known: " + String.join(", ",
                            new java.util.TreeSet<>(FLAGS)) + ")");
                }
            }
        }
    }

    /**
     * keepalived's quorum_up and quorum_down: command lines run when the virtual server gains or
     * loses quorum; with {@code omega}, at stop too (quorum_down, and each alive real server's
     * notify_down), as keepalived's omega.
     */
    public record Notifies(Optional<String> quorumUp, Optional<String> quorumDown, boolean omega) {

        public static final Notifies NONE = new Notifies(Optional.empty(), Optional.empty(), false);

        public Notifies {
            Objects.requireNonNull(quorumUp, "quorumUp");
            Objects.requireNonNull(quorumDown, "quorumDown");
        }
    }

    /** keepalived's defaults: quorum 1, hysteresis 0. */
    public VirtualServer(InetAddress address, int port, Protocol protocol, Duration delayLoop, String lbAlgo,
                         String lbKind, Optional<Duration> persistenceTimeout, Optional<InetSocketAddress> sorryServer,
                         List<RealServer> realServers) {
        this(address, port, protocol, delayLoop, lbAlgo, lbKind, persistenceTimeout, sorryServer, realServers, 1, 0);
    }

    /** Without e-mail alerts, keepalived's default for a virtual server. */
    public VirtualServer(InetAddress address, int port, Protocol protocol, Duration delayLoop, String lbAlgo,
                         String lbKind, Optional<Duration> persistenceTimeout, Optional<InetSocketAddress> sorryServer,
                         List<RealServer> realServers, int quorum, int hysteresis) {
        this(address, port, protocol, delayLoop, lbAlgo, lbKind, persistenceTimeout, sorryServer, realServers, quorum,
                hysteresis, false, Notifies.NONE);
    }

    /** Matched by address and port. */
    public VirtualServer(InetAddress address, int port, Protocol protocol, Duration delayLoop, String lbAlgo,
                         String lbKind, Optional<Duration> persistenceTimeout, Optional<InetSocketAddress> sorryServer,
                         List<RealServer> realServers, int quorum, int hysteresis, boolean smtpAlert, Notifies notifies) {
        this(address, port, protocol, delayLoop, lbAlgo, lbKind, persistenceTimeout, sorryServer, realServers, quorum,
                hysteresis, smtpAlert, notifies, 0, Optional.empty(), IpvsOptions.NONE);
    }

    public VirtualServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(delayLoop, "delayLoop");
        Objects.requireNonNull(lbAlgo, "lbAlgo");
        Objects.requireNonNull(lbKind, "lbKind");
        Objects.requireNonNull(persistenceTimeout, "persistenceTimeout");
        Objects.requireNonNull(sorryServer, "sorryServer");
        Objects.requireNonNull(notifies, "notifies");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(ipvs, "ipvs");
        for (String f : ipvs.flags()) {
            if ((f.startsWith("sh-") && !lbAlgo.equals("sh")) || (f.startsWith("mh-") && !lbAlgo.equals("mh"))) {
                throw new IllegalArgumentException(f + " only applies to the " + f.substring(0, 2) + " scheduler, not "
                        + lbAlgo);
            }
        }
        if ((fwmark != 0 || group.isPresent()) && (port != 0 || !address.isAnyLocalAddress())) {
            throw new IllegalArgumentException("a fwmark or group virtual server has no address or port of its own");
        }
        realServers = List.copyOf(realServers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (quorum < 1 || hysteresis < 0) {
            throw new IllegalArgumentException("quorum must be >= 1 and hysteresis >= 0, were " + quorum + " and "
                    + hysteresis);
        }
    }

    /**
     * keepalived's quorum rule, given whether the virtual server {@code had} quorum and the weights
     * of its alive real servers ({@code live}): quorum is clamped to the total weight and
     * hysteresis to quorum - 1; it is lost when live is 0 or below quorum - hysteresis, and
     * gained again at quorum + hysteresis.
     */
    public boolean hasQuorum(boolean had, long live) {
        long q = effectiveQuorum();
        long h = effectiveHysteresis(q);
        if (live == 0) {
            return false;
        }
        return had ? live >= q - h : live >= q + h;
    }

    /** The line keepalived logs when quorum is lost or gained, {@code live} the alive weight. */
    public String quorumLine(boolean gained, long live) {
        long q = effectiveQuorum();
        long h = effectiveHysteresis(q);
        return gained ? "Gained quorum " + q + "+" + h + "=" + (q + h) + " <= " + live + " for VS " + text()
                : "Lost quorum " + q + "-" + h + "=" + (q - h) + " > " + live + " for VS " + text();
    }

    /** keepalived's e-mail body when quorum is gained or lost: its "+" and threshold even when lost. */
    public String quorumMail(boolean gained, long live) {
        long q = effectiveQuorum();
        long h = effectiveHysteresis(q);
        return "=> " + (gained ? "Gained quorum " : "Lost quorum ") + q + "+" + h + "=" + (gained ? q + h : q - h) + " <= "
                + live + " <=";
    }

    /** keepalived clamps quorum to the real servers' total weight ... */
    private long effectiveQuorum() {
        return Math.min(quorum, realServers.stream().mapToLong(RealServer::weight).sum());
    }

    /** ... and hysteresis to quorum - 1. */
    private long effectiveHysteresis(long effectiveQuorum) {
        return Math.min(hysteresis, Math.max(0, effectiveQuorum - 1));
    }

    /** As keepalived prints a virtual server: {@code [10.97.0.100]:tcp:80}, {@code FWM 1}, or {@code [NAME]:0} for a group. */
    public String text() {
        return group.isPresent() ? "[" + group.get().name() + "]:" + port
                : fwmark != 0 ? "FWM " + Integer.toUnsignedString(fwmark) : endpoint(address, protocol, port);
    }

    /** As keepalived prints a real server: {@code [10.98.0.12]:tcp:80}. */
    public String text(RealServer rs) {
        return endpoint(rs.address(), protocol, rs.port());
    }

    /** As keepalived prints a service: {@code [10.97.0.100]:tcp:80}. */
    public static String endpoint(InetAddress address, Protocol protocol, int port) {
        return "[" + address.getHostAddress() + "]:" + protocol.text() + ":" + port;
    }
}
