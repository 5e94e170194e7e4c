package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test creates and always deletes ({@code ip netns add apptest-...}).
 * Sockets belong to the namespace of the thread that creates them, so {@link #call} runs code on
 * a fresh thread that has entered the namespace (setns(2) moves only the calling thread) and
 * dies afterwards: no thread of the test JVM is left in it, and the host is never touched.
 */
final class TestNetns implements AutoCloseable {

    final String name;

    private TestNetns(String name) {
        this.name = name;
    }

    static TestNetns create() throws IOException {
        String name = "apptest-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run("ip", "netns", "add", name);
        TestNetns ns = new TestNetns(name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** {@code ip -n NAME args...}; fails on a non-zero exit. */
    String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** {@code ip netns exec NAME args...}. */
    String exec(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs {@code body} on a new thread inside this namespace and returns its result. */
    <T> T call(Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                enter();
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "in-" + name);
        t.setDaemon(true);
        t.start();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private void enter() throws IOException {
        Path file = Path.of("/var/run/netns", name);
        int fd = TestLibC.INSTANCE.open(file.toString(), TestLibC.O_RDONLY | TestLibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open " + file + ": errno " + TestLibC.errno());
        }
        try {
            if (TestLibC.INSTANCE.setns(fd, TestLibC.CLONE_NEWNET) < 0) {
                throw new IOException("setns " + file + ": errno " + TestLibC.errno());
            }
        } finally {
            TestLibC.INSTANCE.close(fd);
        }
        // Refuse to go on unless this thread really is in the test namespace.
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        assertEquals("net:[" + Files.getAttribute(file, "unix:ino") + "]", self, "thread's network namespace");
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
        return output;
    }
}
