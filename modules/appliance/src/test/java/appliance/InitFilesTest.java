package appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.config.InitFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's init_file: a missing file is created; overwrite writes an existing one, but not at a reload. */
class InitFilesTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsCreatedAndOverwriteWritesAnExistingOneExceptAtAReload() throws Exception {
        Path missing = dir.resolve("missing");
        Path kept = dir.resolve("kept");
        Path overwritten = dir.resolve("overwritten");
        Files.writeString(kept, "7\n");
        Files.writeString(overwritten, "7\n");
        InitFiles.apply(List.of(new InitFile(missing, 5, false), new InitFile(kept, 5, false),
                new InitFile(overwritten, -3, true)), false);
        assertEquals("5\n", Files.readString(missing));
        assertEquals("7\n", Files.readString(kept), "without overwrite an existing file is left as it is");
        assertEquals("-3\n", Files.readString(overwritten));
        Files.writeString(overwritten, "9\n");
        Files.delete(missing);
        InitFiles.apply(List.of(new InitFile(missing, 5, false), new InitFile(overwritten, -3, true)), true);
        assertEquals("9\n", Files.readString(overwritten), "a reload never overwrites");
        assertEquals("5\n", Files.readString(missing), "a reload still creates a missing file");
        Files.createDirectory(dir.resolve("a-directory"));
        InitFiles.apply(List.of(new InitFile(dir.resolve("a-directory"), 1, true)), false); // logged, not thrown
    }
}
