package appliance.lab;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A long-running command in a namespace ({@code ip netns exec NS ...}, which execs, so the
 * process is the command itself). Its stdout and stderr are read line by line on a thread and
 * kept with their arrival time, so tests can wait for a line and compare when lines of
 * different processes arrived. Started with {@link #startWithOutputUnread}, nothing reads the
 * output until {@link #readOutput()}: the pipe fills (64 KiB on Linux) and the process's writes
 * then block, as under a stalled log collector.
 */
public final class NodeProcess implements AutoCloseable {

    /** One line of output, numbered from 0, with the instant this JVM read it. */
    public record Line(int index, Instant at, String text) {

        @Override
        public String toString() {
            return at + " " + text;
        }
    }

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final int TAIL = 25;

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Thread reader;
    private final BufferedWriter log;
    private final List<Line> lines = new ArrayList<>();
    private final CountDownLatch reading;
    private boolean ended;

    private NodeProcess(String name, List<String> command, Process process, Path logFile, boolean unread)
            throws IOException {
        this.name = name;
        this.command = command;
        this.process = process;
        this.log = logFile == null ? null : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        this.reading = new CountDownLatch(unread ? 1 : 0);
        this.reader = new Thread(this::copyOutput, "output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command} in {@code namespace} (null: the host namespace), its output also
     * copied to {@code logFile} when not null.
     */
    public static NodeProcess start(String name, String namespace, List<String> command, Path logFile) {
        return start(name, namespace, command, logFile, false);
    }

    /**
     * As {@link #start}, but its output stays in the pipe, unread, until {@link #readOutput()}
     * (or {@link #close()}); until then no line is seen, and {@link #unreadBytes()} tells how full
     * the pipe is.
     */
    public static NodeProcess startWithOutputUnread(String name, String namespace, List<String> command,
                                                    Path logFile) {
        return start(name, namespace, command, logFile, true);
    }

    private static NodeProcess start(String name, String namespace, List<String> command, Path logFile,
                                     boolean unread) {
        List<String> full = Commands.inNamespace(namespace, command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new NodeProcess(name, full, process, logFile, unread);
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (`" + String.join(" ", full) + "`): " + e.getMessage(), e);
        }
    }

    /** Starts reading the output of a process started with {@link #startWithOutputUnread}; idempotent. */
    public void readOutput() {
        reading.countDown();
    }

    /**
     * The bytes waiting in the output pipe (FIONREAD), before {@link #readOutput()} only: once
     * the reader runs, it holds the stream's lock while it waits for data.
     */
    public int unreadBytes() {
        if (reading.getCount() == 0) {
            throw new IllegalStateException(name + ": its output is being read");
        }
        try {
            return process.getInputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reading.await();
            for (String text; (text = in.readLine()) != null; ) {
                Instant at = Instant.now();
                synchronized (lines) {
                    lines.add(new Line(lines.size(), at, text));
                    lines.notifyAll();
                }
                if (log != null) {
                    log.write(at + " " + text);
                    log.newLine();
                    log.flush();
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // the stream closes when the process is killed; nothing interrupts this thread
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
            try {
                if (log != null) {
                    log.close();
                }
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** All lines so far. */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The number of lines so far: pass it to {@link #awaitLine(int, Pattern, Duration)} to wait for a line after now. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The first line containing {@code substring}, waiting up to {@code timeout} for it. */
    public Line awaitLine(String substring, Duration timeout) {
        return awaitLine(0, text -> text.contains(substring), "a line containing \"" + substring + "\"", timeout);
    }

    /** The first line in which {@code pattern} is found, waiting up to {@code timeout} for it. */
    public Line awaitLine(Pattern pattern, Duration timeout) {
        return awaitLine(0, pattern, timeout);
    }

    /** The first line numbered {@code from} or later in which {@code pattern} is found. */
    public Line awaitLine(int from, Pattern pattern, Duration timeout) {
        return awaitLine(from, text -> pattern.matcher(text).find(), "a line matching /" + pattern + "/", timeout);
    }

    /**
     * The first line numbered {@code from} or later that matches; throws {@link LabException}
     * with the tail of the output when the timeout passes or the process ends first.
     */
    public Line awaitLine(int from, Predicate<String> match, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int i = Math.max(from, 0);
            while (true) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i).text())) {
                        return lines.get(i);
                    }
                }
                if (ended) {
                    throw new LabException(name + " ended" + exitDescription() + " before logging " + description
                            + tailForMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LabException(name + " did not log " + description + " within " + seconds(timeout)
                            + tailForMessage());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while waiting for " + name + " to log " + description, e);
                }
            }
        }
    }

    /** The latest line in which {@code pattern} is found, if any. */
    public Optional<Line> lastLine(Pattern pattern) {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (pattern.matcher(lines.get(i).text()).find()) {
                    return Optional.of(lines.get(i));
                }
            }
        }
        return Optional.empty();
    }

    /** The last {@code n} lines, one per line, for messages. */
    public String tail(int n) {
        List<Line> all = lines();
        return all.subList(Math.max(0, all.size() - n), all.size()).stream()
                .map(line -> "    " + line.text())
                .collect(Collectors.joining("\n"));
    }

    private String tailForMessage() {
        String tail = tail(TAIL);
        return tail.isEmpty() ? " (no output)" : "; last output of " + name + ":\n" + tail;
    }

    private String exitDescription() {
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                return " (exit " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** Sends a signal by name ({@code TERM}, {@code HUP}, {@code USR1}, ...) to the process. */
    public void signal(String signal) {
        Commands.run("kill", "-s", signal, Long.toString(process.pid())).orThrow();
    }

    /** Waits for the process to exit and returns its status; throws if it is still running after {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LabException(name + " still running " + seconds(timeout) + " later" + tailForMessage());
            }
            reader.join(1000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** SIGTERM, then after a grace period SIGKILL to it and its children; idempotent. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        // A process blocked on a full pipe could not finish a graceful stop.
        readOutput();
        try {
            List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            children.forEach(ProcessHandle::destroyForcibly);
            reader.join(1000);
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String seconds(Duration d) {
        return String.format("%.3f s", d.toNanos() / 1e9);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ": " + String.join(" ", command) + ")";
    }
}
