package appliance.check;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * keepalived's FILE_CHECK (a {@code track_file} followed by a real server): {@code file} holds a
 * whole number (missing or not a number: 0), followed as it changes, never polled. With weight 0
 * a non-zero number takes the check down ({@code reverse}: a zero does); otherwise the number
 * times the weight (negated by {@code reverse}) is added to the real server's weight while the
 * check stays up. {@link #target()} is the real server it belongs to.
 */
public record FileCheck(InetSocketAddress target, CheckTiming timing, Path file, int weight, boolean reverse)
        implements CheckSpec {

    public FileCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(file, "file");
        if (!file.isAbsolute() || file.getFileName() == null) {
            throw new IllegalArgumentException("file-check: needs an absolute path to a file, got " + file);
        }
    }

    @Override
    public CheckType type() {
        return CheckType.FILE_CHECK;
    }

    @Override
    public LocalEnd local() {
        return LocalEnd.ANY;
    }

    /** Whether the file's {@code value} takes the check down. */
    public boolean downFor(long value) {
        if (weight == 0) {
            return reverse ? value == 0 : value != 0;
        }
        // keepalived's IPVS_WEIGHT_FAULT: only a product at or under -2^31 is a fault.
        return product(value) <= Integer.MIN_VALUE;
    }

    /** What the file's {@code value} adds to the real server's weight while up. */
    public WeightChange weightFor(long value) {
        if (weight == 0) {
            return WeightChange.NONE;
        }
        return WeightChange.add((long) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, product(value))));
    }

    /** In double: a long times a weight must not wrap. */
    private double product(long value) {
        return (double) value * weight * (reverse ? -1 : 1);
    }
}
