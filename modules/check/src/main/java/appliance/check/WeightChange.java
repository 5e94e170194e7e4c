package appliance.check;

/**
 * How a check changes its real server's weight while it is up (keepalived's {@code cur_weight}):
 * not at all; {@code misc-dynamic}'s exit code sets the weight (code − 2); a FILE_CHECK adds the
 * file's number times its weight. A check that is down changes nothing: its real server is not
 * alive anyway.
 */
public record WeightChange(Kind kind, long value) {

    public enum Kind { NONE, SET, ADD }

    public static final WeightChange NONE = new WeightChange(Kind.NONE, 0);

    public WeightChange {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.NONE && value != 0) {
            throw new IllegalArgumentException("no change has no value");
        }
    }

    /** The real server's weight becomes {@code weight} (misc-dynamic). */
    public static WeightChange set(long weight) {
        return new WeightChange(Kind.SET, weight);
    }

    /** {@code delta} is added to the real server's weight (FILE_CHECK). */
    public static WeightChange add(long delta) {
        return new WeightChange(Kind.ADD, delta);
    }

    /** What this adds to a real server configured with {@code weight}. */
    public long contribution(int weight) {
        return switch (kind) {
            case NONE -> 0;
            case SET -> value - weight;
            case ADD -> value;
        };
    }

    /**
     * keepalived's real_weight: the weight a real server configured with {@code weight} gets from
     * its checks' {@code contributions}, kept within IPVS's 0..2^31-1.
     */
    public static int effectiveWeight(int weight, long contributions) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, weight + contributions));
    }
}
