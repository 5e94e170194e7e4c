package appliance.vrrp;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an instance's {@code track_script}: a {@link VrrpScript} by name, with keepalived's
 * per-instance {@code weight W [reverse]} override. A positive weight is added while the script is
 * good, a negative one while it is bad; {@code reverse} turns both round. Weight 0: bad means
 * FAULT (good means FAULT with reverse).
 */
public record TrackedScript(String name, Optional<Integer> weight, boolean reverse) {

    public TrackedScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weight, "weight");
        weight.ifPresent(VrrpScript::checkWeight);
    }

    public static TrackedScript named(String name) {
        return new TrackedScript(name, Optional.empty(), false);
    }

    public int weightIn(VrrpScript script) {
        return weight.orElse(script.weight());
    }

    public boolean reverseIn(VrrpScript script) {
        return weight.isPresent() ? reverse : script.reverse();
    }

    /** What it adds to the priority while the script is {@code good} (nothing before its first result). */
    public int weightWhen(VrrpScript script, boolean good) {
        return weightWhen(weightIn(script), reverseIn(script), good);
    }

    public boolean faultWhen(VrrpScript script, boolean good) {
        return faultWhen(weightIn(script), reverseIn(script), good);
    }

    /**
     * keepalived's rule for a weighted tracked object that is good or bad (a script, a
     * process): a positive weight is added while good, a negative one while bad, both turned
     * round by reverse.
     */
    static int weightWhen(int weight, boolean reverse, boolean good) {
        int normal = good ? Math.max(weight, 0) : Math.min(weight, 0);
        return reverse ? -normal : normal;
    }

    /** Weight 0: bad is FAULT (good, with reverse). */
    static boolean faultWhen(int weight, boolean reverse, boolean good) {
        return weight == 0 && good == reverse;
    }

    public String description() {
        return "track-script " + name;
    }
}
