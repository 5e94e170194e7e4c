package appliance.check.net;

/**
 * How one run of a check ended: passed, or failed and why (in words for the log); for an HTTP
 * check that hashed the body, its MD5 in hex (else null).
 */
record ProbeResult(boolean passed, String reason, String digest) {

    static final ProbeResult PASSED = new ProbeResult(true, "ok", null);

    static ProbeResult failed(String reason) {
        return new ProbeResult(false, reason, null);
    }
}
