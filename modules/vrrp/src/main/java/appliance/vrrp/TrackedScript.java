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
        int w = weightIn(script);
        int normal = good ? Math.max(w, 0) : Math.min(w, 0);
        return reverseIn(script) ? -normal : normal;
    }

    public boolean faultWhen(VrrpScript script, boolean good) {
        return weightIn(script) == 0 && good == reverseIn(script);
    }

    public String description() {
        return "track-script " + name;
    }
}
