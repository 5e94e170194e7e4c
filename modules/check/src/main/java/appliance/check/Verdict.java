package appliance.check;

import java.time.Duration;

/**
 * A check's state, decided: up or down, why (the failure, or "ok"), how long the run that decided
 * it took, and the weight it gives its real server (its configured weight unless a dynamic check
 * says otherwise). Published when the state is first decided and on every change.
 */
public record Verdict(CheckSpec check, boolean up, String reason, Duration latency) {
}
