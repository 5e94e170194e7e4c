package appliance.check;

import appliance.script.ScriptUser;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's MISC_CHECK: {@code misc-path}, a command (program and arguments), runs off the
 * loops as {@code user} (else global script-user) and must exit within {@code miscTimeout}
 * (keepalived's default: delay-loop), or its process group is killed and the run fails. Exit 0
 * passes; with {@code misc-dynamic}, 2..255 passes too and sets the real server's weight to the
 * code minus 2; anything else fails. {@link #target()} is the real server it checks: two real
 * servers with one script are two checks.
 */
public record MiscCheck(InetSocketAddress target, CheckTiming timing, List<String> command, Optional<ScriptUser> user,
                        Duration miscTimeout, boolean dynamic) implements CheckSpec {

    public MiscCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(miscTimeout, "miscTimeout");
        command = List.copyOf(command);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("a MISC_CHECK needs misc-path, the script to run");
        }
        if (miscTimeout.isZero() || miscTimeout.isNegative()) {
            throw new IllegalArgumentException("misc-timeout must be positive, was " + miscTimeout);
        }
    }

    @Override
    public CheckType type() {
        return CheckType.MISC_CHECK;
    }

    @Override
    public LocalEnd local() {
        return LocalEnd.ANY;
    }

    /** keepalived's reading of an exit code: the weight change it means, or null for a failure. */
    public WeightChange weightFor(int exitCode) {
        if (exitCode == 0) {
            return WeightChange.NONE;
        }
        return dynamic && exitCode >= 2 && exitCode <= 255 ? WeightChange.set(exitCode - 2) : null;
    }
}
