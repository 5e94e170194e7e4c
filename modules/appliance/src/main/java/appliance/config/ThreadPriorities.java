package appliance.config;

import java.util.OptionalInt;

/**
 * keepalived's global {@code vrrp_priority}, {@code checker_priority} (nice values, -20..19) and
 * {@code vrrp_rt_priority}, {@code checker_rt_priority} (SCHED_RR, 1..99), for the VRRP and the
 * checker components' loop threads. Unset: the threads keep what they inherit, as keepalived.
 */
public record ThreadPriorities(OptionalInt vrrpPriority, OptionalInt checkerPriority, OptionalInt vrrpRtPriority,
                               OptionalInt checkerRtPriority) {

    public static final ThreadPriorities NONE = new ThreadPriorities(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), OptionalInt.empty());
}
