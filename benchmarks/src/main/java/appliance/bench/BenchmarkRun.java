package appliance.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What every benchmark report states: the machine, the commit, and where it is appended. */
final class BenchmarkRun {

    private BenchmarkRun() {
    }

    static String machine() {
        return "nproc " + output("nproc") + ", kernel " + output("uname", "-r") + ", "
                + output("keepalived", "--version").lines().findFirst().orElse("keepalived ?")
                + ", Java " + System.getProperty("java.version");
    }

    static String revision() {
        String commit = output("git", "rev-parse", "--short", "HEAD");
        boolean dirty = !output("git", "status", "--porcelain", "--untracked-files=no").isEmpty();
        return commit.isEmpty() ? "unknown (not a git checkout)" : commit + (dirty ? " with uncommitted changes" : "");
    }

    static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void append(Path results, String report) throws IOException {
        if (!Files.exists(results)) {
            Files.writeString(results, "# Benchmark results\n\nWritten by the scripts in `benchmarks/`; newest last.\n");
        }
        Files.writeString(results, "\n" + report, StandardOpenOption.APPEND);
    }
}
