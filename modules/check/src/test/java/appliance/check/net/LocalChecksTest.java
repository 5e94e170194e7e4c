package appliance.check.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.FileCheck;
import appliance.check.MiscCheck;
import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import appliance.script.ScriptAccess;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK scripts and FILE_CHECK files driving real servers' state and weight, on real loops. */
class LocalChecksTest {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What the listener heard, in order: "alive", "dead", "weight N", "quorum up|down". */
    private final BlockingQueue<String> news = new LinkedBlockingQueue<>();

    private CheckComponent component(List<VirtualServer> vss) {
        CheckComponent c = new CheckComponent(vss, group, new Random(1));
        c.addListener(new VerdictListener() {
            @Override
            public void realServerChanged(VirtualServer vs, RealServer rs, boolean alive) {
                news.add(alive ? "alive" : "dead");
            }

            @Override
            public void realServerWeightChanged(VirtualServer vs, RealServer rs, int weight) {
                news.add("weight " + weight);
            }

            @Override
            public void virtualServerChanged(VirtualServer vs, boolean up) {
                news.add("quorum " + (up ? "up" : "down"));
            }
        });
        return c;
    }

    @Test
    void miscDynamicExitCodesSetTheWeightAndOtherCodesTakeTheServerDown() throws Exception {
        Path code = dir.resolve("code");
        Files.writeString(code, "0");
        Path script = script("exit $(cat " + code + ")");
        Duration loop = Duration.ofMillis(150);
        MiscCheck check = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(loop, 0),
                List.of(script.toString()), Optional.empty(), Duration.ofSeconds(5), true);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 3, List.of(check));
        RealServer unchecked = new RealServer(InetAddress.getLoopbackAddress(), 81, 3, List.of());
        VirtualServer vs = vs(List.of(rs, unchecked), 5);
        try (CheckComponent checks = component(List.of(vs))) {
            assertTrue(checks.hasQuorum(vs), "3 + 3 for quorum 5");
            checks.start();
            assertNull(news.poll(1500, TimeUnit.MILLISECONDS), "exit 0: the configured weight, nothing to tell");
            set(code, "9");
            assertEquals("weight 7", news.poll(3, TimeUnit.SECONDS), "exit 9: weight 9 - 2");
            assertEquals(7, checks.weight(vs, rs));
            set(code, "1");
            assertEquals("dead", news.poll(3, TimeUnit.SECONDS), "exit 1 fails, retry 0 decides at once");
            assertEquals("weight 3", news.poll(1, TimeUnit.SECONDS), "a check that is down changes no weight");
            assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS), "3 alive for quorum 5");
            set(code, "4");
            assertEquals("alive", news.poll(3, TimeUnit.SECONDS));
            assertEquals("weight 2", news.poll(1, TimeUnit.SECONDS), "exit 4: weight 2, alive");
            assertEquals("quorum up", news.poll(1, TimeUnit.SECONDS), "2 + 3");
            set(code, "2");
            assertEquals("weight 0", news.poll(3, TimeUnit.SECONDS), "exit 2: weight 0, still alive");
            assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS), "0 + 3");
            assertTrue(checks.isAlive(vs, rs));
            assertNull(news.poll(600, TimeUnit.MILLISECONDS), "no change, no news");
        }
    }

    @Test
    void withoutMiscDynamicAnExitCodeAboveOneIsAFailure() throws Exception {
        MiscCheck check = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofMillis(100), 0),
                List.of(script("exit 5").toString()), Optional.empty(), Duration.ofSeconds(5), false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(check));
        try (CheckComponent checks = component(List.of(vs(rs, 1)))) {
            checks.start();
            assertEquals("dead", news.poll(3, TimeUnit.SECONDS));
        }
    }

    @Test
    void aScriptPastItsTimeoutIsKilledWithItsChildrenAndFails() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = script("sleep 30 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait");
        MiscCheck check = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(10), 0),
                List.of(script.toString()), Optional.empty(), Duration.ofMillis(300), false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(check));
        try (CheckComponent checks = component(List.of(vs(rs, 1)))) {
            long start = System.nanoTime();
            checks.start();
            assertEquals("dead", news.poll(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000 + 300 + 700),
                    "first run at 1 s, dead at its 300 ms timeout");
            for (String pid : Files.readAllLines(pids)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (ProcessHandle.of(Long.parseLong(pid.strip())).map(ProcessHandle::isAlive).orElse(false)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(ProcessHandle.of(Long.parseLong(pid.strip())).map(ProcessHandle::isAlive).orElse(false),
                        "process " + pid + " of the timed-out script's group still runs");
            }
        }
    }

    @Test
    void aScriptThatCannotRunHereFailsItsCheckInsteadOfRefusingTheConfiguration() throws Exception {
        Path notExecutable = dir.resolve("check.sh");
        Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
        MiscCheck check = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(1), 0),
                List.of(notExecutable.toString()), Optional.empty(), Duration.ofSeconds(1), false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(check));
        VirtualServer vs = vs(rs, 1);
        try (CheckComponent checks = component(List.of(vs))) {
            assertTrue(checks.isAlive(vs, rs), "not alpha: alive until its first run");
            checks.start();
            assertEquals("dead", news.poll(5, TimeUnit.SECONDS), "its first run fails: the script cannot run");
            assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aReloadKeepsAFailedServerFailedUntilItsCheckPasses() throws Exception {
        Path code = dir.resolve("code");
        Files.writeString(code, "1");
        Path script = script("exit $(cat " + code + ")");
        Duration loop = Duration.ofMillis(150);
        MiscCheck failing = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(loop, 0),
                List.of(script.toString()), Optional.empty(), Duration.ofSeconds(5), false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(failing));
        CheckComponent first = component(List.of(vs(rs, 1)));
        first.start();
        assertEquals("dead", news.poll(3, TimeUnit.SECONDS));
        assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS));
        Path ok = script("exit 0");
        RealServer added = new RealServer(InetAddress.getByName("127.0.0.2"), 80, 1, List.of(new MiscCheck(
                new InetSocketAddress("127.0.0.2", 80), timing(loop, 0), List.of(ok.toString()), Optional.empty(),
                Duration.ofSeconds(5), false)));
        // An equal configuration built again, as a reload reads it, with one real server more.
        RealServer same = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(new MiscCheck(
                new InetSocketAddress("127.0.0.1", 80), timing(loop, 0), List.of(script.toString()), Optional.empty(),
                Duration.ofSeconds(5), false)));
        VirtualServer next = vs(List.of(same, added), 1);
        CheckComponent second = first.successor(List.of(next), new ScriptAccess(Optional.empty(), false));
        try {
            second.addListener(new VerdictListener() {
                @Override
                public void realServerChanged(VirtualServer vs, RealServer r, boolean alive) {
                    news.add((r == same ? "same " : "added ") + (alive ? "alive" : "dead"));
                }
            });
            assertFalse(second.isAlive(next, same), "still failed after the reload");
            assertTrue(second.isAlive(next, added), "a new server starts as at a first start");
            assertTrue(second.hasQuorum(next), "the new server's weight makes the quorum");
            second.start();
            assertNull(news.poll(1500, TimeUnit.MILLISECONDS), "no transition: neither server changed");
            set(code, "0");
            assertEquals("same alive", news.poll(3, TimeUnit.SECONDS));
        } finally {
            second.close();
        }
    }

    @Test
    void aReloadWhoseChecksCannotBeBuiltLeavesTheRunningOnesRunning() throws Exception {
        Path code = dir.resolve("code");
        Files.writeString(code, "0");
        Path script = script("exit $(cat " + code + ")");
        MiscCheck misc = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofMillis(150), 0),
                List.of(script.toString()), Optional.empty(), Duration.ofSeconds(5), false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(misc));
        FileCheck nowhere = new FileCheck(new InetSocketAddress("127.0.0.1", 81), timing(Duration.ofSeconds(1), 0),
                dir.resolve("missing-dir/weight"), 0, false);
        RealServer other = new RealServer(InetAddress.getLoopbackAddress(), 81, 1, List.of(nowhere));
        try (CheckComponent checks = component(List.of(vs(rs, 1)))) {
            checks.start();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> checks.successor(List.of(vs(List.of(rs, other), 1)), new ScriptAccess(Optional.empty(), false)));
            assertTrue(e.getMessage().contains("missing-dir does not exist"), e.getMessage());
            set(code, "1");
            assertEquals("dead", news.poll(3, TimeUnit.SECONDS), "the running checks go on");
        }
    }

    @Test
    void notifyUpAndDownRunWhenTheServerChangesAsKeepalivedsDo() throws Exception {
        Path code = dir.resolve("code");
        MiscCheck misc = exitsWith(code);
        Path events = dir.resolve("events");
        Path notify = script("echo \"$1\" >> " + events);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(misc),
                Optional.of(notify + " up"), Optional.of(notify + " down"));
        try (CheckComponent checks = component(List.of(vs(rs, 1)))) {
            checks.start();
            Thread.sleep(600);
            assertFalse(Files.exists(events), "no notify for the state at start (keepalived's rs_init_notifies off)");
            set(code, "1");
            assertEquals("dead", news.poll(3, TimeUnit.SECONDS));
            assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS));
            set(code, "0");
            assertEquals("alive", news.poll(3, TimeUnit.SECONDS));
            awaitLines(events, 2);
            assertEquals(List.of("down", "up"), Files.readAllLines(events));
        }
    }

    @Test
    void quorumUpAndDownRunOnEachQuorumChangeAndOmegaRunsTheDownScriptsAtStop() throws Exception {
        Path code = dir.resolve("code");
        MiscCheck misc = exitsWith(code);
        Path events = dir.resolve("events");
        Path notify = script("echo \"$1\" >> " + events);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(misc),
                Optional.empty(), Optional.of(notify + " rs-down"));
        VirtualServer vs = new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP, Duration.ofSeconds(6),
                "rr", "DR", Optional.empty(), Optional.empty(), List.of(rs), 1, 0, false,
                new VirtualServer.Notifies(Optional.of(notify + " quorum-up"), Optional.of(notify + " quorum-down"), true));
        CheckComponent checks = component(List.of(vs));
        checks.start();
        set(code, "1");
        assertEquals("dead", news.poll(3, TimeUnit.SECONDS));
        assertEquals("quorum down", news.poll(1, TimeUnit.SECONDS));
        set(code, "0");
        assertEquals("alive", news.poll(3, TimeUnit.SECONDS));
        assertEquals("quorum up", news.poll(1, TimeUnit.SECONDS));
        awaitLines(events, 3);
        List<String> lines = Files.readAllLines(events);
        assertEquals(java.util.Set.of("rs-down", "quorum-down"), java.util.Set.copyOf(lines.subList(0, 2)), lines.toString());
        assertEquals("quorum-up", lines.get(2), lines.toString());
        checks.shutdown(Duration.ofSeconds(5));
        assertEquals(List.of("quorum-down", "rs-down"), Files.readAllLines(events).subList(3, 5).stream().sorted().toList(),
                "omega: the alive server's notify_down and the virtual server's quorum_down at stop, waited for");
    }

    /** A MISC_CHECK every 150 ms whose script exits with the number in {@code code} (0 at first). */
    private MiscCheck exitsWith(Path code) throws Exception {
        Files.writeString(code, "0");
        Path check = script("exit $(cat " + code + ")");
        return new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofMillis(150), 0),
                List.of(check.toString()), Optional.empty(), Duration.ofSeconds(5), false);
    }

    private static void awaitLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while ((!Files.exists(file) || Files.readAllLines(file).size() < n) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aFileWithWeightZeroTakesTheServerDownWhileItHoldsANonZeroNumber() throws Exception {
        Path file = dir.resolve("maintenance");
        Files.writeString(file, "1\n");
        FileCheck check = new FileCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(60), 0),
                file, 0, false);
        RealServer rs = new RealServer(InetAddress.getLoopbackAddress(), 80, 1, List.of(check));
        VirtualServer vs = vs(rs, 1);
        try (CheckComponent checks = component(List.of(vs))) {
            assertFalse(checks.isAlive(vs, rs), "down from the start: the file says 1");
            checks.start();
            long written = System.nanoTime();
            set(file, "0");
            assertEquals("alive", news.poll(2, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - written < TimeUnit.MILLISECONDS.toNanos(500), "followed, not polled");
            assertEquals("quorum up", news.poll(1, TimeUnit.SECONDS));
            Files.delete(file);
            assertNull(news.poll(500, TimeUnit.MILLISECONDS), "a missing file reads 0: still alive");
            Files.writeString(file, "3");
            assertEquals("dead", news.poll(2, TimeUnit.SECONDS), "created again with 3");
        }
    }

    @Test
    void aFileWithAWeightAddsItsNumberTimesTheWeightAndReverseNegatesIt() throws Exception {
        Path file = dir.resolve("load");
        Files.writeString(file, "2");
        FileCheck up = new FileCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(60), 0),
                file, 5, false);
        FileCheck down = new FileCheck(new InetSocketAddress("127.0.0.1", 81), timing(Duration.ofSeconds(60), 0),
                file, 1, true);
        RealServer a = new RealServer(InetAddress.getLoopbackAddress(), 80, 10, List.of(up));
        RealServer b = new RealServer(InetAddress.getLoopbackAddress(), 81, 10, List.of(down));
        VirtualServer vs = vs(List.of(a, b), 1);
        try (CheckComponent checks = component(List.of(vs))) {
            assertEquals(20, checks.weight(vs, a));
            assertEquals(8, checks.weight(vs, b));
            checks.start();
            set(file, "-4");
            String one = news.poll(2, TimeUnit.SECONDS);
            String two = news.poll(1, TimeUnit.SECONDS);
            assertEquals(List.of("weight 0", "weight 14"), List.of(one, two).stream().sorted().toList(),
                    "10 + 5 * -4 is under 0: 0; 10 - -4 = 14");
            assertTrue(checks.isAlive(vs, a), "a weight at 0 is not a fault");
        }
    }

    @Test
    void exitCodesAndFileNumbersReadAsKeepalivedReadsThem() {
        MiscCheck dynamic = new MiscCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(1), 0),
                List.of("/bin/true"), Optional.empty(), Duration.ofSeconds(1), true);
        assertEquals(appliance.check.WeightChange.NONE, dynamic.weightFor(0));
        assertNull(dynamic.weightFor(1));
        assertEquals(appliance.check.WeightChange.set(0), dynamic.weightFor(2));
        assertEquals(appliance.check.WeightChange.set(253), dynamic.weightFor(255));
        assertNull(dynamic.weightFor(256), "not an exit code");
        FileCheck reverse0 = new FileCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(1), 0),
                Path.of("/x/y"), 0, true);
        assertTrue(reverse0.downFor(0));
        assertFalse(reverse0.downFor(7));
        FileCheck weighted = new FileCheck(new InetSocketAddress("127.0.0.1", 80), timing(Duration.ofSeconds(1), 0),
                Path.of("/x/y"), 1_000_000, false);
        assertFalse(weighted.downFor(-2147), "-2,147,000,000 is above -2^31");
        assertTrue(weighted.downFor(-2148), "at or under -2^31: keepalived's IPVS_WEIGHT_FAULT");
        assertEquals(Integer.MAX_VALUE, weighted.weightFor(Long.MAX_VALUE).value(), "no overflow");
    }

    private Path script(String body) throws IOException {
        Path s = dir.resolve("check-" + System.nanoTime() + ".sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    /** Written as an atomic writer does: a temporary file renamed over it. */
    private void set(Path file, String content) throws IOException {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static CheckTiming timing(Duration loop, int retry) {
        return new CheckTiming(Duration.ofSeconds(1), loop, retry, Duration.ofMillis(100), Duration.ZERO, false);
    }

    private static VirtualServer vs(RealServer rs, int quorum) throws Exception {
        return vs(List.of(rs), quorum);
    }

    private static VirtualServer vs(List<RealServer> rss, int quorum) throws Exception {
        return new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP, Duration.ofSeconds(6), "rr", "DR",
                Optional.empty(), Optional.empty(), rss, quorum, 0);
    }
}
