package appliance.check;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * keepalived's DNS_CHECK: a query of {@code type} for {@code name} (default SOA for the root) over
 * UDP, up on a reply with its id and rcode NOERROR. keepalived calls the key {@code type}; here
 * it is {@code type-of-query}, as {@code type} names the check.
 */
public record DnsCheck(InetSocketAddress target, LocalEnd local, CheckTiming timing, String queryType,
                       String name) implements CheckSpec {

    /** The query types keepalived 2.2.7 knows. */
    public static final Set<String> TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY");

    public DnsCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(name, "name");
        checkType(queryType);
        if (target.isUnresolved() || target.getPort() == 0) {
            throw new IllegalArgumentException("a DNS_CHECK needs an address and a port: " + target);
        }
        if (name.length() > 253 || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a domain name");
        }
    }

    public static void checkType(String type) {
        if (type == null || !TYPES.contains(type.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("\"" + type + "\" is not one of " + new java.util.TreeSet<>(TYPES));
        }
    }

    @Override
    public CheckType type() {
        return CheckType.DNS_CHECK;
    }
}
