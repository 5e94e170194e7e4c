package appliance.check;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's HTTP_GET ({@code type} HTTP_GET) and SSL_GET (over TLS): each run asks for one of
 * the {@code urls} ({@code GET path HTTP/1.0} with {@code Host: virtualhost}, else the target's
 * address) and is up when the answer passes that URL's checks; all must pass, one per run. With
 * {@code enableSni} the TLS handshake names the virtual host. {@code httpProtocol} is keepalived's
 * {@code http_protocol}: the request's version, and whether it asks the server to close.
 */
public record HttpCheck(CheckType type, InetSocketAddress target, LocalEnd local,
                        CheckTiming timing, List<HttpUrl> urls, Optional<String> virtualhost, boolean enableSni,
                        HttpProtocol httpProtocol)
        implements CheckSpec {

    /** keepalived's {@code http_protocol} values. */
    public enum HttpProtocol {
        /** {@code GET ... HTTP/1.0}, keepalived's default. */
        HTTP_1_0("1.0", false),
        /** HTTP/1.0 with {@code Connection: close}. */
        HTTP_1_0C("1.0C", true),
        /** {@code GET ... HTTP/1.1} with {@code Connection: close}. */
        HTTP_1_1("1.1", true);

        private final String key;
        private final boolean close;

        HttpProtocol(String key, boolean close) {
            this.key = key;
            this.close = close;
        }

        public String key() {
            return key;
        }

        public boolean sendsConnectionClose() {
            return close;
        }

        /** "1.0", "1.0C" (or "1.0c", as keepalived accepts) or "1.1". */
        public static HttpProtocol of(String text) {
            for (HttpProtocol p : values()) {
                if (p.key.equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("http-protocol must be 1.0, 1.0C or 1.1 (keepalived's), got \"" + text + "\"");
        }
    }

    /** With keepalived's default http_protocol, 1.0. */
    public HttpCheck(CheckType type, InetSocketAddress target, LocalEnd local, CheckTiming timing,
                     List<HttpUrl> urls, Optional<String> virtualhost, boolean enableSni) {
        this(type, target, local, timing, urls, virtualhost, enableSni, HttpProtocol.HTTP_1_0);
    }

    public HttpCheck {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(virtualhost, "virtualhost");
        Objects.requireNonNull(httpProtocol, "httpProtocol");
        urls = List.copyOf(urls);
        if (type != CheckType.HTTP_GET && type != CheckType.SSL_GET) {
            throw new IllegalArgumentException("an HttpCheck is HTTP_GET or SSL_GET, not " + type);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(type + " needs at least one url");
        }
        if (target.isUnresolved() || target.getPort() == 0) {
            throw new IllegalArgumentException(type + " needs an address and a port: " + target);
        }
    }

    public boolean tls() {
        return type == CheckType.SSL_GET;
    }
}
