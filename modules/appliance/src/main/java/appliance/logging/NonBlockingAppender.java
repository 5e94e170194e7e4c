package appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Hands log events to its attached appenders (the console) on one thread of its own, so that a
 * log call on an event loop never waits for stdout. A full pipe or a stalled journald would
 * otherwise stop the loop, its adverts with it, and the backup would take over.
 *
 * <p>The queue is bounded; when it is full an event is dropped and counted, whatever its level
 * (logback's AsyncAppender would discard INFO, state transitions among them, well before that,
 * and count nothing). Once output moves again, one line says how many were dropped. Stopping
 * flushes for at most {@link #MAX_FLUSH_MILLIS} ms: a blocked stdout must not hold up the exit.
 */
public final class NonBlockingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    static final int DEFAULT_QUEUE_SIZE = 1024;
    static final long MAX_FLUSH_MILLIS = 1000;

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final AtomicLong dropped = new AtomicLong();
    /** Drops not yet written as a "log lines dropped" line; the worker takes them. */
    private final AtomicLong unreported = new AtomicLong();
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread worker;

    /** How many events may wait for the console; set from logback.xml ({@code <queueSize>}). */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1) {
            addError("queueSize must be at least 1, not " + queueSize);
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addWarn("no appender attached to " + getName() + ": its events go nowhere");
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        worker = new Thread(new Writer(), "log-writer");
        worker.setDaemon(true);
        super.start();
        worker.start();
    }

    /** Never waits: a full queue drops the event and counts it. */
    @Override
    protected void append(ILoggingEvent event) {
        // The worker formats it later: take the message, thread name and MDC as they are now.
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            unreported.incrementAndGet();
        }
    }

    /**
     * Stops taking events and lets the worker write what is queued, for at most
     * {@link #MAX_FLUSH_MILLIS} ms. A worker still stuck in a write after that is left alone (a
     * daemon, it does not keep the JVM alive), and so are the attached appenders: stopping the
     * console would wait for the stream lock that the stuck write holds.
     */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        worker.interrupt();
        try {
            worker.join(MAX_FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            addWarn("log output still blocked after " + MAX_FLUSH_MILLIS + " ms; " + queue.size()
                    + " queued log lines not written");
        } else {
            appenders.detachAndStopAllAppenders();
        }
    }

    /** Events dropped because the queue was full, since start. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Events waiting for the console now. */
    public int queued() {
        BlockingQueue<ILoggingEvent> q = queue;
        return q == null ? 0 : q.size();
    }

    public int queueCapacity() {
        return queueSize;
    }

    /** The started instances in logback's configuration (normally one), for JMX. */
    public static List<NonBlockingAppender> installed() {
        List<NonBlockingAppender> found = new ArrayList<>();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (Logger logger : context.getLoggerList()) {
                for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    if (it.next() instanceof NonBlockingAppender a && a.isStarted() && !found.contains(a)) {
                        found.add(a);
                    }
                }
            }
        }
        return found;
    }

    /** The worker: writes events in the order they were queued, and reports drops. */
    private final class Writer implements Runnable {

        /**
         * Events still to write before the pending drop report: those that were queued when the
         * drops were noticed, so the report follows the lines that came before the drops.
         * Negative: no report pending.
         */
        private int beforeReport = -1;
        private long toReport;

        @Override
        public void run() {
            boolean stopping = false;
            while (true) {
                ILoggingEvent event;
                if (stopping) {
                    event = queue.poll();
                    if (event == null) {
                        break;
                    }
                } else {
                    try {
                        event = queue.take();
                    } catch (InterruptedException e) {
                        stopping = true;
                        continue;
                    }
                }
                write(event);
                afterWrite();
            }
            long remaining = toReport + unreported.getAndSet(0);
            if (remaining > 0) {
                report(remaining);
            }
        }

        private void afterWrite() {
            if (beforeReport < 0) {
                long n = unreported.getAndSet(0);
                if (n == 0) {
                    return;
                }
                toReport = n;
                beforeReport = queue.size();
            } else {
                beforeReport--;
            }
            if (beforeReport == 0) {
                report(toReport);
                toReport = 0;
                beforeReport = -1;
            }
        }

        private void report(long count) {
            LoggerContext context = (LoggerContext) getContext();
            Logger logger = context.getLogger(NonBlockingAppender.class);
            LoggingEvent event = new LoggingEvent(NonBlockingAppender.class.getName(), logger, Level.WARN,
                    "Log output blocked: {} log lines dropped", null, new Object[] {count});
            write(event);
        }

        private void write(ILoggingEvent event) {
            try {
                appenders.appendLoopOnAppenders(event);
            } catch (RuntimeException e) {
                // One bad event or appender must not end the only thread that writes the log.
                addError("appending a log event failed", e);
            }
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
