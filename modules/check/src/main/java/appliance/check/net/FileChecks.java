package appliance.check.net;

import appliance.check.FileCheck;
import appliance.check.Verdict;
import appliance.check.WeightChange;
import appliance.nativeio.NativeException;
import appliance.nativeio.NumberFiles;
import io.netty.channel.IoEventLoop;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The FILE_CHECKs: each file is read once when built (so that the component starts from what the
 * files say, as keepalived does), then its directory is watched with inotify (never polled; a file
 * replaced by a rename or created later is still followed). A change is read on a thread of its
 * own, never on a loop, and its verdicts are published on the watching loop.
 */
final class FileChecks implements AutoCloseable {

    private final List<FileCheck> checks;
    private final NumberFiles files;

    /**
     * Reads every file, off the loops.
     *
     * @throws IllegalArgumentException naming the file when its directory does not exist
     */
    FileChecks(List<FileCheck> checks) {
        this.checks = List.copyOf(checks);
        checkDirectories(this.checks);
        this.files = new NumberFiles(this.checks.stream().map(FileCheck::file).distinct().toList(), "file-check");
    }

    /** @throws IllegalArgumentException naming the first file whose directory does not exist */
    static void checkDirectories(List<FileCheck> checks) {
        for (FileCheck c : checks) {
            if (!Files.isDirectory(c.file().getParent())) {
                throw new IllegalArgumentException("file-check " + c.file() + ": the directory " + c.file().getParent()
                        + " does not exist, so the file cannot be watched");
            }
        }
    }

    boolean isEmpty() {
        return checks.isEmpty();
    }

    /** The verdict {@code check}'s file gives now. */
    Verdict verdict(FileCheck check) {
        return verdict(check, files.value(check.file()));
    }

    private static Verdict verdict(FileCheck check, long value) {
        boolean down = check.downFor(value);
        return new Verdict(check, !down, check.file() + " reads " + value, Duration.ZERO,
                down ? WeightChange.NONE : check.weightFor(value));
    }

    /** Off the loops: watches every file's directory on {@code loop}; changed files' verdicts go to {@code verdicts} there. */
    void start(IoEventLoop loop, Consumer<Verdict> verdicts) throws NativeException {
        files.watch(loop, (file, before, now) -> {
            List<Verdict> changed = new ArrayList<>();
            for (FileCheck c : checks) {
                if (c.file().equals(file)) {
                    Verdict was = verdict(c, before);
                    Verdict is = verdict(c, now);
                    if (was.up() != is.up() || !was.weight().equals(is.weight())) {
                        changed.add(is);
                    }
                }
            }
            loop.execute(() -> changed.forEach(verdicts));
        });
    }

    @Override
    public void close() {
        files.close();
    }
}
