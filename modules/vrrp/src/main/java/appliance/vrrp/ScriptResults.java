package appliance.vrrp;

/**
 * keepalived's rise/fall count for one {@link VrrpScript}: from good, {@code fall} failures in a
 * row make it bad; from bad, {@code rise} successes in a row make it good. Before its first
 * result it is unknown and that first result alone decides (keepalived starts the count one
 * success short of rise), unless init-fail starts it bad. Not thread-safe: one owner.
 */
public final class ScriptResults {

    private final int rise;
    private final int fall;
    /** keepalived's vscript->result: good while at least rise, from 0 to rise + fall - 1. */
    private int count;
    private boolean known;

    public ScriptResults(VrrpScript script) {
        this.rise = script.rise();
        this.fall = script.fall();
        this.known = script.initFail();
        this.count = script.initFail() ? 0 : rise - 1;
    }

    public boolean isKnown() {
        return known;
    }

    public boolean isGood() {
        return known && count >= rise;
    }

    /** Counts one run; returns whether good/bad (or known) changed. */
    public boolean record(boolean success) {
        boolean wasKnown = known;
        boolean wasGood = isGood();
        if (success) {
            count = count < rise - 1 ? count + 1 : rise + fall - 1;
        } else {
            count = count > rise ? count - 1 : 0;
        }
        known = true;
        return !wasKnown || wasGood != isGood();
    }
}
