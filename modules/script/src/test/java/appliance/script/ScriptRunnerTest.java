package appliance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import appliance.nativeio.Accounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: exit status, the timeout that kills a whole process group, the user a script runs as. */
class ScriptRunnerTest {

    @TempDir
    Path dir;
    final ScriptRunner runner = new ScriptRunner("test-scripts");

    @AfterEach
    void close() {
        runner.close();
    }

    private Path script(String body) throws Exception {
        Path p = Files.createTempFile(dir, "s", ".sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private ScriptRunner.Outcome run(Path script, Duration timeout, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(script.toString()));
        all.addAll(List.of(args));
        return runner.run(new PreparedScript(all, Accounts.uid(), Accounts.gid(), false), timeout).get(10, TimeUnit.SECONDS);
    }

    @Test
    void exitStatusZeroIsSuccessAndAnythingElseFailure() throws Exception {
        assertTrue(run(script("exit 0"), Duration.ofSeconds(5)).success());
        ScriptRunner.Outcome o = run(script("exit \"$1\""), Duration.ofSeconds(5), "3");
        assertFalse(o.success());
        assertEquals(3, o.exitStatus());
        assertEquals("exited with status 3", o.describe());
    }

    @Test
    void aScriptRunsInAProcessGroupAndSessionOfItsOwn() throws Exception {
        Path out = dir.resolve("ids");
        run(script("ps -o pid=,pgid=,sid= -p $$ > " + out), Duration.ofSeconds(5));
        String[] ids = Files.readString(out).trim().split("\\s+");
        assertEquals(ids[0], ids[1], "its own process group");
        assertEquals(ids[0], ids[2], "its own session");
        assertFalse(ids[1].equals(Long.toString(ProcessHandle.current().pid())));
    }

    @Test
    void aHungScriptAndItsChildrenAreKilledAtTheTimeoutWhichCountsAsAFailure() throws Exception {
        Path pids = dir.resolve("pids");
        // The child ignores SIGTERM: only the SIGKILL two seconds later ends it.
        Path s = script("sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; while :; do sleep 0.1; done' &\n"
                + "echo $$ >> " + pids + "\nwait");
        long start = System.nanoTime();
        ScriptRunner.Outcome o = run(s, Duration.ofMillis(300));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(o.timedOut(), o.toString());
        assertFalse(o.success());
        assertTrue(tookMillis >= 300 && tookMillis < 2000, "ended by SIGTERM soon after the timeout: " + tookMillis + " ms");
        List<Long> started = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
        assertEquals(2, started.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (started.stream().anyMatch(p -> running(p))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (long p : started) {
            assertFalse(running(p), "process " + p + " left running");
        }
    }

    @Test
    void closingEndsRunningScriptsAndChildrenThatIgnoreSigterm() throws Exception {
        Path pids = dir.resolve("pids");
        Path s = script("sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; while :; do sleep 0.1; done' &\n"
                + "echo $$ >> " + pids + "\nwait");
        runner.run(new PreparedScript(List.of(s.toString()), Accounts.uid(), Accounts.gid(), false), Duration.ofMinutes(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((!Files.exists(pids) || Files.readAllLines(pids).size() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        runner.close();
        Thread.sleep(200);
        for (String pid : Files.readAllLines(pids)) {
            assertFalse(running(Long.parseLong(pid.trim())),
                    "process " + pid + " left running");
        }
    }

    @Test
    void aScriptRunsAsItsConfiguredUserAndGroupOnly() throws Exception {
        assumeTrue(Accounts.uid() == 0, "needs root to change user");
        Accounts.User nobody = Accounts.user("nobody").orElseThrow();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = dir.resolve("id");
        Path s = script("id -u > " + out + "; id -g >> " + out + "; id -G >> " + out);
        runner.run(new PreparedScript(List.of(s.toString()), nobody.uid(), nobody.gid(), true), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(Integer.toString(nobody.uid()), Integer.toString(nobody.gid()),
                Integer.toString(nobody.gid())), Files.readAllLines(out));
    }

    @Test
    void accountsAreLookedUpThroughTheCLibrary() {
        assertEquals(0, Accounts.user("root").orElseThrow().uid());
        assertTrue(Accounts.user("no-such-user-here").isEmpty());
        assertEquals(0, Accounts.group("root").getAsInt());
    }

    /** Alive and not a zombie: a killed orphan stays a zombie until init reaps it, which is not ours to wait for. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
