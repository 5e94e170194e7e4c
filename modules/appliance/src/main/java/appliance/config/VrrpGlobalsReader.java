package appliance.config;

import appliance.script.ScriptUser;
import appliance.vrrp.VrrpGlobals;
import appliance.vrrp.VrrpProcess;
import appliance.vrrp.VrrpScript;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * keepalived's global_defs as far as VRRP uses them ({@code global { notify-fifo,
 * enable-script-security, script-user }}) and its {@code vrrp_script} blocks
 * ({@code vrrp.scripts { NAME { script, interval, timeout, weight, reverse, rise, fall, user,
 * init-fail } }}), keepalived's defaults: interval 1s, timeout the interval, weight 0, rise and
 * fall 1.
 */
final class VrrpGlobalsReader {

    static final Set<String> GLOBAL_KEYS = Set.of("notify-fifo", "enable-script-security", "script-user", "router-id",
            "notification-email", "notification-email-from", "smtp-server", "smtp-connect-timeout", "smtp-helo-name",
            "smtp-alert", "smtp-alert-vrrp", "no-email-faults", "vrrp-priority", "checker-priority", "vrrp-rt-priority",
            "checker-rt-priority", "checker-log-all-failures", "smtp-alert-checker", "no-checker-emails", "lvs-sync-daemon",
            "lvs-flush", "lvs-flush-on-stop", "init-files");
    static final Set<String> PROCESS_KEYS = Set.of("process", "param-match", "full-command", "quorum", "quorum-max",
            "weight", "reverse", "delay", "fork-delay", "terminate-delay");
    static final Set<String> SCRIPT_KEYS = Set.of("script", "interval", "timeout", "weight", "reverse", "rise", "fall",
            "user", "init-fail");

    private final AddressReader.Problems problems;
    private final BiConsumer<String, ConfigOrigin> origins;

    VrrpGlobalsReader(AddressReader.Problems problems, BiConsumer<String, ConfigOrigin> origins) {
        this.problems = problems;
        this.origins = origins;
    }

    /** What e-mail alerts need, read by {@link #mail}; null when absent or wrong. */
    record Mail(java.util.Optional<appliance.smtp.SmtpSettings> settings, boolean alertDefault, boolean noEmailFaults,
                Optional<Boolean> checkerAlert, boolean noCheckerEmails) {

        static final Mail NONE = new Mail(Optional.empty(), false, false, Optional.empty(), false);
    }

    /**
     * keepalived's e-mail keys in global: notification-email (a list), notification-email-from
     * (default keepalived@HOSTNAME), smtp-server ("host" or "host:port"), smtp-connect-timeout
     * (30s), smtp-helo-name and router-id (default the host name), smtp-alert and smtp-alert-vrrp
     * (the instances' default, off), no-email-faults, smtp-alert-checker (the checkers' default, else
     * smtp-alert's; unset, a real server alerts and a virtual server not, as keepalived),
     * no-checker-emails. Null when wrong (reported).
     */
    Mail mail(Config root) {
        if (!root.hasPath("global") || root.getValue("global").valueType() != ConfigValueType.OBJECT) {
            return Mail.NONE;
        }
        KeyReader g = new KeyReader(problems, "global", root.getObject("global"));
        String host = hostName();
        String server = g.string("smtp-server", "", SmtpSettingsCheck::server);
        java.util.List<String> to = emails(g);
        String from = g.string("notification-email-from", "keepalived@" + host,
                a -> appliance.smtp.SmtpSettings.checkAddress(a, "notification-email-from"));
        Duration timeout = g.duration("smtp-connect-timeout", appliance.smtp.SmtpSettings.DEFAULT_CONNECT_TIMEOUT);
        String helo = g.string("smtp-helo-name", host, h -> { });
        String routerId = g.string("router-id", host, h -> { });
        Boolean alert = g.bool("smtp-alert", false);
        Boolean alertVrrp = g.config.hasPath("smtp-alert-vrrp") ? g.bool("smtp-alert-vrrp", false) : alert;
        Boolean noFaults = g.bool("no-email-faults", false);
        Boolean alertChecker = g.config.hasPath("smtp-alert-checker") ? g.bool("smtp-alert-checker", false)
                : g.config.hasPath("smtp-alert") ? alert : null;
        Boolean noCheckerEmails = g.bool("no-checker-emails", false);
        if (server == null || to == null || from == null || timeout == null || helo == null || routerId == null
                || alert == null || alertVrrp == null || noFaults == null || noCheckerEmails == null
                || (g.config.hasPath("smtp-alert-checker") && alertChecker == null)) {
            return null;
        }
        Optional<Boolean> checkerAlert = Optional.ofNullable(alertChecker);
        if (server.isEmpty() && to.isEmpty()) {
            for (String key : List.of("smtp-alert-vrrp", "smtp-alert-checker", "smtp-alert")) {
                if (g.config.hasPath(key) && g.config.getBoolean(key)) {
                    problems.problem(g.config.getValue(key).origin(), "global." + key,
                            "needs global.smtp-server and global.notification-email");
                    return null;
                }
            }
            return new Mail(Optional.empty(), false, noFaults, checkerAlert, noCheckerEmails);
        }
        if (server.isEmpty() || to.isEmpty()) {
            problems.problem(g.object.origin(), "global", server.isEmpty()
                    ? "notification-email needs smtp-server (\"host\" or \"host:port\")"
                    : "smtp-server needs notification-email (a list of addresses)");
            return null;
        }
        String[] hostPort = appliance.smtp.SmtpSettings.parseServer(server);
        try {
            return new Mail(Optional.of(new appliance.smtp.SmtpSettings(hostPort[0], hostPort[1].isEmpty()
                    ? appliance.smtp.SmtpSettings.DEFAULT_PORT : Integer.parseInt(hostPort[1]), from, to, helo, timeout,
                    routerId)), alertVrrp, noFaults, checkerAlert, noCheckerEmails);
        } catch (IllegalArgumentException e) {
            problems.problem(g.object.origin(), "global", e.getMessage());
            return null;
        }
    }

    /** keepalived's process priorities in global, for the components' loop threads; null when wrong (reported). */
    ThreadPriorities priorities(Config root) {
        if (!root.hasPath("global") || root.getValue("global").valueType() != ConfigValueType.OBJECT) {
            return ThreadPriorities.NONE;
        }
        KeyReader g = new KeyReader(problems, "global", root.getObject("global"));
        java.util.OptionalInt[] values = new java.util.OptionalInt[4];
        String[] keys = {"vrrp-priority", "checker-priority", "vrrp-rt-priority", "checker-rt-priority"};
        boolean ok = true;
        for (int i = 0; i < keys.length; i++) {
            boolean nice = i < 2;
            Integer v = g.config.hasPath(keys[i]) ? g.integer(keys[i], 0, n -> {
                if (nice ? n < -20 || n > 19 : n < 1 || n > 99) {
                    throw new IllegalArgumentException(nice ? "a nice value is -20..19, got " + n
                            : "a real-time priority is 1..99, got " + n);
                }
            }) : null;
            ok &= v != null || !g.config.hasPath(keys[i]);
            values[i] = v == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(v);
        }
        return ok ? new ThreadPriorities(values[0], values[1], values[2], values[3]) : null;
    }

    /** The smtp-server value's own check, where its line is known. */
    private static final class SmtpSettingsCheck {
        static void server(String text) {
            String[] hp = appliance.smtp.SmtpSettings.parseServer(text);
            if (hp[0].isBlank()) {
                throw new IllegalArgumentException("needs a host, as \"127.0.0.1\" or \"mail.example.org:25\"");
            }
            if (!hp[1].isEmpty() && !hp[1].matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("port \"" + hp[1] + "\" is not a number");
            }
        }
    }

    private java.util.List<String> emails(KeyReader g) {
        if (!g.config.hasPath("notification-email")) {
            return java.util.List.of();
        }
        ConfigValue v = g.config.getValue("notification-email");
        if (v.valueType() != ConfigValueType.LIST || !((java.util.List<?>) v.unwrapped()).stream()
                .allMatch(o -> o instanceof String)) {
            problems.problem(v.origin(), "global.notification-email", "must be a list of addresses like"
                    + " [\"ops@example.org\"], got " + HoconConfigReader.describe(v));
            return null;
        }
        java.util.List<String> to = new java.util.ArrayList<>();
        for (Object o : (java.util.List<?>) v.unwrapped()) {
            try {
                appliance.smtp.SmtpSettings.checkAddress((String) o, "notification-email");
                to.add((String) o);
            } catch (IllegalArgumentException e) {
                problems.problem(v.origin(), "global.notification-email", e.getMessage());
                return null;
            }
        }
        return to;
    }

    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Null when anything is wrong (all of it reported). */
    VrrpGlobals read(Config root) {
        Optional<Path> fifo = Optional.empty();
        Boolean security = false;
        Optional<ScriptUser> user = Optional.empty();
        boolean ok = true;
        if (root.hasPath("global")) {
            ConfigValue g = root.getValue("global");
            if (g.valueType() != ConfigValueType.OBJECT) {
                problems.problem(g.origin(), "global", "must be an object, got " + HoconConfigReader.describe(g));
                return null;
            }
            KeyReader global = new KeyReader(problems, "global", (ConfigObject) g);
            problems.unknownKeys(global.object, "global", GLOBAL_KEYS);
            String fifoPath = global.string("notify-fifo", "", p -> {
                if (!p.startsWith("/")) {
                    throw new IllegalArgumentException("must be an absolute path, got \"" + p + "\"");
                }
            });
            fifo = fifoPath == null || fifoPath.isEmpty() ? Optional.empty() : Optional.of(Path.of(fifoPath));
            security = global.bool("enable-script-security", false);
            String u = global.string("script-user", "", ScriptUser::parse);
            user = u == null || u.isEmpty() ? Optional.empty() : Optional.of(ScriptUser.parse(u));
            ok = fifoPath != null && security != null && u != null;
        }
        Map<String, VrrpScript> scripts = scripts(root);
        Map<String, VrrpProcess> processes = processes(root);
        if (!ok || scripts == null || processes == null) {
            return null;
        }
        return new VrrpGlobals(fifo, scripts, security, user, java.util.List.of(), processes);
    }

    private Map<String, VrrpScript> scripts(Config root) {
        return named(root, "vrrp.scripts", "{ check_server { script = \"/usr/local/bin/check.sh\", interval = 2s,"
                + " weight = -20 } }", this::script);
    }

    private Map<String, VrrpProcess> processes(Config root) {
        return named(root, "vrrp.processes", "{ haproxy { process = haproxy, quorum = 1, weight = -30, delay = 1s } }",
                this::process);
    }

    private interface Definition<T> {
        T read(String name, String path, ConfigObject object);
    }

    /** An object of named definitions at {@code key}; null when any is wrong (all reported). */
    private <T> Map<String, T> named(Config root, String key, String example, Definition<T> definition) {
        if (!root.hasPath(key)) {
            return Map.of();
        }
        ConfigValue v = root.getValue(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), key, "must be an object of named definitions like " + example + ", got "
                    + HoconConfigReader.describe(v));
            return null;
        }
        Map<String, T> result = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
            String path = key + "." + e.getKey();
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.problem(e.getValue().origin(), path, "must be an object, got "
                        + HoconConfigReader.describe(e.getValue()));
                ok = false;
                continue;
            }
            T t = definition.read(e.getKey(), path, (ConfigObject) e.getValue());
            if (t == null) {
                ok = false;
            } else {
                result.put(e.getKey(), t);
            }
        }
        return ok ? result : null;
    }

    /**
     * keepalived's vrrp_track_process: {@code process} (a name, then the parameters param-match
     * compares), {@code param-match} (exact, initial, partial), {@code full-command}, {@code quorum}
     * (default 1), {@code quorum-max}, {@code weight}, {@code reverse}, {@code delay} (both
     * delays), {@code fork-delay}, {@code terminate-delay}.
     */
    private VrrpProcess process(String name, String path, ConfigObject object) {
        KeyReader r = new KeyReader(problems, path, object);
        problems.unknownKeys(object, path, PROCESS_KEYS);
        origins.accept(path, object.origin());
        String process = r.string("process", null, p -> {
            if (p.isBlank()) {
                throw new IllegalArgumentException("must name a process");
            }
        });
        String match = r.string("param-match", "", m -> {
            if (!m.isEmpty() && !Set.of("exact", "initial", "partial").contains(m)) {
                throw new IllegalArgumentException("must be exact, initial or partial, got \"" + m + "\"");
            }
        });
        Boolean fullCommand = r.bool("full-command", false);
        Integer quorum = r.integer("quorum", 1, n -> atLeast("quorum", n, 0));
        Integer quorumMax = r.integer("quorum-max", Integer.MAX_VALUE, n -> atLeast("quorum-max", n, 0));
        Integer weight = r.integer("weight", 0, VrrpScript::checkWeight);
        Boolean reverse = r.bool("reverse", false);
        Duration delay = r.duration("delay", Duration.ZERO);
        Duration forkDelay = r.duration("fork-delay", delay == null ? Duration.ZERO : delay);
        Duration terminateDelay = r.duration("terminate-delay", delay == null ? Duration.ZERO : delay);
        if (process == null || match == null || fullCommand == null || quorum == null || quorumMax == null
                || weight == null || reverse == null || forkDelay == null || terminateDelay == null) {
            return null;
        }
        try {
            return new VrrpProcess(name, process, match.isEmpty() ? Optional.empty()
                    : Optional.of(VrrpProcess.ParamMatch.valueOf(match.toUpperCase(java.util.Locale.ROOT))),
                    fullCommand, quorum, quorumMax, weight, reverse, forkDelay, terminateDelay);
        } catch (IllegalArgumentException e) {
            problems.problem(object.origin(), path, e.getMessage());
            return null;
        }
    }

    private static void atLeast(String key, int n, int min) {
        if (n < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + n);
        }
    }

    private VrrpScript script(String name, String path, ConfigObject object) {
        KeyReader r = new KeyReader(problems, path, object);
        problems.unknownKeys(object, path, SCRIPT_KEYS);
        origins.accept(path, object.origin());
        for (String key : SCRIPT_KEYS) {
            if (r.config.hasPath(key)) {
                origins.accept(path + "." + key, r.config.getValue(key).origin());
            }
        }
        String command = r.string("script", null, appliance.vrrp.Notify::split);
        Duration interval = r.duration("interval", Duration.ofSeconds(1));
        Duration timeout = r.duration("timeout", Duration.ZERO);
        Integer weight = r.integer("weight", 0, VrrpScript::checkWeight);
        Boolean reverse = r.bool("reverse", false);
        Integer rise = r.integer("rise", 1, n -> atLeastOne("rise", n));
        Integer fall = r.integer("fall", 1, n -> atLeastOne("fall", n));
        String user = r.string("user", "", ScriptUser::parse);
        Boolean initFail = r.bool("init-fail", false);
        if (command == null || interval == null || timeout == null || weight == null || reverse == null || rise == null
                || fall == null || user == null || initFail == null) {
            return null;
        }
        try {
            return new VrrpScript(name, command, interval, timeout.isZero() ? Optional.empty() : Optional.of(timeout),
                    weight, reverse, rise, fall, user.isEmpty() ? Optional.empty() : Optional.of(ScriptUser.parse(user)),
                    initFail);
        } catch (IllegalArgumentException e) {
            problems.problem(object.origin(), path, e.getMessage());
            return null;
        }
    }

    private static void atLeastOne(String key, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + n);
        }
    }
}
