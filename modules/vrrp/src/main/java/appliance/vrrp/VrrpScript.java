package appliance.vrrp;

import appliance.script.ScriptUser;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's {@code vrrp_script}: a command run every {@code interval}, killed after
 * {@code timeout} (default: the interval), whose exit status 0 is success and anything else
 * (a signal and a timeout included) failure. {@code rise} successes in a row make it good,
 * {@code fall} failures in a row bad; its first result alone decides at start, unless
 * {@code init-fail} starts it bad. The weight (overridable per instance) moves the priority of
 * the instances tracking it; weight 0 puts them in FAULT while it is bad.
 */
public record VrrpScript(String name, String command, Duration interval, Optional<Duration> timeout, int weight,
                         boolean reverse, int rise, int fall, Optional<ScriptUser> user, boolean initFail) {

    public static final int MAX_WEIGHT = 253;
    private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    public VrrpScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(user, "user");
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a script name must be one word, got \"" + name + "\"");
        }
        Notify.split(command);
        checkInterval("interval", interval);
        timeout.ifPresent(t -> checkInterval("timeout", t));
        checkWeight(weight);
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1, got rise " + rise + ", fall " + fall);
        }
    }

    public static void checkWeight(int weight) {
        if (weight < -MAX_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be -253..253 as in keepalived, got " + weight);
        }
    }

    private static void checkInterval(String what, Duration d) {
        if (d == null || d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(what + " must be 10ms..1d, got " + d);
        }
    }

    /** The program and its arguments, split as keepalived splits them. */
    public List<String> arguments() {
        return Notify.split(command);
    }

    /** After this the script's process group gets SIGTERM, and two seconds later SIGKILL. */
    public Duration effectiveTimeout() {
        return timeout.orElse(interval);
    }
}
