package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inotify on a directory: writes, atomic replaces, creation and deletion are heard, on the loop. */
class FileWatcherTest {

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void writesReplacesCreationsAndDeletionsAreHeardOnTheLoop(@TempDir Path dir) throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        try (FileWatcher w = FileWatcher.open(loop, dir, name -> heard.add(name + (loop.inEventLoop() ? "" : " OFF LOOP")))) {
            Path weight = dir.resolve("weight");
            Files.writeString(weight, "10\n");
            assertEquals("weight", heard.poll(5, TimeUnit.SECONDS), "created");
            heard.clear();
            Path tmp = dir.resolve(".weight.tmp");
            Files.writeString(tmp, "20\n");
            Files.move(tmp, weight, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            boolean replaced = false;
            for (String s = heard.poll(5, TimeUnit.SECONDS); s != null; s = heard.poll(200, TimeUnit.MILLISECONDS)) {
                assertTrue(!s.endsWith("OFF LOOP"), s);
                replaced |= s.equals("weight");
            }
            assertTrue(replaced, "the rename onto weight is heard");
            Files.delete(weight);
            assertEquals("weight", heard.poll(5, TimeUnit.SECONDS), "deleted");
        }
        Files.writeString(dir.resolve("after"), "1");
        assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "nothing after close");
    }

    @Test
    void aMissingDirectoryIsNamed() {
        NativeException e = assertThrows(NativeException.class,
                () -> FileWatcher.open(loop, Path.of("/nonexistent-dir-for-test"), n -> { }));
        assertTrue(e.getMessage().contains("inotify_add_watch(/nonexistent-dir-for-test)") || e.call().contains("nonexistent"),
                e.getMessage());
    }
}
