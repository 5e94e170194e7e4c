package appliance.config;

import appliance.check.CheckSpec;
import appliance.check.CheckTiming;
import appliance.check.CheckType;
import appliance.check.HttpCheck;
import appliance.check.HttpUrl;
import appliance.check.LocalEnd;
import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.StatusCodes;
import appliance.check.TcpCheck;
import appliance.check.UrlRegex;
import appliance.check.VirtualServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code virtual-servers = [ { address, port, protocol, delay-loop, lb-algo, lb-kind,
 * persistence-timeout, sorry-server, real-servers = [ { address, port, weight, checks = [...] } ] } ]},
 * keepalived's virtual_server in kebab-case, into the check module's model. Every problem is
 * reported with its key path and line; what is wrong reads as null.
 */
final class VirtualServersReader {

    static final String KEY = "virtual-servers";
    /** keepalived's virtual_server_group blocks: { NAME = ["10.97.0.100 80", "10.97.0.101-110 80", "fwmark 7"] }. */
    static final String GROUPS_KEY = "virtual-server-groups";
    static final Set<String> LB_ALGOS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo",
            "ovf", "mh");
    static final Set<String> LB_KINDS = Set.of("NAT", "DR", "TUN");
    private static final Set<String> VS_KEYS = Set.of("address", "port", "protocol", "delay-loop", "lb-algo", "lb-kind",
            "persistence-timeout", "sorry-server", "real-servers", "quorum", "hysteresis", "smtp-alert", "quorum-up", "quorum-down",
            "omega", "inhibit-on-failure", "fwmark", "ip-family", "group", "persistence-granularity", "scheduler-flags", "ops",
            "sorry-server-inhibit", "sorry-server-lvs-method");
    private static final Set<String> RS_KEYS = Set.of("address", "port", "weight", "checks", "notify-up", "notify-down",
            "smtp-alert", "inhibit-on-failure", "uthreshold", "lthreshold");
    /** keepalived's notify_up/notify_down: a command line split as keepalived splits it, with an absolute program. */
    private static void commandLine(String command) {
        if (!command.isEmpty() && !appliance.script.CommandLine.split(command).get(0).startsWith("/")) {
            throw new IllegalArgumentException("the program must be an absolute path, got \"" + command + "\"");
        }
    }

    private static final Set<String> ENDPOINT_KEYS = Set.of("address", "port");
    /** Every check's keys; the connection's too except for the checks that run here (misc, file). */
    private static final Set<String> COMMON_KEYS = Set.of("type", "retry", "delay-before-retry", "delay-loop", "warmup",
            "alpha", "log-all-failures");
    private static final Set<String> CONNECTION_KEYS = Set.of("connect-timeout", "connect-ip", "connect-port", "bind-to",
            "bind-port", "bind-if", "fwmark");
    private static final Set<String> HTTP_KEYS = Set.of("urls", "virtualhost", "enable-sni", "http-protocol");
    private static final Set<String> SMTP_KEYS = Set.of("helo-name", "hosts");
    private static final Set<String> DNS_KEYS = Set.of("type-of-query", "name");
    private static final Set<String> UDP_KEYS = Set.of("payload", "require-reply", "min-reply-length", "max-reply-length");
    private static final Set<String> HOST_KEYS = Set.of("connect-ip", "connect-port", "bind-to", "bind-port", "bind-if",
            "fwmark");
    private static final Set<String> URL_KEYS = Set.of("path", "digest", "status-code", "regex", "regex-no-match",
            "regex-min-offset", "regex-max-offset", "regex-options");
    /** keepalived's checkers this appliance does not have yet: named in the error rather than called unknown. */
    private static final Set<String> NOT_YET = Set.of("bfd-check");
    private static final String HAVE = "ping-check, tcp-check, http-get, ssl-get, smtp-check, udp-check, dns-check,"
            + " misc-check, file-check";
    /** An echo has no port and no local end to choose. */
    private static final Set<String> PING_KEYS = Set.of("connect-ip", "connect-timeout");

    private final AddressReader.Problems problems;
    private boolean logAllFailures;
    /** The virtual_server_group definitions by name; null when they could not be read (reported). */
    private java.util.Map<String, appliance.check.ServiceGroup> groups = java.util.Map.of();
    private final VrrpGlobalsReader.Mail mail;

    /** {@code mail}: the global e-mail settings, for smtp-alert's defaults (null when they were wrong). */
    VirtualServersReader(AddressReader.Problems problems, VrrpGlobalsReader.Mail mail) {
        this.problems = problems;
        this.mail = mail == null ? VrrpGlobalsReader.Mail.NONE : mail;
    }

    /** The virtual servers, an empty list without the key, null when something was wrong (reported). */
    List<VirtualServer> read(Config root) {
        if (!root.hasPath(KEY)) {
            return List.of();
        }
        // keepalived's global checker_log_all_failures: every check's default.
        if (root.hasPath("global") && root.getValue("global").valueType() == ConfigValueType.OBJECT) {
            Boolean all = new KeyReader(problems, "global", root.getObject("global")).bool("checker-log-all-failures", false);
            logAllFailures = all != null && all;
        }
        groups = groups(root);
        ConfigValue v = root.getValue(KEY);
        if (v.valueType() != ConfigValueType.LIST) {
            problems.problem(v.origin(), KEY, "must be a list of virtual servers like [{ address = \"10.97.0.100\","
                    + " port = 80, real-servers = [...] }], got " + KeyReader.describe(v));
            return null;
        }
        List<VirtualServer> result = new ArrayList<>();
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            VirtualServer vs = virtualServer(list.get(i), KEY + "[" + i + "]");
            ok &= vs != null;
            if (vs != null) {
                result.add(vs);
            }
        }
        return ok ? result : null;
    }

    private KeyReader object(ConfigValue v, String path, Set<String> known, String example) {
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), path, "must be an object like " + example + ", got " + KeyReader.describe(v));
            return null;
        }
        problems.unknownKeys((ConfigObject) v, path, known);
        return new KeyReader(problems, path, (ConfigObject) v);
    }

    private VirtualServer virtualServer(ConfigValue v, String path) {
        KeyReader r = object(v, path, VS_KEYS, "{ address = \"10.97.0.100\", port = 80, real-servers = [...] }");
        if (r == null) {
            return null;
        }
        Integer fwmark = r.integer("fwmark", 0, n -> {
            if (n < 1) {
                throw new IllegalArgumentException("must be a mark of 1 or more, was " + n);
            }
        });
        String family = r.string("ip-family", "", f -> oneOf(f, Set.of("inet", "inet6")));
        String groupName = r.string("group", "", g -> {
            if (groups != null && !groups.containsKey(g)) {
                throw new IllegalArgumentException("names no virtual server group: " + g + (groups.isEmpty() ? " (there are"
                        + " none in " + GROUPS_KEY + ")" : " (known: " + String.join(", ", new java.util.TreeSet<>(
                        groups.keySet())) + ")"));
            }
        });
        Optional<appliance.check.ServiceGroup> group = groupName == null || groupName.isEmpty() || groups == null
                ? Optional.empty() : Optional.of(groups.get(groupName));
        InetAddress address;
        Integer port;
        if (r.config.hasPath("group")) {
            for (String key : List.of("address", "port", "fwmark")) {
                if (r.config.hasPath(key)) {
                    problems.problem(r.config.getValue(key).origin(), path + "." + key, "a group virtual server has no "
                            + key + ": its group's entries are its services");
                }
            }
            address = anyAddress(group.isPresent() && group.get().entries().get(0).inet6() ? "inet6" : "inet", r);
            port = 0;
        } else if (fwmark != null && fwmark != 0) {
            for (String key : List.of("address", "port")) {
                if (r.config.hasPath(key)) {
                    problems.problem(r.config.getValue(key).origin(), path + "." + key, "a fwmark virtual server has no "
                            + key + ": IPVS matches the packets' mark");
                }
            }
            address = anyAddress(family, r);
            port = 0;
        } else {
            address = address(r, "address", null);
            port = r.integer("port", null, VirtualServersReader::port);
        }
        String protocolText = r.string("protocol", "TCP", p -> {
            if (!Set.of("TCP", "UDP", "SCTP").contains(p.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("must be TCP, UDP or SCTP, got \"" + p + "\"");
            }
        });
        Duration delayLoop = r.duration("delay-loop", CheckTiming.DEFAULT_DELAY_LOOP);
        if (delayLoop != null && (delayLoop.isZero() || delayLoop.isNegative())) {
            problems.problem(r.config.getValue("delay-loop").origin(), path + ".delay-loop", "must be positive");
            delayLoop = null;
        }
        String lbAlgo = r.string("lb-algo", "wlc", a -> oneOf(a, LB_ALGOS));
        String lbKind = r.string("lb-kind", "NAT", k -> oneOf(k, LB_KINDS));
        Duration persistence = r.config.hasPath("persistence-timeout") ? r.duration("persistence-timeout", null) : null;
        Optional<InetSocketAddress> sorry = Optional.empty();
        boolean ok = true;
        if (r.config.hasPath("sorry-server")) {
            KeyReader s = object(r.config.getValue("sorry-server"), path + ".sorry-server", ENDPOINT_KEYS,
                    "{ address = \"127.0.0.1\", port = 80 }");
            InetAddress sa = s == null ? null : address(s, "address", null);
            Integer sp = s == null ? null : s.integer("port", port == null ? 0 : port, VirtualServersReader::port);
            ok = sa != null && sp != null;
            sorry = ok ? Optional.of(new InetSocketAddress(sa, sp)) : sorry;
        }
        Boolean inhibit = r.bool("inhibit-on-failure", false);
        List<RealServer> realServers = realServers(r, path, address == null ? null : port, delayLoop,
                inhibit != null && inhibit);
        Integer quorum = r.integer("quorum", 1, q -> {
            if (q < 1) {
                throw new IllegalArgumentException("must be >= 1, was " + q);
            }
        });
        Integer hysteresis = r.integer("hysteresis", 0, h -> {
            if (h < 0) {
                throw new IllegalArgumentException("must be >= 0, was " + h);
            }
        });
        Boolean smtpAlert = smtpAlert(r, path, false);
        String quorumUp = r.string("quorum-up", "", VirtualServersReader::commandLine);
        String quorumDown = r.string("quorum-down", "", VirtualServersReader::commandLine);
        Boolean omega = r.bool("omega", false);
        String granularity = r.string("persistence-granularity", "", g -> granularity(g, address));
        List<String> flags = words(r, "scheduler-flags");
        Boolean ops = r.bool("ops", false);
        if (flags != null && lbAlgo != null) {
            for (String f : flags) {
                String wrong = !VirtualServer.IpvsOptions.FLAGS.contains(f) ? f + " is not a scheduler flag (known: "
                        + String.join(", ", new java.util.TreeSet<>(VirtualServer.IpvsOptions.FLAGS)) + ")"
                        : (f.startsWith("sh-") && !lbAlgo.equals("sh")) || (f.startsWith("mh-") && !lbAlgo.equals("mh"))
                        ? f + " only applies to the " + f.substring(0, 2) + " scheduler, not " + lbAlgo : null;
                if (wrong != null) {
                    problems.problem(r.config.getValue("scheduler-flags").origin(), path + ".scheduler-flags", wrong);
                    flags = null;
                    break;
                }
            }
        }
        Boolean sorryInhibit = r.bool("sorry-server-inhibit", false);
        String sorryMethod = r.string("sorry-server-lvs-method", "", m -> oneOf(m, LB_KINDS));
        if (granularity != null && !granularity.isEmpty() && group.isPresent()) {
            boolean v6 = !granularity.contains(".");
            for (appliance.check.ServiceGroup.Entry e : group.get().entries()) {
                if (e.inet6() != v6) {
                    problems.problem(r.config.getValue("persistence-granularity").origin(), path + ".persistence-granularity",
                            granularity + " is an " + (v6 ? "IPv6" : "IPv4") + " granularity, but the group's " + e
                                    + " is " + (e.inet6() ? "IPv6" : "IPv4"));
                    granularity = null;
                    break;
                }
            }
        }
        if (granularity != null && !granularity.isEmpty() && persistence == null && !r.config.hasPath("persistence-timeout")) {
            persistence = Duration.ofSeconds(360); // keepalived: a granularity without a timeout means IPVS's 6 minutes
        }
        if (!ok || address == null || port == null || protocolText == null || delayLoop == null || lbAlgo == null
                || granularity == null || flags == null || ops == null || sorryInhibit == null || sorryMethod == null
                || lbKind == null || realServers == null || quorum == null || hysteresis == null || smtpAlert == null
                || quorumUp == null || quorumDown == null || omega == null || inhibit == null || fwmark == null
                || family == null || groupName == null
                || (r.config.hasPath("persistence-timeout") && persistence == null)) {
            return null;
        }
        try {
            return new VirtualServer(address, port, Protocol.valueOf(protocolText.toUpperCase(Locale.ROOT)), delayLoop,
                    lbAlgo, lbKind, Optional.ofNullable(persistence), sorry, realServers, quorum, hysteresis, smtpAlert,
                    new VirtualServer.Notifies(quorumUp.isEmpty() ? Optional.empty() : Optional.of(quorumUp),
                            quorumDown.isEmpty() ? Optional.empty() : Optional.of(quorumDown), omega),
                    fwmark == null ? 0 : fwmark, group, new VirtualServer.IpvsOptions(granularity.isEmpty() ? Optional.empty()
                            : Optional.of(granularity), new java.util.HashSet<>(flags), ops, sorryInhibit,
                            sorryMethod.isEmpty() ? Optional.empty() : Optional.of(sorryMethod)));
        } catch (IllegalArgumentException e) {
            problems.problem(r.object.origin(), path, e.getMessage());
            return null;
        }
    }

    /** keepalived's persistence_granularity: an IPv4 netmask, or an IPv6 prefix length (1..128). */
    private static void granularity(String g, InetAddress vs) {
        boolean v6 = vs != null ? vs instanceof java.net.Inet6Address : !g.contains(".");
        if (v6) {
            int n;
            try {
                n = Integer.parseInt(g);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 128) {
                throw new IllegalArgumentException("an IPv6 granularity is a prefix length 1..128, got \"" + g + "\"");
            }
        } else if (!g.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("an IPv4 granularity is a netmask like 255.255.255.0, got \"" + g + "\"");
        }
    }

    /** The virtual_server_group definitions; null when one is wrong (reported). */
    private java.util.Map<String, appliance.check.ServiceGroup> groups(Config root) {
        if (!root.hasPath(GROUPS_KEY)) {
            return java.util.Map.of();
        }
        ConfigValue v = root.getValue(GROUPS_KEY);
        String example = "{ web = [\"10.97.0.100 80\", \"10.97.0.101-110 80\", \"fwmark 7\"] }";
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), GROUPS_KEY, "must be an object like " + example + ", got " + KeyReader.describe(v));
            return null;
        }
        java.util.Map<String, appliance.check.ServiceGroup> out = new java.util.LinkedHashMap<>();
        boolean ok = true;
        for (java.util.Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
            String path = GROUPS_KEY + "." + e.getKey();
            if (e.getValue().valueType() != ConfigValueType.LIST) {
                problems.problem(e.getValue().origin(), path, "must be a list of lines like " + example);
                ok = false;
                continue;
            }
            List<appliance.check.ServiceGroup.Entry> entries = new ArrayList<>();
            ConfigList lines = (ConfigList) e.getValue();
            for (int i = 0; i < lines.size(); i++) {
                try {
                    entries.add(appliance.check.ServiceGroup.Entry.parse(String.valueOf(lines.get(i).unwrapped())));
                } catch (IllegalArgumentException x) {
                    problems.problem(lines.get(i).origin(), path + "[" + i + "]", x.getMessage());
                    ok = false;
                }
            }
            try {
                out.put(e.getKey(), new appliance.check.ServiceGroup(e.getKey(), entries));
            } catch (IllegalArgumentException x) {
                problems.problem(e.getValue().origin(), path, x.getMessage());
                ok = false;
            }
        }
        return ok ? out : null;
    }

    /**
     * A fwmark virtual server's family, as keepalived's: its ip-family, else its real servers'
     * (the first one's), else IPv4; as the family's any-address.
     */
    private static InetAddress anyAddress(String family, KeyReader r) {
        boolean v6 = "inet6".equals(family);
        if ((family == null || family.isEmpty()) && r.config.hasPath("real-servers")
                && r.config.getValue("real-servers").valueType() == ConfigValueType.LIST) {
            ConfigList list = (ConfigList) r.config.getValue("real-servers");
            if (!list.isEmpty() && list.get(0).valueType() == ConfigValueType.OBJECT
                    && ((ConfigObject) list.get(0)).toConfig().hasPath("address")) {
                v6 = ((ConfigObject) list.get(0)).toConfig().getValue("address").unwrapped().toString().contains(":");
            }
        }
        try {
            return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code inhibit}: the virtual server's inhibit-on-failure, each real server's default. */
    private List<RealServer> realServers(KeyReader vs, String path, Integer vsPort, Duration delayLoop, boolean inhibit) {
        if (!vs.config.hasPath("real-servers")) {
            return List.of();
        }
        ConfigValue v = vs.config.getValue("real-servers");
        String listPath = path + ".real-servers";
        if (v.valueType() != ConfigValueType.LIST) {
            problems.problem(v.origin(), listPath, "must be a list of real servers, got " + KeyReader.describe(v));
            return null;
        }
        List<RealServer> result = new ArrayList<>();
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String p = listPath + "[" + i + "]";
            KeyReader r = object(list.get(i), p, RS_KEYS, "{ address = \"10.98.0.16\", port = 80, checks = [...] }");
            if (r == null) {
                ok = false;
                continue;
            }
            InetAddress address = address(r, "address", null);
            Integer port = r.integer("port", vsPort == null ? 0 : vsPort, VirtualServersReader::port);
            Integer weight = r.integer("weight", 1, w -> {
                if (w < 0 || w > 65535) {
                    throw new IllegalArgumentException("must be 0..65535, was " + w);
                }
            });
            List<CheckSpec> checks = address == null || port == null || delayLoop == null ? null
                    : checks(r, p, new InetSocketAddress(address, port), delayLoop);
            String up = r.string("notify-up", "", VirtualServersReader::commandLine);
            String down = r.string("notify-down", "", VirtualServersReader::commandLine);
            Boolean smtpAlert = smtpAlert(r, p, true);
            Boolean inhibitOnFailure = r.bool("inhibit-on-failure", inhibit);
            Integer upper = r.integer("uthreshold", 0, n -> {
                if (n < 0) {
                    throw new IllegalArgumentException("must be >= 0 (0: no limit), was " + n);
                }
            });
            Integer lower = r.integer("lthreshold", 0, n -> {
                if (n < 0) {
                    throw new IllegalArgumentException("must be >= 0, was " + n);
                }
            });
            if (address == null || port == null || weight == null || checks == null || up == null || down == null
                    || smtpAlert == null || inhibitOnFailure == null || upper == null || lower == null) {
                ok = false;
                continue;
            }
            try {
                result.add(new RealServer(address, port, weight, checks, up.isEmpty() ? Optional.empty() : Optional.of(up),
                        down.isEmpty() ? Optional.empty() : Optional.of(down), smtpAlert, inhibitOnFailure, upper, lower));
            } catch (IllegalArgumentException e) {
                problems.problem(r.object.origin(), p, e.getMessage());
                ok = false;
            }
        }
        return ok ? result : null;
    }

    /**
     * keepalived's smtp_alert on a virtual or real server: its own, else global smtp-alert-checker,
     * else global smtp-alert, else on for a real server and off for a virtual server. Null when wrong.
     */
    private Boolean smtpAlert(KeyReader r, String path, boolean keepalivedsDefault) {
        Boolean alert = r.bool("smtp-alert", mail.checkerAlert().orElse(keepalivedsDefault));
        if (alert != null && r.config.hasPath("smtp-alert") && alert && mail.settings().isEmpty()) {
            problems.problem(r.config.getValue("smtp-alert").origin(), path + ".smtp-alert",
                    "needs global.smtp-server and global.notification-email");
            return null;
        }
        return alert;
    }

    private List<CheckSpec> checks(KeyReader rs, String path, InetSocketAddress server, Duration vsDelayLoop) {
        if (!rs.config.hasPath("checks")) {
            return List.of();
        }
        ConfigValue v = rs.config.getValue("checks");
        if (v.valueType() != ConfigValueType.LIST) {
            problems.problem(v.origin(), path + ".checks", "must be a list of checks like [{ type = tcp-check }], got "
                    + KeyReader.describe(v));
            return null;
        }
        List<CheckSpec> result = new ArrayList<>();
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            List<CheckSpec> c = check(list.get(i), path + ".checks[" + i + "]", server, vsDelayLoop);
            ok &= c != null;
            if (c != null) {
                result.addAll(c);
            }
        }
        return ok ? result : null;
    }

    /** One check, or for an smtp-check with hosts one per host; null when wrong (reported). */
    private List<CheckSpec> check(ConfigValue v, String path, InetSocketAddress server, Duration vsDelayLoop) {
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), path, "must be an object like { type = tcp-check }, got " + KeyReader.describe(v));
            return null;
        }
        KeyReader r = new KeyReader(problems, path, (ConfigObject) v);
        String typeText = r.string("type", null, t -> {
            if (NOT_YET.contains(t)) {
                throw new IllegalArgumentException(t.toUpperCase(Locale.ROOT).replace('-', '_')
                        + " is not supported yet (this appliance has " + HAVE + ")");
            }
            if (CheckType.ofKey(t) == null) {
                throw new IllegalArgumentException("unknown check type \"" + t + "\"; known: " + HAVE);
            }
        });
        if (typeText == null) {
            return null;
        }
        CheckType type = CheckType.ofKey(typeText);
        boolean http = type == CheckType.HTTP_GET || type == CheckType.SSL_GET;
        Set<String> known = new java.util.HashSet<>(COMMON_KEYS);
        boolean local = type == CheckType.MISC_CHECK || type == CheckType.FILE_CHECK;
        known.addAll(local ? LocalChecksReader.keys(type) : type == CheckType.PING_CHECK ? PING_KEYS : CONNECTION_KEYS);
        if (http) {
            known.addAll(HTTP_KEYS);
        }
        if (type == CheckType.SMTP_CHECK) {
            known.addAll(SMTP_KEYS);
        }
        if (type == CheckType.UDP_CHECK) {
            known.addAll(UDP_KEYS);
        }
        if (type == CheckType.DNS_CHECK) {
            known.addAll(DNS_KEYS);
        }
        problems.unknownKeys(r.object, path, known);
        Duration delayLoop = r.duration("delay-loop", vsDelayLoop);
        CheckTiming d = delayLoop == null ? null : CheckTiming.defaults(type, delayLoop);
        Duration connectTimeout = r.duration("connect-timeout", CheckTiming.DEFAULT_CONNECT_TIMEOUT);
        Integer retry = r.integer("retry", type.defaultRetry(), n -> {
            if (n < 0) {
                throw new IllegalArgumentException("must be >= 0, was " + n);
            }
        });
        Duration delayBeforeRetry = r.duration("delay-before-retry",
                d == null ? Duration.ofSeconds(1) : d.delayBeforeRetry());
        Duration warmup = r.duration("warmup", d == null ? Duration.ZERO : d.warmup());
        Boolean alpha = r.bool("alpha", false);
        Boolean logAll = r.bool("log-all-failures", logAllFailures);
        InetAddress connectIp = address(r, "connect-ip", server.getAddress());
        Integer connectPort = r.integer("connect-port", server.getPort(), VirtualServersReader::port);
        InetAddress bindTo = r.config.hasPath("bind-to") ? address(r, "bind-to", null) : null;
        Integer bindPort = r.integer("bind-port", 0, VirtualServersReader::port);
        if (delayLoop == null || connectTimeout == null || retry == null || delayBeforeRetry == null || warmup == null
                || alpha == null || logAll == null || connectIp == null || connectPort == null || bindPort == null
                || (r.config.hasPath("bind-to") && bindTo == null)) {
            return null;
        }
        if (connectPort == 0 && !local && type != CheckType.PING_CHECK) {
            problems.problem(r.object.origin(), path + ".connect-port", "missing: the real server has no port either");
            return null;
        }
        LocalEnd bind = localEnd(r, bindTo, bindPort, LocalEnd.ANY);
        if (bind == null) {
            return null;
        }
        InetSocketAddress target = new InetSocketAddress(connectIp, connectPort);
        try {
            CheckTiming timing = new CheckTiming(connectTimeout, delayLoop, retry, delayBeforeRetry, warmup, alpha, logAll);
            if (type == CheckType.TCP_CHECK) {
                return List.of(new TcpCheck(target, bind, timing));
            }
            if (type == CheckType.PING_CHECK) {
                return List.of(new appliance.check.PingCheck(target, timing));
            }
            if (local) {
                CheckSpec c = type == CheckType.MISC_CHECK ? LocalChecksReader.misc(r, server, timing)
                        : LocalChecksReader.file(r, server, timing);
                return c == null ? null : List.of(c);
            }
            if (type == CheckType.SMTP_CHECK) {
                return smtpChecks(r, path, target, bind, timing);
            }
            if (type == CheckType.UDP_CHECK) {
                appliance.check.UdpCheck udp = udpCheck(r, target, bind, timing);
                return udp == null ? null : List.of(udp);
            }
            if (type == CheckType.DNS_CHECK) {
                String query = r.string("type-of-query", "SOA", q -> appliance.check.DnsCheck.checkType(q));
                String name = r.string("name", "", n -> { });
                return query == null || name == null ? null
                        : List.of(new appliance.check.DnsCheck(target, bind, timing, query.toUpperCase(java.util.Locale.ROOT), name));
            }
            List<HttpUrl> urls = urls(r, path);
            String vhost = r.string("virtualhost", "", h -> { });
            Boolean sni = r.bool("enable-sni", false);
            String protocol = r.string("http-protocol", "1.0", HttpCheck.HttpProtocol::of);
            if (urls == null || vhost == null || sni == null || protocol == null) {
                return null;
            }
            return List.of(new HttpCheck(type, target, bind, timing, urls,
                    vhost.isEmpty() ? Optional.empty() : Optional.of(vhost), sni, HttpCheck.HttpProtocol.of(protocol)));
        } catch (IllegalArgumentException e) {
            problems.problem(r.object.origin(), path, e.getMessage());
            return null;
        }
    }

    /**
     * An smtp-check: one for its own target, or with keepalived's deprecated {@code hosts} one per
     * host (each host's connect-ip, connect-port, bind-to and bind-port default to the check's).
     */
    private List<CheckSpec> smtpChecks(KeyReader r, String path, InetSocketAddress target,
                                       LocalEnd bind, CheckTiming timing) {
        String helo = r.string("helo-name", appliance.check.SmtpCheck.DEFAULT_HELO, h -> { });
        if (helo == null) {
            return null;
        }
        if (!r.config.hasPath("hosts")) {
            return List.of(new appliance.check.SmtpCheck(target, bind, timing, helo));
        }
        ConfigValue v = r.config.getValue("hosts");
        if (v.valueType() != ConfigValueType.LIST || ((ConfigList) v).isEmpty()) {
            problems.problem(v.origin(), path + ".hosts", "must be a list of hosts like [{ connect-ip = \"10.98.0.16\","
                    + " connect-port = 25 }]");
            return null;
        }
        List<CheckSpec> result = new ArrayList<>();
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String p = path + ".hosts[" + i + "]";
            KeyReader h = object(list.get(i), p, HOST_KEYS, "{ connect-ip = \"10.98.0.16\", connect-port = 25 }");
            if (h == null) {
                ok = false;
                continue;
            }
            InetAddress ip = address(h, "connect-ip", target.getAddress());
            Integer port = h.integer("connect-port", target.getPort(), VirtualServersReader::port);
            InetAddress bindTo = h.config.hasPath("bind-to") ? address(h, "bind-to", null)
                    : bind.bindTo().map(InetSocketAddress::getAddress).orElse(null);
            Integer bindPort = h.integer("bind-port", bind.bindTo().map(InetSocketAddress::getPort).orElse(0),
                    VirtualServersReader::port);
            if (ip == null || port == null || bindPort == null || (h.config.hasPath("bind-to") && bindTo == null)) {
                ok = false;
                continue;
            }
            LocalEnd hostBind = localEnd(h, bindTo, bindPort, bind);
            if (hostBind == null) {
                ok = false;
                continue;
            }
            try {
                result.add(new appliance.check.SmtpCheck(new InetSocketAddress(ip, port), hostBind, timing, helo));
            } catch (IllegalArgumentException e) {
                problems.problem(h.object.origin(), p, e.getMessage());
                ok = false;
            }
        }
        return ok ? result : null;
    }

    /**
     * bind-to and bind-port (read by the caller), bind-if and fwmark; each missing one is the
     * outer's (a host's are its check's); null when wrong (reported).
     */
    private LocalEnd localEnd(KeyReader r, InetAddress bindTo, int bindPort, LocalEnd outer) {
        String bindIf = r.string("bind-if", outer.bindIf().orElse(""), n -> {
            if (!n.isEmpty()) {
                LocalEnd.checkInterfaceName(n);
            }
        });
        Long fwmark = outer.fwmark();
        if (r.config.hasPath("fwmark")) {
            ConfigValue v = r.config.getValue("fwmark");
            fwmark = v.unwrapped() instanceof Number n && v.valueType() == ConfigValueType.NUMBER
                    && n.longValue() == n.doubleValue() && n.longValue() >= 0 && n.longValue() <= 0xffff_ffffL
                    ? n.longValue() : null;
            if (fwmark == null) {
                problems.problem(v.origin(), r.path + ".fwmark", "must be a mark from 0 (none) to 4294967295, got "
                        + KeyReader.describe(v));
            }
        }
        if (bindIf == null || fwmark == null) {
            return null;
        }
        Optional<InetSocketAddress> address = bindTo == null && bindPort == 0 ? Optional.empty()
                : Optional.of(bindTo == null ? new InetSocketAddress(bindPort) : new InetSocketAddress(bindTo, bindPort));
        return new LocalEnd(address, bindIf.isEmpty() ? Optional.empty() : Optional.of(bindIf), fwmark);
    }

    /** keepalived's payload, require_reply [HEX], min_reply_length, max_reply_length; hex as keepalived writes it. */
    private appliance.check.UdpCheck udpCheck(KeyReader r, InetSocketAddress target, LocalEnd bind,
                                              CheckTiming timing) {
        String payload = r.string("payload", "", VirtualServersReader::hex);
        boolean requireReply = false;
        Optional<byte[]> expected = Optional.empty();
        if (r.config.hasPath("require-reply")) {
            ConfigValue v = r.config.getValue("require-reply");
            if (v.valueType() == ConfigValueType.BOOLEAN) {
                requireReply = (Boolean) v.unwrapped();
            } else {
                String reply = r.string("require-reply", null, VirtualServersReader::hex);
                if (reply == null) {
                    return null;
                }
                requireReply = true;
                expected = Optional.of(java.util.HexFormat.of().parseHex(reply));
            }
        }
        Integer min = r.integer("min-reply-length", 0, n -> { });
        Integer max = r.integer("max-reply-length", 255, n -> { });
        if (payload == null || min == null || max == null) {
            return null;
        }
        try {
            return new appliance.check.UdpCheck(target, bind, timing, java.util.HexFormat.of().parseHex(payload),
                    requireReply, expected, min, max);
        } catch (IllegalArgumentException e) {
            problems.problem(r.object.origin(), r.path, e.getMessage());
            return null;
        }
    }

    private static void hex(String text) {
        if (text.length() % 2 != 0 || !text.chars().allMatch(java.util.HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("\"" + text + "\" is not a hex string (pairs of hex digits, like 0a1b)");
        }
    }

    private List<HttpUrl> urls(KeyReader check, String path) {
        if (!check.config.hasPath("urls") || check.config.getValue("urls").valueType() != ConfigValueType.LIST
                || ((ConfigList) check.config.getValue("urls")).isEmpty()) {
            problems.problem(check.config.hasPath("urls") ? check.config.getValue("urls").origin() : check.object.origin(),
                    path + ".urls", "must be a list of one or more URLs like [{ path = \"/health\" }]");
            return null;
        }
        ConfigList list = (ConfigList) check.config.getValue("urls");
        List<HttpUrl> result = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            String p = path + ".urls[" + i + "]";
            KeyReader r = object(list.get(i), p, URL_KEYS, "{ path = \"/health\", status-code = 200 }");
            HttpUrl url = r == null ? null : url(r, p);
            ok &= url != null;
            if (url != null) {
                result.add(url);
            }
        }
        return ok ? result : null;
    }

    private HttpUrl url(KeyReader r, String path) {
        String urlPath = r.string("path", null, p -> { });
        String digest = r.string("digest", "", d -> { });
        String regex = r.string("regex", "", x -> { });
        Boolean noMatch = r.bool("regex-no-match", false);
        Integer minOffset = r.integer("regex-min-offset", 0, n -> {
            if (n < 0) {
                throw new IllegalArgumentException("must be >= 0, was " + n);
            }
        });
        Integer maxOffset = r.integer("regex-max-offset", -1, n -> {
            if (n < 0) {
                throw new IllegalArgumentException("must be >= 0, was " + n);
            }
        });
        List<String> options = words(r, "regex-options");
        StatusCodes codes = StatusCodes.DEFAULT;
        if (r.config.hasPath("status-code")) {
            ConfigValue v = r.config.getValue("status-code");
            List<String> items = new ArrayList<>();
            if (v.valueType() == ConfigValueType.LIST) {
                ((ConfigList) v).forEach(item -> items.add(String.valueOf(item.unwrapped())));
            } else {
                items.add(String.valueOf(v.unwrapped()));
            }
            try {
                codes = StatusCodes.parse(items);
            } catch (IllegalArgumentException e) {
                problems.problem(v.origin(), path + ".status-code", e.getMessage() + " (e.g. 200, \"200-299\" or [200, 301])");
                return null;
            }
        }
        if (urlPath == null || digest == null || regex == null || noMatch == null || minOffset == null
                || maxOffset == null || options == null) {
            return null;
        }
        if (regex.isEmpty() && (noMatch || minOffset > 0 || maxOffset >= 0 || !options.isEmpty())) {
            problems.problem(r.object.origin(), path, "regex-no-match, regex-min-offset, regex-max-offset and"
                    + " regex-options need a regex");
            return null;
        }
        try {
            Optional<UrlRegex> urlRegex = regex.isEmpty() ? Optional.empty() : Optional.of(UrlRegex.of(regex, noMatch,
                    minOffset, maxOffset < 0 ? OptionalInt.empty() : OptionalInt.of(maxOffset), options));
            return new HttpUrl(urlPath, codes, digest.isEmpty() ? Optional.empty() : Optional.of(digest), urlRegex);
        } catch (IllegalArgumentException e) {
            problems.problem(r.object.origin(), path, e.getMessage());
            return null;
        }
    }

    /** A list of words, or one string of words separated by spaces; empty without the key, null when wrong (reported). */
    private List<String> words(KeyReader r, String key) {
        if (!r.config.hasPath(key)) {
            return List.of();
        }
        ConfigValue v = r.config.getValue(key);
        List<String> result = new ArrayList<>();
        if (v.valueType() == ConfigValueType.STRING) {
            result.addAll(List.of(((String) v.unwrapped()).trim().split("\\s+")));
        } else if (v.valueType() == ConfigValueType.LIST
                && ((ConfigList) v).stream().allMatch(x -> x.valueType() == ConfigValueType.STRING)) {
            ((ConfigList) v).forEach(x -> result.add((String) x.unwrapped()));
        } else {
            problems.problem(v.origin(), r.path + "." + key, "must be a list of words like [caseless, dotall], got "
                    + KeyReader.describe(v));
            return null;
        }
        result.removeIf(String::isEmpty);
        return result;
    }

    private InetAddress address(KeyReader r, String key, InetAddress defaultValue) {
        String text = r.string(key, defaultValue == null ? null : defaultValue.getHostAddress(),
                appliance.vrrp.VirtualAddress::parseLiteral);
        return text == null ? null : appliance.vrrp.VirtualAddress.parseLiteral(text);
    }

    static void port(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("must be 0..65535, was " + p);
        }
    }

    private static void oneOf(String value, Set<String> known) {
        if (!known.contains(value)) {
            throw new IllegalArgumentException("\"" + value + "\" is not one of " + new java.util.TreeSet<>(known));
        }
    }
}
