package appliance.vrrp;

/**
 * The clock a {@link VirtualRouter} runs on. Production code backs it with the event loop the
 * router's socket is registered on; tests back it with a manual clock and run hours of protocol
 * time in milliseconds. Every callback runs on the router's single thread.
 */
public interface TimerService {

    long nanoTime();

    Timer schedule(long delayNanos, Runnable task);

    interface Timer {
        /** Idempotent; a cancelled timer's task never runs. */
        void cancel();
    }
}
