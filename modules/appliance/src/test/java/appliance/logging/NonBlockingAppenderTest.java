package appliance.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NonBlockingAppenderTest {

    final LoggerContext context = new LoggerContext();
    final Logger logger = context.getLogger("appliance.vrrp.AdvertisementReceiver");
    final Console console = new Console();
    final NonBlockingAppender appender = new NonBlockingAppender();

    /** Stands for stdout: records what it is given, and can be made to block as a full pipe does. */
    static final class Console extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        protected void append(ILoggingEvent event) {
            entered.countDown();
            // As a write to a full pipe: an interrupt does not end the wait.
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            lines.add(event.getFormattedMessage());
        }
    }

    void start(int queueSize) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        console.setContext(context);
        console.start();
        appender.setContext(context);
        appender.setQueueSize(queueSize);
        appender.addAppender(console);
        appender.start();
    }

    void log(String message) {
        appender.doAppend(new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, null, null));
    }

    static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
    }

    @AfterEach
    void release() {
        console.gate.countDown();
        appender.stop();
    }

    @Test
    void everyLineArrivesInOrderWhenTheQueueKeepsUp() {
        start(1024);
        for (int i = 0; i < 1000; i++) {
            log("line " + i);
        }
        appender.stop();
        assertEquals(lines(0, 1000), console.lines);
        assertEquals(0, appender.droppedEvents());
    }

    @Test
    void aBlockedConsoleMakesLinesDropAndCountInsteadOfWaiting() throws Exception {
        console.gate = new CountDownLatch(1);
        start(8);
        log("line 0");
        assertTrue(console.entered.await(5, TimeUnit.SECONDS), "the worker is writing line 0");

        long began = System.nanoTime();
        for (int i = 1; i <= 108; i++) {
            log("line " + i);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "108 log calls took " + took);
        assertEquals(8, appender.queued());
        assertEquals(100, appender.droppedEvents());

        console.gate.countDown();
        appender.stop();
        List<String> expected = new ArrayList<>(lines(0, 9));
        expected.add("Log output blocked: 100 log lines dropped");
        assertEquals(expected, console.lines, "the queued lines in order, then the count");
    }

    @Test
    void linesAfterTheDropsFollowTheReport() throws Exception {
        console.gate = new CountDownLatch(1);
        start(2);
        log("line 0");
        assertTrue(console.entered.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            log("line " + i);
        }
        console.gate.countDown();
        awaitLines(4);
        log("line 6");
        appender.stop();
        assertEquals(List.of("line 0", "line 1", "line 2", "Log output blocked: 3 log lines dropped", "line 6"),
                console.lines);
    }

    @Test
    void stopGivesUpWithinASecondWhenTheConsoleStaysBlocked() throws Exception {
        console.gate = new CountDownLatch(1);
        start(16);
        for (int i = 0; i < 10; i++) {
            log("line " + i);
        }
        assertTrue(console.entered.await(5, TimeUnit.SECONDS));
        long began = System.nanoTime();
        appender.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(Duration.ofMillis(NonBlockingAppender.MAX_FLUSH_MILLIS + 500)) < 0,
                "stop took " + took);
        assertTrue(console.isStarted(), "the blocked console is left alone, not stopped under its stuck write");
        log("after stop");
        assertEquals(0, appender.droppedEvents(), "a stopped appender ignores events rather than counting them");
    }

    void awaitLines(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (console.lines.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, console.lines.size(), console.lines.toString());
    }
}
