package appliance.vrrp;

import java.time.Duration;
import java.util.PriorityQueue;

/** A clock that moves only when the test says so; tasks run in deadline order, on the test thread. */
final class ManualTimerService implements TimerService {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now = 1_000_000_000_000L;
    private long sequence;
    private long scheduled;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        scheduled++;
        Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
        queue.add(t);
        return t;
    }

    /** Timers scheduled so far. */
    long scheduled() {
        return scheduled;
    }

    void advance(Duration d) {
        long until = now + d.toNanos();
        while (!queue.isEmpty() && queue.peek().due <= until) {
            Task t = queue.poll();
            if (!t.cancelled) {
                now = Math.max(now, t.due); // an overdue task runs late, at the current time
                t.task.run();
            }
        }
        now = Math.max(now, until);
    }

    /**
     * The process stops for {@code d} (a GC pause, SIGSTOP, a starved host): time moves on and no
     * task runs; the overdue ones run, late, at the next {@link #advance}.
     */
    void stall(Duration d) {
        now += d.toNanos();
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    private static final class Task implements Timer, Comparable<Task> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
