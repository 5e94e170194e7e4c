package appliance.nativeio;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's tracked files (VRRP's track_file, the checkers' FILE_CHECK): each holds a whole
 * number (missing, empty or not a number: 0, the last logged). Read once when built, then followed:
 * their directories are watched with inotify on a loop (never polled; a file replaced by a rename
 * or created later is still seen), and a change is read on a thread of its own, never on a loop.
 *
 * <p>Threading: build and {@link #watch} off the loops; {@link #value} from any thread; the
 * listener runs on the reading thread.
 */
public final class NumberFiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NumberFiles.class);

    /** A file's number changed. */
    @FunctionalInterface
    public interface Listener {
        void changed(Path file, long before, long now);
    }

    private final String what;
    private final Map<Path, Long> values = new ConcurrentHashMap<>();
    private final List<FileWatcher> watchers = new ArrayList<>();
    /** Made by {@link #watch}, when there is something to read. */
    private volatile ExecutorService reader;

    /** @param what names the files' users in the log, e.g. "track-file" */
    public NumberFiles(Collection<Path> files, String what) {
        this.what = what;
        for (Path f : files) {
            values.computeIfAbsent(f, this::read);
        }
    }

    /** The file's number as last read; 0 for a file not followed here. */
    public long value(Path file) {
        return values.getOrDefault(file, 0L);
    }

    /** Watches every file's directory on {@code loop}; each change of a number goes to {@code listener}. */
    public void watch(IoEventLoop loop, Listener listener) throws NativeException {
        if (values.isEmpty()) {
            return;
        }
        reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, what + "s");
            t.setDaemon(true);
            return t;
        });
        for (Path dir : values.keySet().stream().map(Path::getParent).distinct().toList()) {
            watchers.add(FileWatcher.open(loop, dir, name -> changed(dir.resolve(name), listener)));
        }
    }

    /** On the watching loop: a name in a watched directory changed; read it off the loop. */
    private void changed(Path file, Listener listener) {
        if (!values.containsKey(file)) {
            return;
        }
        reader.execute(() -> {
            long now = read(file);
            Long before = values.put(file, now);
            if (before != null && before == now) {
                return;
            }
            log.info("{} {} now reads {}", what, file, now);
            listener.changed(file, before == null ? 0 : before, now);
        });
    }

    private long read(Path file) {
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

    @Override
    public void close() {
        watchers.forEach(FileWatcher::close);
        if (reader != null) {
            reader.shutdownNow();
        }
    }
}
