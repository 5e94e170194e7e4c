package appliance.check.net;

import appliance.check.MiscCheck;
import appliance.check.WeightChange;
import appliance.script.PreparedScript;
import appliance.script.ScriptRunner;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * One run of a MISC_CHECK's script, handed to the {@link ScriptRunner} (its own thread, its own
 * process group, killed at misc-timeout); the loop only hears how it ended.
 */
final class MiscProbe implements Probe {

    private final MiscCheck check;
    private final PreparedScript script;
    private final ScriptRunner runner;
    /** Why the script cannot run (missing, not executable, unsafe, no such user); null when it can. */
    private final String cannotRun;

    MiscProbe(MiscCheck check, PreparedScript script, ScriptRunner runner, String cannotRun) {
        this.check = check;
        this.script = script;
        this.runner = runner;
        this.cannotRun = cannotRun;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        if (cannotRun != null) {
            return result.setSuccess(ProbeResult.failed("cannot run: " + cannotRun));
        }
        runner.run(script, check.miscTimeout()).whenComplete((outcome, failure) -> {
            ProbeResult r = failure != null ? ProbeResult.failed("could not run: " + failure)
                    : outcome.error() != null || outcome.timedOut() ? ProbeResult.failed(outcome.describe())
                    : read(outcome.exitStatus());
            loop.execute(() -> result.trySuccess(r));
        });
        return result;
    }

    private ProbeResult read(int exitStatus) {
        WeightChange weight = check.weightFor(exitStatus);
        if (weight == null) {
            return ProbeResult.failed("exited with status " + exitStatus);
        }
        return new ProbeResult(true, "exited with status " + exitStatus, null, weight);
    }

    MiscCheck check() {
        return check;
    }
}
