package appliance;

import appliance.config.InitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** keepalived's track_file init_file, carried out before what tracks the files reads them. */
final class InitFiles {

    private static final Logger log = LoggerFactory.getLogger(InitFiles.class);

    private InitFiles() {
    }

    /**
     * Creates each missing file holding its value; with overwrite, writes an existing regular file
     * too, except at a reload (as keepalived). A file that cannot be written is logged, as
     * keepalived reports it, and whatever tracks it reads what is there.
     */
    static void apply(List<InitFile> files, boolean reload) {
        for (InitFile f : files) {
            boolean exists = Files.exists(f.file(), LinkOption.NOFOLLOW_LINKS);
            if (exists && (!f.overwrite() || reload)) {
                continue;
            }
            if (exists && !Files.isRegularFile(f.file(), LinkOption.NOFOLLOW_LINKS)) {
                log.warn("Cannot initialise track file {} - it is not a regular file", f.file());
                continue;
            }
            try {
                Files.writeString(f.file(), f.value() + "\n", StandardCharsets.US_ASCII);
                log.info("track file {} initialised to {}", f.file(), f.value());
            } catch (IOException e) {
                log.warn("Unable to initialise track file {}: {}", f.file(), e.toString());
            }
        }
    }
}
