package appliance.vrrp;

/**
 * One router's figures for JMX and metrics: written on the router's thread, read anywhere (a
 * stale read is harmless).
 */
public final class VirtualRouterCounters {
    volatile long advertisementsSent;
    volatile long advertisementsReceived;
    volatile long priorityZeroReceived;
    volatile long becameMaster;
    volatile long transitions;
    volatile long addressAddFailures;
    volatile long addressRemoveFailures;
    volatile long addressFaults;
    volatile long lowerPriorityAnswered;
    volatile long adverTimerLastLatenessNanos;
    volatile long adverTimerMaxLatenessNanos;
    volatile long adverTimerStalls;

    public long advertisementsSent() { return advertisementsSent; }
    public long advertisementsReceived() { return advertisementsReceived; }
    public long priorityZeroReceived() { return priorityZeroReceived; }
    public long becameMaster() { return becameMaster; }
    public long transitions() { return transitions; }
    /** Adds the kernel refused or did not answer, each retry counted. */
    public long addressAddFailures() { return addressAddFailures; }
    /** Deletes the kernel refused or did not answer, each retry counted. */
    public long addressRemoveFailures() { return addressRemoveFailures; }
    /** Times the instance went FAULT because its addresses were not held in time. */
    public long addressFaults() { return addressFaults; }
    /** Lower-priority adverts answered at once by our own as master (keepalived's "forcing new election"). */
    public long lowerPriorityAnswered() { return lowerPriorityAnswered; }
    /** How late the latest Adver_Timer fired after its deadline. */
    public long adverTimerLastLatenessNanos() { return adverTimerLastLatenessNanos; }
    public long adverTimerMaxLatenessNanos() { return adverTimerMaxLatenessNanos; }
    /** Adver_Timer firings more than one interval late: one advert was sent and the schedule re-anchored. */
    public long adverTimerStalls() { return adverTimerStalls; }
}
