package appliance.jmx;

import appliance.logging.NonBlockingAppender;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

/**
 * Reads the non-blocking appenders logback's configuration installed, at each call, so a
 * configuration without one reads as zero rather than failing.
 */
final class LoggingBean implements LoggingMXBean {

    static final String NAME = "appliance:type=Logging";

    /** {@code logging.dropped-events} and {@code logging.queued}, beside the VRRP metrics. */
    void registerGauges(MetricRegistry metrics) {
        metrics.register(MetricRegistry.name("logging", "dropped-events"), (Gauge<Long>) this::getDroppedEvents);
        metrics.register(MetricRegistry.name("logging", "queued"), (Gauge<Integer>) this::getQueued);
    }

    @Override
    public long getDroppedEvents() {
        return NonBlockingAppender.installed().stream().mapToLong(NonBlockingAppender::droppedEvents).sum();
    }

    @Override
    public int getQueued() {
        return NonBlockingAppender.installed().stream().mapToInt(NonBlockingAppender::queued).sum();
    }

    @Override
    public int getQueueCapacity() {
        return NonBlockingAppender.installed().stream().mapToInt(NonBlockingAppender::queueCapacity).sum();
    }
}
