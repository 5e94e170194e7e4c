package appliance.vrrp.kernel;

import appliance.vrrp.TimerService;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Protocol timers on the event loop that also reads the router's socket, so that every input of a router runs on one thread. */
final class EventLoopTimerService implements TimerService {

    private final EventExecutor loop;

    EventLoopTimerService(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
