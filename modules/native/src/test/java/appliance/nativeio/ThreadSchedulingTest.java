package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The nice value and SCHED_RR land on the calling thread alone, as /proc shows them. */
class ThreadSchedulingTest {

    /** /proc/thread-self/stat after "(comm)": nice is field 19, policy field 41 (1-based, whole line). */
    private static String[] stat() throws Exception {
        String s = Files.readString(Path.of("/proc/thread-self/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static <T> T onANewThread(java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void niceAndRoundRobinApplyToTheCallingThreadOnly() throws Exception {
        String[] before = stat();
        String[] niced = onANewThread(() -> {
            ThreadScheduling.nice(7);
            return stat();
        });
        assertEquals("7", niced[16], "nice of the thread that asked");
        assertEquals(before[16], stat()[16], "this thread's nice is unchanged");
        String[] realtime = onANewThread(() -> {
            ThreadScheduling.roundRobin(10);
            return stat();
        });
        assertEquals("2", realtime[38], "policy SCHED_RR");
        assertEquals("10", realtime[37], "rt_priority");
        assertEquals("0", stat()[38], "this thread stays SCHED_OTHER");
        assertThrows(IllegalArgumentException.class, () -> ThreadScheduling.roundRobin(100));
        assertThrows(IllegalArgumentException.class, () -> ThreadScheduling.nice(20));
    }
}
