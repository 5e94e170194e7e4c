package appliance.vrrp;

import java.util.Objects;

/**
 * One entry of an instance's {@code track-virtual-server} (keepalived has no such thing): a
 * virtual server of the checkers, named as keepalived prints it ({@code [10.97.0.100]:tcp:80}),
 * good while its real servers have quorum (at least one alive). Weights as a tracked script's: a
 * positive one is added while good, a negative one while bad, {@code reverse} turns both round;
 * weight 0 (the default) puts the instance in FAULT while the virtual server is bad, so that a node
 * whose backends are all dead gives up its addresses.
 */
public record TrackedVirtualServer(String service, int weight, boolean reverse) {

    public TrackedVirtualServer {
        Objects.requireNonNull(service, "service");
        VrrpScript.checkWeight(weight);
    }

    public int weightWhen(boolean good) {
        return TrackedScript.weightWhen(weight, reverse, good);
    }

    public boolean faultWhen(boolean good) {
        return TrackedScript.faultWhen(weight, reverse, good);
    }

    public String description() {
        return "track-virtual-server " + service;
    }
}
