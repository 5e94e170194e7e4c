package appliance.check;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an HTTP_GET's {@code url} blocks: the path asked for, and what the answer must be: a
 * status code among {@code statusCodes}, a body whose MD5 is {@code digest} (hex, as keepalived's
 * genhash prints it), a body that passes {@code regex} (with keepalived's regex options); any of
 * them may be left out.
 */
public record HttpUrl(String path, StatusCodes statusCodes, Optional<String> digest, Optional<UrlRegex> regex) {

    public HttpUrl {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(statusCodes, "statusCodes");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(regex, "regex");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a URL path starts with '/': " + path);
        }
        for (char c : path.toCharArray()) {
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("a URL path has no spaces or control characters: " + path);
            }
        }
        digest = digest.map(d -> d.toLowerCase(java.util.Locale.ROOT));
        digest.ifPresent(d -> {
            if (d.length() != 32 || !d.chars().allMatch(c -> HexFormat.isHexDigit(c))) {
                throw new IllegalArgumentException("a digest is 32 hex digits (an MD5, as genhash prints it): " + d);
            }
        });
    }

    public static HttpUrl of(String path) {
        return new HttpUrl(path, StatusCodes.DEFAULT, Optional.empty(), Optional.empty());
    }
}
