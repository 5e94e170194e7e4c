package appliance.config.keepalived;

import java.io.PrintStream;

/** Lets tests outside the package run {@link Convert} without a process. */
public final class ConvertAccess {

    private ConvertAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Convert.run(args, out, err);
    }
}
