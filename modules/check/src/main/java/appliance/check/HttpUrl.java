package appliance.check;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One of an HTTP_GET's {@code url} blocks: the path asked for, and what the answer must be: a
 * status code among {@code statusCodes}, a body whose MD5 is {@code digest} (hex, as keepalived's
 * genhash prints it), a body matching {@code regex} (with {@code regexNoMatch}, keepalived's
 * {@code regex_no_match}: a body that does not match it); any of them may be left out.
 */
public record HttpUrl(String path, StatusCodes statusCodes, Optional<String> digest, Optional<Pattern> regex,
                      boolean regexNoMatch) {

    public HttpUrl(String path, StatusCodes statusCodes, Optional<String> digest, Optional<Pattern> regex) {
        this(path, statusCodes, digest, regex, false);
    }

    public HttpUrl {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(statusCodes, "statusCodes");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(regex, "regex");
        if (regexNoMatch && regex.isEmpty()) {
            throw new IllegalArgumentException("regex-no-match needs a regex");
        }
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

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpUrl u && path.equals(u.path) && statusCodes.equals(u.statusCodes)
                && digest.equals(u.digest) && regex.map(Pattern::pattern).equals(u.regex.map(Pattern::pattern))
                && regexNoMatch == u.regexNoMatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, statusCodes, digest, regex.map(Pattern::pattern), regexNoMatch);
    }
}
