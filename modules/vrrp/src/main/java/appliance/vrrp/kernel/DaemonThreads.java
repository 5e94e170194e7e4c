package appliance.vrrp.kernel;

import java.util.concurrent.ThreadFactory;

/** The component's helper threads (off the loops, for work that may block): daemons, named for thread dumps. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
