package appliance.config.keepalived;

import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/appliance-convert FILE [-i ID]}: prints a keepalived.conf as the appliance's HOCON.
 * Only a file that is valid as a whole is converted; otherwise every problem is printed and the
 * exit status is 1.
 */
public final class Convert {

    private Convert() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        String configId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-i", "--config-id" -> {
                    if (i + 1 >= args.length) {
                        err.println("error: " + args[i] + " needs a value");
                        return 2;
                    }
                    configId = args[++i];
                }
                case "-h", "--help" -> {
                    out.println("usage: appliance-convert KEEPALIVED_CONF [-i CONFIG_ID]");
                    out.println("  prints the equivalent HOCON for bin/start-appliance --config");
                    return 0;
                }
                default -> {
                    if (file != null || args[i].startsWith("-")) {
                        err.println("error: unexpected argument \"" + args[i] + "\" (try --help)");
                        return 2;
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) {
            err.println("error: which keepalived.conf? usage: appliance-convert KEEPALIVED_CONF [-i CONFIG_ID]");
            return 2;
        }
        String id = configId != null ? configId : KeepalivedConfigReader.defaultConfigId();
        KeepalivedConfigReader.Translation t = KeepalivedConfigReader.translate(file, id);
        for (ConfigProblem w : t.warnings()) {
            err.println("warning: " + w);
        }
        try {
            KeepalivedConfigReader.read(t, file.toString());
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return 1;
        }
        out.println("# Converted from " + file + " by bin/appliance-convert; run with bin/start-appliance --config FILE");
        out.println(t.render());
        return 0;
    }
}
