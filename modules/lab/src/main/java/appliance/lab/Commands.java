package appliance.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (ip, nft, kill) to completion, with a timeout. */
final class Commands {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Exit status and merged stdout+stderr of a finished command. */
    record Result(List<String> command, int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }

        Result orThrow() {
            if (!ok()) {
                throw new LabException("`" + String.join(" ", command) + "` exited " + exitCode
                        + (output.isBlank() ? "" : ": " + output.strip()));
            }
            return this;
        }
    }

    private Commands() {
    }

    static Result run(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT);
    }

    static Result run(List<String> command, Duration timeout) {
        String shown = String.join(" ", command);
        // Cleanup runs this after a JUnit timeout has interrupted the thread; it must still work.
        boolean interrupted = Thread.interrupted();
        Path out = null;
        Process process = null;
        try {
            // Output goes to a file, so a chatty command can never block on a full pipe.
            out = Files.createTempFile("labcmd-", ".out");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new LabException("`" + shown + "` did not finish within " + timeout);
            }
            return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LabException("cannot run `" + shown + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
            throw new LabException("interrupted while running `" + shown + "`", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code ip netns exec NAMESPACE command...}, or the command itself for the host namespace (null). */
    static List<String> inNamespace(String namespace, List<String> command) {
        if (namespace == null) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }
}
