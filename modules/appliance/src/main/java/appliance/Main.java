package appliance;

import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import appliance.config.HoconConfigReader;
import appliance.config.keepalived.KeepalivedConfigReader;
import appliance.vrrp.VirtualRouterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/start-appliance}: runs in the foreground until SIGTERM or SIGINT. It takes the
 * appliance's HOCON ({@code --config}) or a keepalived.conf ({@code -f}), and keepalived's own
 * options where they mean something here, so that a unit file written for keepalived keeps working.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final String DEFAULT_CONFIG = "conf/appliance.conf";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** What the command line asks for. */
    static final class Options {
        Path hocon;
        Path keepalived;
        boolean configTest;
        boolean vrrpOnly;
        boolean checkersOnly;
        String configId;
        Path pidFile;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = null;
            if (a.startsWith("--") && a.contains("=")) {
                inline = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            switch (a) {
                case "--config", "--keepalived-config", "-f", "--use-file", "-i", "--config-id", "-p", "--pid" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            err.println("error: " + a + " needs a value");
                            return EXIT_FAILURE;
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--config" -> o.hocon = Path.of(value);
                        case "-i", "--config-id" -> o.configId = value;
                        case "-p", "--pid" -> o.pidFile = Path.of(value);
                        default -> o.keepalived = Path.of(value);
                    }
                }
                case "--config-test", "-t" -> o.configTest = true;
                case "-P", "--vrrp" -> o.vrrpOnly = true;
                case "-C", "--check" -> o.checkersOnly = true;
                // keepalived's "do not fork", "log to the console" and "detailed log": this process never
                // forks and always logs to its standard output in keepalived's detail.
                case "-n", "--dont-fork", "-l", "--log-console", "-D", "--log-detail" -> {
                }
                case "--help", "-h" -> {
                    usage(out);
                    return EXIT_OK;
                }
                default -> {
                    err.println("error: unknown argument \"" + args[i] + "\" (try --help)");
                    return EXIT_FAILURE;
                }
            }
        }
        if (o.hocon != null && o.keepalived != null) {
            err.println("error: give either --config (HOCON) or -f (keepalived.conf), not both");
            return EXIT_FAILURE;
        }
        if (o.vrrpOnly && o.checkersOnly) {
            err.println("error: -P (VRRP only) and -C (checkers only) together leave nothing to run");
            return EXIT_FAILURE;
        }
        if (o.configId != null && o.keepalived == null) {
            err.println("error: -i (config id) selects keepalived.conf's @id lines; it needs -f FILE");
            return EXIT_FAILURE;
        }
        Path file = o.keepalived != null ? o.keepalived : o.hocon != null ? o.hocon : Path.of(DEFAULT_CONFIG);
        ApplianceConfig parsed;
        try {
            parsed = load(o, file, w -> err.println("warning: " + w));
        } catch (ConfigException e) {
            printProblems(err, e.problems());
            return EXIT_FAILURE;
        }
        if (o.configTest) {
            warnAboutMissingInterfaces(parsed, err);
            warnAboutScripts(parsed, err);
            out.println("configuration " + file + " is valid: " + parsed.vrrpInstances().size() + " VRRP instance(s), "
                    + parsed.virtualServers().size() + " virtual server(s)");
            return EXIT_OK;
        }
        if (o.pidFile != null) {
            try {
                Files.writeString(o.pidFile, ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                err.println("error: cannot write the pid file " + o.pidFile + ": " + e.getMessage());
                return EXIT_FAILURE;
            }
        }
        try {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
            return Appliance.runUntilStopped(parsed, () -> load(o, file, w -> log.warn("reload: {}", w)), err);
        } finally {
            if (o.pidFile != null) {
                try {
                    Files.deleteIfExists(o.pidFile);
                } catch (IOException e) {
                    err.println("warning: cannot remove the pid file " + o.pidFile + ": " + e.getMessage());
                }
            }
        }
    }

    /** The configuration as the options ask for it: either format, then -P or -C; at start and at each reload. */
    static ApplianceConfig load(Options o, Path file, java.util.function.Consumer<ConfigProblem> warnings)
            throws ConfigException {
        ApplianceConfig parsed;
        if (o.keepalived != null) {
            KeepalivedConfigReader.Result r = KeepalivedConfigReader.read(o.keepalived,
                    o.configId != null ? o.configId : KeepalivedConfigReader.defaultConfigId());
            r.warnings().forEach(warnings);
            parsed = r.config();
        } else {
            parsed = HoconConfigReader.read(file);
        }
        return o.vrrpOnly ? parsed.vrrpOnly() : o.checkersOnly ? parsed.checkersOnly() : parsed;
    }

    private static void usage(PrintStream out) {
        for (String line : List.of(
                "usage: start-appliance [--config FILE | -f FILE] [--config-test] [-P | -C] [-i ID] [-p FILE] [--demo]",
                "  --config FILE       the appliance's HOCON (default " + DEFAULT_CONFIG + ")",
                "  -f, --use-file, --keepalived-config FILE",
                "                      a keepalived.conf, read as keepalived 2.2.7 reads it",
                "  -t, --config-test   check the configuration, print every problem, exit 0 or 1",
                "  -P, --vrrp          run VRRP only (keepalived's -P)",
                "  -C, --check         run the checkers only (keepalived's -C)",
                "  -i, --config-id ID  keepalived.conf's @ID lines (default: the host name up to its first dot)",
                "  -p, --pid FILE      write the process id to FILE while running",
                "  -n, -l, -D          accepted for keepalived's unit files: the appliance runs in the",
                "                      foreground and logs to standard output in detail anyway",
                "  --demo              run the namespace demo (bin/demo)")) {
            out.println(line);
        }
    }

    /**
     * An interface that does not exist here is not an error: the appliance starts and its
     * instances wait in FAULT until it appears (a VLAN or bond created later, a hot-plugged NIC).
     */
    static void warnAboutMissingInterfaces(ApplianceConfig config, PrintStream err) {
        for (VirtualRouterConfig c : config.vrrpInstances()) {
            boolean exists;
            try {
                exists = NetworkInterface.getByName(c.interfaceName()) != null;
            } catch (SocketException e) {
                exists = true; // cannot tell: say nothing rather than something wrong
            }
            if (!exists) {
                err.println("warning: " + config.problemAt(c.name(), "interface", "interface " + c.interfaceName()
                        + " does not exist here; " + c.name() + " will wait in FAULT until it appears"));
            }
        }
    }

    /**
     * A script that cannot run here (missing, not executable by its user, unsafe, its user
     * unknown) is the machine's matter, not the file's: at run time the tracker fails, the notify
     * script is skipped or the check fails, each with a log line. The config test says so now.
     */
    static void warnAboutScripts(ApplianceConfig config, PrintStream err) {
        appliance.vrrp.VrrpGlobals g = config.vrrpGlobals();
        appliance.script.ScriptAccess access = new appliance.script.ScriptAccess(g.scriptUser(), g.enableScriptSecurity());
        java.util.function.BiConsumer<ConfigProblem, String> warn = (where, then) -> err.println("warning: " + where
                + "; " + then);
        for (appliance.vrrp.VrrpScript script : g.scripts().values()) {
            String why = cannotRun(access, script.arguments(), script.user());
            if (why != null) {
                warn.accept(config.problemAt(null, "vrrp.scripts." + script.name(), "script " + script.name()
                        + " cannot run here: " + why), "at run time it counts as failing");
            }
        }
        for (VirtualRouterConfig c : config.vrrpInstances()) {
            warnAboutNotify(access, c.notifyScripts(), config.problemAt(c.name(), null, ""), warn);
        }
        for (appliance.vrrp.SyncGroupConfig group : g.syncGroups()) {
            warnAboutNotify(access, group.notifyScripts(), config.problemAt(null, "vrrp.sync-groups." + group.name(),
                    ""), warn);
        }
        for (appliance.check.VirtualServer vs : config.virtualServers()) {
            for (appliance.check.RealServer rs : vs.realServers()) {
                for (java.util.Optional<String> command : List.of(rs.notifyUp(), rs.notifyDown())) {
                    String why = command.isEmpty() ? null
                            : cannotRun(access, appliance.script.CommandLine.split(command.get()), java.util.Optional.empty());
                    if (why != null) {
                        warn.accept(new ConfigProblem(null, 0, null, "notify script \"" + command.get() + "\" of "
                                + vs.text(rs) + " cannot run here: " + why), "at run time it is not run");
                    }
                }
                for (appliance.check.CheckSpec check : rs.checks()) {
                    if (check instanceof appliance.check.MiscCheck misc) {
                        String why = cannotRun(access, misc.command(), misc.user());
                        if (why != null) {
                            warn.accept(new ConfigProblem(null, 0, null, "MISC_CHECK for " + vs.text(rs) + " of VS "
                                    + vs.text() + ": \"" + String.join(" ", misc.command()) + "\" cannot run here: "
                                    + why), "at run time the check fails");
                        }
                    }
                }
            }
        }
    }

    private static void warnAboutNotify(appliance.script.ScriptAccess access, appliance.vrrp.Notify notify,
                                        ConfigProblem where, java.util.function.BiConsumer<ConfigProblem, String> warn) {
        for (java.util.Optional<String> command : List.of(notify.master(), notify.backup(), notify.fault(),
                notify.stop(), notify.generic())) {
            if (command.isPresent()) {
                String why = cannotRun(access, appliance.vrrp.Notify.split(command.get()), java.util.Optional.empty());
                if (why != null) {
                    warn.accept(new ConfigProblem(where.file(), where.line(), where.path(), "notify script \""
                            + command.get() + "\" cannot run here: " + why), "at run time it is not run");
                }
            }
        }
    }

    private static String cannotRun(appliance.script.ScriptAccess access, List<String> arguments,
                                    java.util.Optional<appliance.script.ScriptUser> user) {
        try {
            access.prepare(arguments, user);
            return null;
        } catch (appliance.script.ScriptAccess.ScriptException e) {
            return e.getMessage();
        }
    }

    static void printProblems(PrintStream err, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) {
            err.println("error: " + p);
        }
    }
}
