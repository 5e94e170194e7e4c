package appliance.check;

import java.time.Duration;

/**
 * A check's state, decided: up or down, why (the failure, or "ok"), how long the run that decided
 * it took, and how it changes its real server's weight while up ({@link WeightChange#NONE} unless
 * the check is dynamic). Published when the state is first decided, on every change, and when a
 * dynamic check changes the weight.
 */
public record Verdict(CheckSpec check, boolean up, String reason, Duration latency, WeightChange weight) {

    public Verdict {
        java.util.Objects.requireNonNull(weight, "weight");
    }

    public Verdict(CheckSpec check, boolean up, String reason, Duration latency) {
        this(check, up, reason, latency, WeightChange.NONE);
    }
}
