package appliance.vrrp;

/**
 * One entry of keepalived's {@code track_interface}: an interface whose link state moves the
 * instance. Weight 0 (keepalived's default): while it is down the instance is in FAULT. A
 * positive weight is added to the priority while it is up, a negative one while it is down.
 */
public record TrackedInterface(String name, int weight) {

    public static final int MAX_WEIGHT = 254;

    public TrackedInterface {
        VirtualRouterConfig.checkInterfaceName(name);
        if (weight < -MAX_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("track-interface " + name + ": weight must be -254..254, got " + weight);
        }
    }

    /** What it adds to the priority now. */
    public int weightWhen(boolean up) {
        return weight > 0 && up || weight < 0 && !up ? weight : 0;
    }

    /** Whether it puts the instance in FAULT now. */
    public boolean faultWhen(boolean up) {
        return weight == 0 && !up;
    }

    /** How the router names it in logs and JMX. */
    public String description() {
        return "track-interface " + name;
    }
}
