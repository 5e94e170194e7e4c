package appliance.check.net;

import appliance.check.WeightChange;

/**
 * How one run of a check ended: passed, or failed and why (in words for the log); for an HTTP
 * check that hashed the body, its MD5 in hex (else null); for a dynamic check that passed, the
 * weight it gives its real server.
 */
record ProbeResult(boolean passed, String reason, String digest, WeightChange weight) {

    static final ProbeResult PASSED = new ProbeResult(true, "ok", null, WeightChange.NONE);

    ProbeResult(boolean passed, String reason, String digest) {
        this(passed, reason, digest, WeightChange.NONE);
    }

    static ProbeResult failed(String reason) {
        return new ProbeResult(false, reason, null);
    }
}
