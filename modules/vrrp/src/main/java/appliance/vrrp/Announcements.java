package appliance.vrrp;

import java.time.Duration;
import java.util.Objects;

/**
 * When a master tells the segment where its virtual addresses are (gratuitous ARP for IPv4,
 * unsolicited neighbour advertisements for IPv6), with keepalived 2.2.7's keywords and defaults:
 *
 * @param masterDelay         garp_master_delay: a second round this long after becoming master (0: none)
 * @param masterRepeat        garp_master_repeat: frames per address per round on becoming master
 * @param masterRefresh       garp_master_refresh: while master, a round at the first advert this long after
 *                            the previous one (0: never)
 * @param masterRefreshRepeat garp_master_refresh_repeat: frames per address per refresh round
 * @param lowerPrioDelay      garp_lower_prio_delay: after hearing a lower-priority master, a second round
 *                            this long after the first (0: none)
 * @param lowerPrioRepeat     garp_lower_prio_repeat: frames per address when a lower-priority master is heard
 *                            (0: none)
 * @param garpInterval        vrrp_garp_interval: the least time between two gratuitous ARPs on the interface
 * @param gnaInterval         vrrp_gna_interval: the same for neighbour advertisements
 */
public record Announcements(Duration masterDelay, int masterRepeat, Duration masterRefresh, int masterRefreshRepeat,
                            Duration lowerPrioDelay, int lowerPrioRepeat, Duration garpInterval, Duration gnaInterval) {

    /**
     * keepalived's defaults: 5 frames at once and 5 more after 5 s, no refresh, and (as its global
     * vrrp_garp_lower_prio_* default to vrrp_garp_master_*) the same on hearing a lower priority.
     */
    public static final Announcements DEFAULTS = new Announcements(Duration.ofSeconds(5), 5, Duration.ZERO, 1,
            Duration.ofSeconds(5), 5, Duration.ZERO, Duration.ZERO);

    public Announcements {
        checkDelay("garp-master-delay", masterDelay);
        checkRepeat("garp-master-repeat", masterRepeat, 1);
        checkDelay("garp-master-refresh", masterRefresh);
        checkRepeat("garp-master-refresh-repeat", masterRefreshRepeat, 1);
        checkDelay("garp-lower-prio-delay", lowerPrioDelay);
        checkRepeat("garp-lower-prio-repeat", lowerPrioRepeat, 0);
        checkInterval("garp-interval", garpInterval);
        checkInterval("gna-interval", gnaInterval);
    }

    public static void checkDelay(String key, Duration d) {
        if (d == null || d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(key + " must be 0s..1d, got " + d);
        }
    }

    public static void checkRepeat(String key, int repeat, int min) {
        if (repeat < min || repeat > 255) {
            throw new IllegalArgumentException(key + " must be " + min + "..255, got " + repeat);
        }
    }

    /** keepalived reads these in seconds with microsecond resolution, up to 1 s being useful; we allow 0s..1s. */
    public static void checkInterval(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.compareTo(Duration.ofSeconds(1)) > 0 || d.toNanos() % 1000 != 0) {
            throw new IllegalArgumentException(key + " must be 0s..1s in whole microseconds, got " + d);
        }
    }

    /** The spacing of this family's frames on an interface: garp-interval for IPv4, gna-interval for IPv6. */
    public Duration interval(boolean ipv6) {
        return ipv6 ? gnaInterval : garpInterval;
    }

    public Announcements withMaster(Duration delay, int repeat) {
        return new Announcements(delay, repeat, masterRefresh, masterRefreshRepeat, lowerPrioDelay, lowerPrioRepeat,
                garpInterval, gnaInterval);
    }

    public Announcements withRefresh(Duration refresh, int repeat) {
        return new Announcements(masterDelay, masterRepeat, refresh, repeat, lowerPrioDelay, lowerPrioRepeat,
                garpInterval, gnaInterval);
    }

    public Announcements withLowerPrio(Duration delay, int repeat) {
        return new Announcements(masterDelay, masterRepeat, masterRefresh, masterRefreshRepeat, delay, repeat,
                garpInterval, gnaInterval);
    }

    public Announcements withIntervals(Duration garp, Duration gna) {
        return new Announcements(masterDelay, masterRepeat, masterRefresh, masterRefreshRepeat, lowerPrioDelay,
                lowerPrioRepeat, garp, gna);
    }
}
