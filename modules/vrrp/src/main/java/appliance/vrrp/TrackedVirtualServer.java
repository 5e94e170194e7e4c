package appliance.vrrp;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an instance's {@code track-virtual-server} or {@code track-real-server} (keepalived
 * has neither): a virtual server of the checkers, named as keepalived prints it
 * ({@code [10.97.0.100]:tcp:80}), good while its real servers have quorum; or, with
 * {@code realServer}, one of its real servers ({@code [10.98.0.16]:tcp:80}), good while alive.
 * Weights as a tracked script's: a positive one is added while good, a negative one while bad,
 * {@code reverse} turns both round; weight 0 (the default) puts the instance in FAULT while it is
 * bad, so that a node whose backends are dead gives up its addresses.
 */
public record TrackedVirtualServer(String service, Optional<String> realServer, int weight, boolean reverse) {

    public TrackedVirtualServer {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(realServer, "realServer");
        VrrpScript.checkWeight(weight);
    }

    /** A whole virtual server. */
    public TrackedVirtualServer(String service, int weight, boolean reverse) {
        this(service, Optional.empty(), weight, reverse);
    }

    /** What the checkers' news names: the virtual server, or the real server within it. */
    public String key() {
        return realServer.map(rs -> realServerKey(service, rs)).orElse(service);
    }

    /** A real server within its virtual server, as keepalived logs it: {@code [10.98.0.16]:tcp:80 of VS [10.97.0.100]:tcp:80}. */
    public static String realServerKey(String virtualServer, String realServer) {
        return realServer + " of VS " + virtualServer;
    }

    public int weightWhen(boolean good) {
        return TrackedScript.weightWhen(weight, reverse, good);
    }

    public boolean faultWhen(boolean good) {
        return TrackedScript.faultWhen(weight, reverse, good);
    }

    public String description() {
        return (realServer.isPresent() ? "track-real-server " : "track-virtual-server ") + key();
    }
}
