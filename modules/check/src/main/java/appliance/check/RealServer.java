package appliance.check;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real server of a virtual server, with its checks: alive while none of them is down.
 * {@code notifyUp} and {@code notifyDown} are keepalived's notify_up and notify_down: command lines
 * run when the server becomes alive or dead. {@code smtpAlert} is keepalived's smtp_alert: an e-mail
 * when one of its checks goes up or down (keepalived's default for a real server: on).
 * {@code inhibitOnFailure} is keepalived's inhibit_on_failure: while dead it stays in the IPVS
 * table with weight 0 rather than leaving it, so that its established connections live on.
 * {@code upperThreshold} and {@code lowerThreshold} are keepalived's uthreshold and lthreshold:
 * IPVS's connection limits (0: none).
 */
public record RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks, Optional<String> notifyUp,
                         Optional<String> notifyDown, boolean smtpAlert, boolean inhibitOnFailure, int upperThreshold,
                         int lowerThreshold) {

    public RealServer {
        Objects.requireNonNull(address, "address");
        checks = List.copyOf(checks);
        Objects.requireNonNull(notifyUp, "notifyUp");
        Objects.requireNonNull(notifyDown, "notifyDown");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (upperThreshold < 0 || lowerThreshold < 0 || (upperThreshold != 0 && lowerThreshold > upperThreshold)) {
            throw new IllegalArgumentException("thresholds are >= 0, the lower one at most the upper one: " + lowerThreshold
                    + ", " + upperThreshold);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0, was " + weight);
        }
    }

    /** Without notify scripts. */
    public RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks) {
        this(address, port, weight, checks, Optional.empty(), Optional.empty());
    }

    /** With keepalived's default smtp_alert for a real server, on. */
    public RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks, Optional<String> notifyUp,
                      Optional<String> notifyDown) {
        this(address, port, weight, checks, notifyUp, notifyDown, true, false);
    }

    /** Without inhibit_on_failure, keepalived's default. */
    public RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks, Optional<String> notifyUp,
                      Optional<String> notifyDown, boolean smtpAlert) {
        this(address, port, weight, checks, notifyUp, notifyDown, smtpAlert, false, 0, 0);
    }

    /** Without connection thresholds. */
    public RealServer(InetAddress address, int port, int weight, List<CheckSpec> checks, Optional<String> notifyUp,
                      Optional<String> notifyDown, boolean smtpAlert, boolean inhibitOnFailure) {
        this(address, port, weight, checks, notifyUp, notifyDown, smtpAlert, inhibitOnFailure, 0, 0);
    }
}
