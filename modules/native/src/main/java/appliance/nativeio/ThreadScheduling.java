package appliance.nativeio;

/**
 * keepalived's process priorities ({@code vrrp_priority}, {@code checker_priority},
 * {@code vrrp_rt_priority}, {@code checker_rt_priority}), applied to the calling thread: here a
 * component is a set of event-loop threads, not a process, and Linux keeps both the nice value and
 * the scheduling policy per thread.
 */
public final class ThreadScheduling {

    private ThreadScheduling() {
    }

    /**
     * The calling thread's nice value, -20..19.
     *
     * @throws NativeException EACCES/EPERM for a value below the current one without CAP_SYS_NICE
     */
    public static void nice(int nice) throws NativeException {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19, was " + nice);
        }
        Syscalls.setNice(nice);
    }

    /**
     * The calling thread under SCHED_RR at {@code priority} (1..99): it runs before every thread of
     * the ordinary policy whenever it is ready, as keepalived's VRRP process with vrrp_rt_priority.
     *
     * @throws NativeException EPERM without CAP_SYS_NICE (or a real-time budget, RLIMIT_RTPRIO)
     */
    public static void roundRobin(int priority) throws NativeException {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("a real-time priority is 1..99, was " + priority);
        }
        Syscalls.setRoundRobin(priority);
    }
}
