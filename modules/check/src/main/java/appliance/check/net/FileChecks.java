package appliance.check.net;

import appliance.check.FileCheck;
import appliance.check.Verdict;
import appliance.nativeio.FileWatcher;
import appliance.nativeio.NativeException;
import appliance.nativeio.WholeNumberFile;
import io.netty.channel.IoEventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FILE_CHECKs: each file is read once when built (so that the component starts from what the
 * files say, as keepalived does), then its directory is watched with inotify (never polled; a file
 * replaced by a rename or created later is still followed). A change is read on a thread of its
 * own, never on a loop, and its verdicts are published on the watching loop.
 */
final class FileChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileChecks.class);

    private final List<FileCheck> checks;
    /** By file: its number as last read. Written on the reader thread after construction. */
    private final Map<Path, Long> values = new ConcurrentHashMap<>();
    private final List<FileWatcher> watchers = new ArrayList<>();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "check-files");
        t.setDaemon(true);
        return t;
    });

    /**
     * Reads every file, off the loops.
     *
     * @throws IllegalArgumentException naming the file when its directory does not exist
     */
    FileChecks(List<FileCheck> checks) {
        this.checks = List.copyOf(checks);
        for (FileCheck c : this.checks) {
            if (!Files.isDirectory(c.file().getParent())) {
                throw new IllegalArgumentException("file-check " + c.file() + ": the directory " + c.file().getParent()
                        + " does not exist, so the file cannot be watched");
            }
            values.computeIfAbsent(c.file(), FileChecks::read);
        }
    }

    boolean isEmpty() {
        return checks.isEmpty();
    }

    /** The verdict {@code check}'s file gives now. */
    Verdict verdict(FileCheck check) {
        return verdict(check, values.getOrDefault(check.file(), 0L));
    }

    private static Verdict verdict(FileCheck check, long value) {
        boolean down = check.downFor(value);
        return new Verdict(check, !down, check.file() + " reads " + value, Duration.ZERO,
                down ? appliance.check.WeightChange.NONE : check.weightFor(value));
    }

    /** Off the loops: watches every file's directory on {@code loop}; changed files' verdicts go to {@code verdicts} there. */
    void start(IoEventLoop loop, Consumer<Verdict> verdicts) throws NativeException {
        for (Path dir : checks.stream().map(c -> c.file().getParent()).distinct().toList()) {
            watchers.add(FileWatcher.open(loop, dir, name -> changed(dir.resolve(name), loop, verdicts)));
        }
    }

    /** On the watching loop: a name in a watched directory changed; read it off the loop. */
    private void changed(Path file, IoEventLoop loop, Consumer<Verdict> verdicts) {
        if (!values.containsKey(file)) {
            return;
        }
        reader.execute(() -> {
            long value = read(file);
            Long before = values.put(file, value);
            if (before != null && before == value) {
                return;
            }
            log.info("file-check {} now reads {}", file, value);
            List<Verdict> changed = new ArrayList<>();
            for (FileCheck c : checks) {
                if (c.file().equals(file)) {
                    Verdict was = verdict(c, before == null ? 0 : before);
                    Verdict now = verdict(c, value);
                    if (was.up() != now.up() || !was.weight().equals(now.weight())) {
                        changed.add(now);
                    }
                }
            }
            loop.execute(() -> changed.forEach(verdicts));
        });
    }

    static long read(Path file) {
        return WholeNumberFile.read(file, "file-check");
    }

    @Override
    public void close() {
        watchers.forEach(FileWatcher::close);
        reader.shutdownNow();
    }
}
