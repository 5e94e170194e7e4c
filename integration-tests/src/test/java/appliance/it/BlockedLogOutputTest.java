package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.AdvertCapture;
import appliance.lab.ApplianceNode;
import appliance.lab.Lab;
import appliance.lab.LabException;
import appliance.lab.NodeProcess;
import appliance.lab.PacketInjector;
import appliance.lab.ProtocolTimes;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Logging never blocks the event loop (issue 12): the master's stdout is a pipe nobody reads,
 * and a flood of bad packets makes it log drop lines until the pipe is full. Its log calls run
 * on the loop that also sends its adverts; were they to wait for stdout, the adverts would stop
 * and the backup would take over after Master_Down_Interval. Instead lines are dropped and
 * counted, and the adverts stay on time.
 *
 * <p>The pipe counts as full when its unread bytes stop growing while the flood goes on; the
 * appender's "log lines dropped" line, once the test reads the output, shows that its queue
 * filled behind it too. Adverts are timed on the master's own interface, and both nodes' loops run
 * at real-time priority, so that the load of other tests on a two-core machine does not show up
 * as late adverts; neither helps a loop that waits for stdout. With logback's plain
 * ConsoleAppender this test fails: no advert at all once the pipe is full, and the backup takes
 * over.
 */
@LabTest
class BlockedLogOutputTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(10));
    /**
     * Six drop reasons on a VRRPv3 instance, each logged at most 10 lines a second: TTL_NOT_255,
     * BAD_CHECKSUM, UNSUPPORTED_VERSION (the auth kind is a well-formed VRRPv2 packet),
     * BAD_LENGTH, UNKNOWN_VRID, MALFORMED. About 60 lines a second fill the 64 KiB pipe in
     * about 10 s. Not the version kind: to a VRRPv3 instance it is a valid advert.
     */
    private static final String FLOOD = "ttl,checksum,auth,length,vrid,malformed";
    /** Packets of each kind: about 90 s of flood, more than the test needs. */
    private static final int FLOOD_PER_KIND = 3000;
    /**
     * Nearly full: the kernel fills a pipe page by page, and a line that does not fit in what is
     * left of a page takes a fresh one, so a full pipe of lines holds a little less than 64 KiB.
     */
    private static final int PIPE_NEARLY_FULL = 60 * 1024;
    /** Full: nearly full, and not a byte more for this long while the flood goes on (60 lines a second). */
    private static final Duration PIPE_STILL = Duration.ofSeconds(1);
    /** Long enough for the appender's queue (1024 lines) to fill behind the full pipe and drop. */
    private static final Duration MEASURE = Duration.ofSeconds(30);
    /** 2.5 advert intervals; the backup's Master_Down_Interval is 3 intervals + skew (36 ms). */
    private static final Duration MAX_GAP = Duration.ofMillis(25);
    /**
     * Real-time priority for both nodes' event loops, so that other tests on the machine cannot
     * delay the adverts by tens of milliseconds (keepalived's vrrp_rt_priority does the same in
     * production). It cannot help a loop that is blocked writing to a full pipe.
     */
    private static final int LOOP_PRIORITY = 10;
    private static final Pattern DROPPED = Pattern.compile("Log output blocked: (\\d+) log lines dropped");

    @Test
    void masterKeepsAdvertisingOnTimeWhileNobodyReadsItsLog() {
        try (Lab lab = Lab.create(2)) {
            ApplianceNode master = ApplianceNode.startWithOutputUnread(lab, lab.node(1),
                    SPEC.withPriority(150).withInitialState(VrrpState.MASTER));
            awaitVirtualAddresses(master);
            ApplianceNode backup = ApplianceNode.start(lab, lab.node(2), SPEC.withPriority(100));
            backup.awaitState(VrrpState.BACKUP, SETTLE);
            for (ApplianceNode node : List.of(master, backup)) {
                node.runLoopsRealtime(LOOP_PRIORITY);
            }
            // On the master's own interface: the capture stamps each advert as it leaves, without
            // the delivery through the bridge, which other tenants' load delays too.
            AdvertCapture capture = AdvertCapture.start(lab, master.host(), master.host(), Duration.ofSeconds(10));
            NodeProcess flood = lab.own(startFlood(lab));

            Instant floodStart = Instant.now();
            int unreadAtStart = awaitPipeFull(master.process(), Duration.ofSeconds(90));
            Instant from = Instant.now();
            System.out.printf("master's stdout pipe full (%d bytes unread) %s after the flood began%n",
                    unreadAtStart, ProtocolTimes.seconds(Duration.between(floodStart, from)));
            Lab.pause(MEASURE);
            Instant to = Instant.now();
            int unreadAtEnd = master.process().unreadBytes();
            Lab.pause(Duration.ofMillis(500)); // tcpdump's last lines
            flood.close();

            List<Instant> adverts = capture.adverts().stream()
                    .filter(t -> !t.isBefore(from) && !t.isAfter(to)).toList();
            Gap largest = largestGap(from, adverts, to);
            long expected = Duration.between(from, to).toMillis() / SPEC.advertInterval().toMillis();
            System.out.printf("%d adverts in %s with the pipe full (%d expected); largest gap %s at %s,"
                            + " %d gaps over 1.5 intervals; %d bytes unread at the end%n", adverts.size(),
                    ProtocolTimes.seconds(Duration.between(from, to)), expected, ProtocolTimes.seconds(largest.length),
                    largest.after, gapsOver(adverts, SPEC.advertInterval().multipliedBy(3).dividedBy(2)), unreadAtEnd);
            assertEquals(unreadAtStart, unreadAtEnd, "the pipe stayed full: nothing more was written to it");
            assertTrue(largest.length.compareTo(MAX_GAP) < 0, "largest gap between the master's adverts "
                    + ProtocolTimes.seconds(largest.length) + " (from " + largest.after + "), bound "
                    + ProtocolTimes.seconds(MAX_GAP));
            assertTrue(adverts.size() >= expected * 9 / 10, adverts.size() + " adverts captured, "
                    + expected + " expected");
            List<VrrpNode.StateChange> backupChanges = backup.stateChanges();
            assertEquals(List.of(VrrpState.BACKUP), backupChanges.stream().map(VrrpNode.StateChange::state).toList(),
                    "the backup never took over: " + backupChanges);

            // The proof that output really was blocked: once read, the log says what it lost.
            master.process().readOutput();
            Matcher dropped = DROPPED.matcher(master.process().awaitLine(DROPPED, Duration.ofSeconds(30)).text());
            assertTrue(dropped.find());
            System.out.println("master, once read: " + dropped.group());
            assertTrue(Long.parseLong(dropped.group(1)) > 0, dropped.group());
            List<VrrpState> masterStates = master.stateChanges().stream().map(VrrpNode.StateChange::state).toList();
            assertEquals(List.of(VrrpState.BACKUP, VrrpState.MASTER), masterStates,
                    "the master never left MASTER (as far as its log, which dropped lines, shows)");
            assertTrue(master.holdsVirtualAddresses(), master.describe());
        }
    }

    private record Gap(Duration length, Instant after) {
    }

    /** The window's edges count: a master that stops advertising leaves a gap up to the end. */
    private static Gap largestGap(Instant from, List<Instant> adverts, Instant to) {
        List<Instant> points = new ArrayList<>();
        points.add(from);
        points.addAll(adverts);
        points.add(to);
        Gap largest = new Gap(Duration.ZERO, from);
        for (int i = 1; i < points.size(); i++) {
            Duration d = Duration.between(points.get(i - 1), points.get(i));
            if (d.compareTo(largest.length) > 0) {
                largest = new Gap(d, points.get(i - 1));
            }
        }
        return largest;
    }

    private static long gapsOver(List<Instant> adverts, Duration bound) {
        long n = 0;
        for (int i = 1; i < adverts.size(); i++) {
            if (Duration.between(adverts.get(i - 1), adverts.get(i)).compareTo(bound) > 0) {
                n++;
            }
        }
        return n;
    }

    /** Its log cannot say so: the master has taken over when its virtual address is on its interface. */
    private static void awaitVirtualAddresses(VrrpNode master) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!master.holdsVirtualAddresses()) {
            if (System.nanoTime() > deadline) {
                throw new LabException(master.name() + " holds no virtual address after " + ProtocolTimes.seconds(SETTLE)
                        + ": " + master.addresses());
            }
            Lab.pause(Duration.ofMillis(50));
        }
    }

    /** Waits until the process's writes to stdout block, and returns the bytes then unread. */
    private static int awaitPipeFull(NodeProcess process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int unread = process.unreadBytes();
        long stillSince = System.nanoTime();
        while (unread < PIPE_NEARLY_FULL || System.nanoTime() - stillSince < PIPE_STILL.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new LabException(process.name() + "'s stdout pipe is not full after "
                        + ProtocolTimes.seconds(timeout) + " of flood: " + unread + " bytes unread");
            }
            Lab.pause(Duration.ofMillis(100));
            int now = process.unreadBytes();
            if (now != unread) {
                unread = now;
                stillSince = System.nanoTime();
            }
        }
        return unread;
    }

    private static NodeProcess startFlood(Lab lab) {
        Path home = ApplianceNode.home();
        String classpath = home.resolve("modules/lab/target/lab.jar") + ":" + home.resolve("modules/lab/target/lib/*");
        return NodeProcess.start("flood@client", lab.client().namespace(), List.of("java", "-cp", classpath,
                        PacketInjector.class.getName(), FLOOD, String.valueOf(FLOOD_PER_KIND),
                        String.valueOf(SPEC.vrid()), lab.client().address()),
                lab.newFile("client-flood", "log"));
    }
}
