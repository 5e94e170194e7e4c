package appliance.vrrp.kernel;

import appliance.nativeio.FileWatcher;
import appliance.nativeio.NativeException;
import appliance.nativeio.WholeNumberFile;
import appliance.vrrp.TrackedFile;
import appliance.vrrp.VirtualRouter;
import io.netty.channel.IoEventLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code track_file}: each tracked file's directory is watched with inotify on a loop
 * (never polled); a change is read on a thread of its own (reading a file can block, so never on a
 * loop) and turned into the tracking routers' weights and weight-0 faults on their loops.
 */
final class FileTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileTracker.class);

    private final Trackings<TrackedFile> trackings = new Trackings<>(this::apply);
    /** By file: its value as last read. */
    private final Map<Path, Long> values = new ConcurrentHashMap<>();
    private final List<FileWatcher> watchers = new ArrayList<>();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(DaemonThreads.named("vrrp-track-files"));

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedFile> tracked) {
        trackings.add(router, loop, tracked);
    }

    boolean isEmpty() {
        return trackings.isEmpty();
    }

    /** Off the loops, at start: reads every file once and starts watching their directories. */
    void start(IoEventLoop watchLoop) throws NativeException {
        List<Path> files = trackings.tracked().map(TrackedFile::file).distinct().toList();
        for (Path f : files) {
            values.put(f, read(f));
        }
        for (Path dir : files.stream().map(Path::getParent).distinct().toList()) {
            watchers.add(FileWatcher.open(watchLoop, dir, name -> changed(dir.resolve(name))));
        }
    }

    /** On a router's loop, before its startup. */
    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    /** On the watching loop: the file's name came up in an inotify event; read it off the loop. */
    private void changed(Path file) {
        if (!values.containsKey(file)) {
            return;
        }
        reader.execute(() -> {
            long value = read(file);
            Long before = values.put(file, value);
            if (before != null && before == value) {
                return;
            }
            log.info("{} now reads {}", file, value);
            trackings.changed(f -> f.file().equals(file));
        });
    }

    private void apply(Trackings.Tracking<TrackedFile> t) {
        for (TrackedFile f : t.tracked()) {
            long value = values.getOrDefault(f.file(), 0L);
            t.router().trackedWeight(f.description(), f.weightFor(value));
            t.router().trackedDown(f.description(), f.faultFor(value));
        }
    }

    private static long read(Path file) {
        return WholeNumberFile.read(file, "track-file");
    }

    @Override
    public void close() {
        watchers.forEach(FileWatcher::close);
        reader.shutdownNow();
    }
}
