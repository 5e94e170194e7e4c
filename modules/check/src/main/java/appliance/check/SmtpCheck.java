package appliance.check;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * keepalived's SMTP_CHECK: connect, read the 220 banner, {@code HELO heloName} answered 250,
 * {@code QUIT} answered 221. keepalived's deprecated {@code host} blocks are several of these, one
 * per host, as keepalived 2.2.7 itself turns them into one checker each.
 */
public record SmtpCheck(InetSocketAddress target, LocalEnd local, CheckTiming timing,
                        String heloName) implements CheckSpec {

    /** keepalived's SMTP_DEFAULT_HELO. */
    public static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

    public SmtpCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(heloName, "heloName");
        if (target.isUnresolved() || target.getPort() == 0) {
            throw new IllegalArgumentException("an SMTP_CHECK needs an address and a port: " + target);
        }
        if (heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("helo-name is one word without spaces or control characters: \""
                    + heloName + "\"");
        }
    }

    @Override
    public CheckType type() {
        return CheckType.SMTP_CHECK;
    }
}
