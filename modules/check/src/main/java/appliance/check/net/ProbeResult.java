package appliance.check.net;

/** How one run of a check ended: passed, or failed and why (in words for the log). */
record ProbeResult(boolean passed, String reason) {

    static final ProbeResult PASSED = new ProbeResult(true, "ok");

    static ProbeResult failed(String reason) {
        return new ProbeResult(false, reason);
    }
}
