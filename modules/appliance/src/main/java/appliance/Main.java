package appliance;

import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import appliance.config.HoconConfigReader;
import appliance.vrrp.VirtualRouterConfig;
import java.io.PrintStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;

/** {@code bin/start-appliance}: runs in the foreground until SIGTERM or SIGINT. */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final String DEFAULT_CONFIG = "conf/appliance.conf";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = Path.of(DEFAULT_CONFIG);
        boolean configTest = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-f" -> {
                    if (i + 1 >= args.length) {
                        err.println("error: " + args[i] + " needs a file name");
                        return EXIT_FAILURE;
                    }
                    config = Path.of(args[++i]);
                }
                case "--config-test", "-t" -> configTest = true;
                case "--help", "-h" -> {
                    out.println("usage: start-appliance [--config FILE] [--config-test] [--demo]");
                    out.println("  --config FILE   HOCON configuration (default " + DEFAULT_CONFIG + ")");
                    out.println("  --config-test   check the configuration, print every problem, exit 0 or 1");
                    out.println("  --demo          run the namespace demo (bin/demo)");
                    return EXIT_OK;
                }
                default -> {
                    err.println("error: unknown argument \"" + args[i] + "\" (try --help)");
                    return EXIT_FAILURE;
                }
            }
        }
        ApplianceConfig parsed;
        try {
            parsed = HoconConfigReader.read(config);
        } catch (ConfigException e) {
            printProblems(err, e.problems());
            return EXIT_FAILURE;
        }
        if (configTest) {
            warnAboutMissingInterfaces(parsed, err);
            out.println("configuration " + config + " is valid: " + parsed.vrrpInstances().size() + " VRRP instance(s)");
            return EXIT_OK;
        }
        return Appliance.runUntilStopped(parsed, err);
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

    static void printProblems(PrintStream err, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) {
            err.println("error: " + p);
        }
    }
}
