package appliance.vrrp;

import java.util.Objects;
import java.util.Optional;

/** One entry of an instance's {@code track_process}: a {@link VrrpProcess} by name, with keepalived's weight override. */
public record TrackedProcess(String name, Optional<Integer> weight, boolean reverse) {

    public TrackedProcess {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weight, "weight");
        weight.ifPresent(VrrpScript::checkWeight);
    }

    public static TrackedProcess named(String name) {
        return new TrackedProcess(name, Optional.empty(), false);
    }

    public int weightIn(VrrpProcess p) {
        return weight.orElse(p.weight());
    }

    private boolean reverseIn(VrrpProcess p) {
        return weight.isPresent() ? reverse : p.reverse();
    }

    public int weightWhen(VrrpProcess p, boolean up) {
        return TrackedScript.weightWhen(weightIn(p), reverseIn(p), up);
    }

    public boolean faultWhen(VrrpProcess p, boolean up) {
        return TrackedScript.faultWhen(weightIn(p), reverseIn(p), up);
    }

    public String description() {
        return "track-process " + name;
    }
}
