package appliance.nativeio;

import io.netty.channel.IoEventLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * inotify(7) on one directory, registered on an event loop: the listener hears the name of each
 * file in it that was written and closed, moved in, created or deleted. The directory rather than
 * the file is watched, so that a file replaced by a rename (as editors and atomic writers do) or
 * created later is still followed. Never polls.
 *
 * <p>Threading: {@link #open} off the loop; the listener runs on the loop; {@link #close} from any thread.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    private static final int EVENT_HEADER = 16;
    private static final int BUFFER = 4096;

    private final EpollSocket socket;
    private final Consumer<String> listener;
    private final Pointer buffer = Memory.allocateDirect(Syscalls.runtime(), BUFFER);
    private final String description;

    private FileWatcher(IoEventLoop loop, int fd, String description, Consumer<String> listener) throws NativeException {
        this.listener = listener;
        this.description = description;
        this.socket = EpollSocket.register(loop, fd, description, this::readable, null);
    }

    /**
     * @throws NativeException ENOENT when the directory does not exist, EACCES without the right to read it
     */
    public static FileWatcher open(IoEventLoop loop, Path directory, Consumer<String> listener) throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(listener, "listener");
        if (loop.inEventLoop()) {
            throw new IllegalStateException("FileWatcher.open waits for its loop: call it off the loop");
        }
        int fd = Syscalls.inotifyInit("inotify_init1");
        try {
            Syscalls.inotifyAddWatch(fd, directory.toString(),
                    IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE,
                    "inotify_add_watch(" + directory + ")");
        } catch (NativeException e) {
            Syscalls.close(fd);
            throw e;
        }
        return new FileWatcher(loop, fd, "inotify on " + directory, listener);
    }

    private void readable(EpollSocket s) {
        while (s.isOpen()) {
            long n = Syscalls.read(s.intValue(), buffer, BUFFER);
            if (n <= 0) {
                if (n < 0 && -n != Errno.EAGAIN && -n != Errno.EINTR) {
                    log.debug("{}: read failed: {}", description, Errno.describe((int) -n));
                }
                return;
            }
            for (int at = 0; at + EVENT_HEADER <= n; ) {
                int length = buffer.getInt(at + 12);
                if (length > 0) {
                    byte[] raw = new byte[length];
                    buffer.get(at + EVENT_HEADER, raw, 0, length);
                    int end = 0;
                    while (end < raw.length && raw[end] != 0) {
                        end++;
                    }
                    try {
                        listener.accept(new String(raw, 0, end, StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        log.warn("{}: listener failed", description, e);
                    }
                }
                at += EVENT_HEADER + length;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
