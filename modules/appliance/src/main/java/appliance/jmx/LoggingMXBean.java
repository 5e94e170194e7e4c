package appliance.jmx;

/** {@code appliance:type=Logging}: whether log output keeps up (lines wait in a bounded queue in front of stdout). */
public interface LoggingMXBean {
    /** Log lines dropped since start because stdout did not keep up and the queue was full. */
    long getDroppedEvents();
    /** Log lines waiting to be written now. */
    int getQueued();
    int getQueueCapacity();
}
