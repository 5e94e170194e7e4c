package appliance.check;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's HTTP_GET ({@code type} HTTP_GET) and SSL_GET (over TLS): each run asks for one of
 * the {@code urls} ({@code GET path HTTP/1.0} with {@code Host: virtualhost}, else the target's
 * address) and is up when the answer passes that URL's checks; all must pass, one per run. With
 * {@code enableSni} the TLS handshake names the virtual host.
 */
public record HttpCheck(CheckType type, InetSocketAddress target, Optional<InetSocketAddress> bindTo,
                        CheckTiming timing, List<HttpUrl> urls, Optional<String> virtualhost, boolean enableSni)
        implements CheckSpec {

    public HttpCheck {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(bindTo, "bindTo");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(virtualhost, "virtualhost");
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
