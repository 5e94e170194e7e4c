package appliance.smtp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * keepalived's global_defs for e-mail: {@code smtp_server} (host and port, default 25),
 * {@code notification_email_from}, {@code notification_email}, {@code smtp_helo_name},
 * {@code smtp_connect_timeout} (default 30 s, also the wait for each answer) and the
 * {@code router_id} that starts every subject.
 */
public record SmtpSettings(String host, int port, String from, List<String> to, String heloName,
                           Duration connectTimeout, String routerId) {

    public static final int DEFAULT_PORT = 25;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(routerId, "routerId");
        to = List.copyOf(to);
        if (host.isBlank()) {
            throw new IllegalArgumentException("smtp-server needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp-server port must be 1..65535, got " + port);
        }
        checkAddress(from, "notification-email-from");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("notification-email needs at least one address");
        }
        to.forEach(a -> checkAddress(a, "notification-email"));
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || connectTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("smtp-connect-timeout must be above 0 and at most 10 minutes, got "
                    + connectTimeout);
        }
        if (heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("smtp-helo-name must be one word of printable ASCII, got \"" + heloName + "\"");
        }
    }

    /** "host" or "host:port" ("[v6]:port" for an IPv6 literal), as keepalived's "smtp_server host [port]". */
    public static String[] parseServer(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("smtp-server \"" + text + "\": missing ]");
            }
            String rest = t.substring(close + 1);
            return new String[] {t.substring(1, close), rest.isEmpty() ? "" : rest.substring(rest.indexOf(':') + 1)};
        }
        int colon = t.lastIndexOf(':');
        if (colon > 0 && t.indexOf(':') == colon) {
            return new String[] {t.substring(0, colon), t.substring(colon + 1)};
        }
        return new String[] {t, ""};
    }

    /**
     * An address goes into MAIL FROM and RCPT TO as written: no blanks, no angle brackets, at most
     * one @. A bare mailbox (root) is for the local MTA to qualify, as keepalived's samples use it.
     */
    public static void checkAddress(String address, String key) {
        if (address == null || !address.matches("[^\\s<>@]+(@[^\\s<>@]+)?")) {
            throw new IllegalArgumentException(key + ": \"" + address + "\" is not an e-mail address like"
                    + " ops@example.org or a local mailbox like root");
        }
    }
}
