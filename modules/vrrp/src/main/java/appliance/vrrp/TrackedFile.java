package appliance.vrrp;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of keepalived's {@code track_file}: a file holding a whole number. With weight 0 a
 * non-zero value is a failure (FAULT) and 0 is fine; otherwise the value times the weight is added
 * to the priority, and a product below -253 is a failure, as keepalived defines it. A file that is
 * missing or holds no number reads as 0.
 */
public record TrackedFile(Path file, int weight) {

    public TrackedFile {
        Objects.requireNonNull(file, "file");
        if (!file.isAbsolute() || file.getFileName() == null) {
            throw new IllegalArgumentException("track-file " + file + ": needs an absolute path to a file");
        }
        if (weight < -TrackedInterface.MAX_WEIGHT || weight > TrackedInterface.MAX_WEIGHT) {
            throw new IllegalArgumentException("track-file " + file + ": weight must be -254..254, got " + weight);
        }
    }

    public int weightFor(long value) {
        if (weight == 0 || faultFor(value)) {
            return 0;
        }
        return (int) Math.max(-253, Math.min(253, value * weight));
    }

    public boolean faultFor(long value) {
        return weight == 0 ? value != 0 : value * weight < -253;
    }

    public String description() {
        return "track-file " + file;
    }
}
