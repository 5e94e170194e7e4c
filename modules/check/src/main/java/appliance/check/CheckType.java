package appliance.check;

import java.time.Duration;

/** The check types, by keepalived's keyword, with the defaults keepalived gives each. */
public enum CheckType {
    PING_CHECK("ping-check", 1, Duration.ofSeconds(1)),
    TCP_CHECK("tcp-check", 1, Duration.ofSeconds(1)),
    HTTP_GET("http-get", 1, Duration.ofSeconds(3)),
    SSL_GET("ssl-get", 1, Duration.ofSeconds(3)),
    SMTP_CHECK("smtp-check", 1, Duration.ofSeconds(1)),
    UDP_CHECK("udp-check", 1, Duration.ofSeconds(1)),
    /** keepalived: retry 3, and delay-before-retry defaults to delay-loop. */
    DNS_CHECK("dns-check", 3, null),
    /** keepalived: retry 0. */
    MISC_CHECK("misc-check", 0, Duration.ofSeconds(1)),
    /** Follows its file; retry and the delays do not apply. */
    FILE_CHECK("file-check", 0, Duration.ofSeconds(1));

    private final String key;
    private final int defaultRetry;
    private final Duration defaultDelayBeforeRetry;

    CheckType(String key, int defaultRetry, Duration defaultDelayBeforeRetry) {
        this.key = key;
        this.defaultRetry = defaultRetry;
        this.defaultDelayBeforeRetry = defaultDelayBeforeRetry;
    }

    /** The {@code type} value in the configuration: keepalived's keyword in kebab-case. */
    public String key() {
        return key;
    }

    public int defaultRetry() {
        return defaultRetry;
    }

    /** keepalived's default for this type under {@code delayLoop} (DNS_CHECK: delay-loop itself). */
    public Duration defaultDelayBeforeRetry(Duration delayLoop) {
        return defaultDelayBeforeRetry == null ? delayLoop : defaultDelayBeforeRetry;
    }

    /** The type whose {@link #key()} is {@code key}, or null. */
    public static CheckType ofKey(String key) {
        for (CheckType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        return null;
    }
}
