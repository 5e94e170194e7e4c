package appliance.vrrp.kernel;

import appliance.nativeio.NativeException;
import appliance.nativeio.NumberFiles;
import appliance.vrrp.TrackedFile;
import appliance.vrrp.VirtualRouter;
import io.netty.channel.IoEventLoop;
import java.util.List;

/**
 * keepalived's {@code track_file}: each tracked file's directory is watched with inotify on a loop
 * (never polled); a change is read on a thread of its own (reading a file can block, so never on a
 * loop) and turned into the tracking routers' weights and weight-0 faults on their loops.
 */
final class FileTracker implements AutoCloseable {

    private final Trackings<TrackedFile> trackings = new Trackings<>(this::apply);
    /** The tracked files' numbers; null until {@link #start}. */
    private volatile NumberFiles files;

    void add(VirtualRouter router, IoEventLoop loop, List<TrackedFile> tracked) {
        trackings.add(router, loop, tracked);
    }

    /** A reload removed the instance. */
    void remove(VirtualRouter router) {
        trackings.remove(router);
    }

    boolean isEmpty() {
        return trackings.isEmpty();
    }

    /** Off the loops, at start: reads every file once and starts watching their directories. */
    void start(IoEventLoop watchLoop) throws NativeException {
        files = new NumberFiles(trackings.tracked().map(TrackedFile::file).distinct().toList(), "track-file");
        files.watch(watchLoop, (file, before, now) -> trackings.changed(f -> f.file().equals(file)));
    }

    /** On a router's loop, before its startup. */
    void applyTo(VirtualRouter router) {
        trackings.applyTo(router);
    }

    private void apply(Trackings.Tracking<TrackedFile> t) {
        NumberFiles read = files;
        for (TrackedFile f : t.tracked()) {
            long value = read == null ? 0 : read.value(f.file());
            t.router().trackedWeight(f.description(), f.weightFor(value));
            t.router().trackedDown(f.description(), f.faultFor(value));
        }
    }

    @Override
    public void close() {
        if (files != null) {
            files.close();
        }
    }
}
