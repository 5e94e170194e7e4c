package appliance.check;

/**
 * Which of an HTTP check's URLs the next run asks for, as keepalived walks them: one per run; a
 * cycle completes when every URL has passed in turn; a URL that failed is asked for again until it
 * passes, and then the cycle starts over from the first.
 */
public final class UrlCursor {

    private final int count;
    private int next;
    private boolean failedPending;

    public UrlCursor(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one URL");
        }
        this.count = count;
    }

    /** Index of the URL the next run asks for. */
    public int current() {
        return next;
    }

    /** The current URL passed; whether that completed a cycle in which every URL passed. */
    public boolean passed() {
        if (failedPending) {
            failedPending = false;
            next = 0;
            return false;
        }
        next++;
        if (next == count) {
            next = 0;
            return true;
        }
        return false;
    }

    /** The current URL failed: it is asked for again. */
    public void failed() {
        failedPending = true;
    }
}
