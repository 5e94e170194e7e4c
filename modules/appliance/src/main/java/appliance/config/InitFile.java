package appliance.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * keepalived's {@code init_file} of a track_file: at start the file is created holding
 * {@code value} when it does not exist, or, with {@code overwrite}, written whatever it holds (a
 * regular file only; a reload never overwrites), so that what tracks it starts from a known number.
 */
public record InitFile(Path file, int value, boolean overwrite) {

    public InitFile {
        Objects.requireNonNull(file, "file");
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("needs an absolute path, got \"" + file + "\"");
        }
        if (value < -254 || value > 254) {
            throw new IllegalArgumentException("an init value is -254..254 (keepalived's sensible range), got " + value);
        }
    }
}
