package appliance.nativeio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's reading of a tracked file (VRRP's track_file, the checkers' FILE_CHECK): the whole
 * number it starts with; 0 when it is missing, empty or holds none (the last logged). Blocks on
 * the file system: never call it on an event loop.
 */
public final class WholeNumberFile {

    private static final Logger log = LoggerFactory.getLogger(WholeNumberFile.class);

    private WholeNumberFile() {
    }

    /** @param what names the file's user in the warning, e.g. "track-file" */
    public static long read(Path file, String what) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? 0 : Long.parseLong(text.split("\\s+")[0]);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("{} {}: cannot read a whole number ({}): counting it as 0", what, file, e.getMessage());
            return 0;
        }
    }
}
