package appliance.it;

import appliance.lab.NodeKind;
import java.time.Duration;

/**
 * What the scenarios run against: the appliance, or with {@code -Dit.implementation=keepalived}
 * real keepalived on every node, which checks the harness itself against a known-good speaker.
 */
final class Subject {

    static final NodeKind KIND = NodeKind.of(System.getProperty("it.implementation", "appliance"));

    /** Longest wait for nodes to agree after a change; far above any protocol time used here. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    /** Slack the brief allows above protocol bounds, for scheduling and the kernel. */
    static final Duration MARGIN = Duration.ofMillis(100);

    private Subject() {
    }
}
