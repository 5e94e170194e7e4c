package appliance.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A url block's {@code regex} with keepalived's options: {@code regex_no_match} (up when the
 * body does not match), {@code regex_min_offset} and {@code regex_max_offset} (the match must
 * start between them; a lookbehind may see before the first) and {@code regex_options}, the
 * PCRE2 options that Java's engine has: caseless, multiline, dotall, extended, ucp, firstline (the
 * match starts on the first line), and those that change no verdict here.
 */
public record UrlRegex(Pattern pattern, boolean noMatch, int minOffset, OptionalInt maxOffset, List<String> options) {

    /** The bytes of a body a regex sees: the first MiB, never the whole body. */
    public static final int WINDOW = 1 << 20;

    private static final Map<String, Integer> FLAGS = Map.of(
            "caseless", Pattern.CASE_INSENSITIVE,
            "multiline", Pattern.MULTILINE,
            "dotall", Pattern.DOTALL,
            "extended", Pattern.COMMENTS,
            "ucp", Pattern.UNICODE_CHARACTER_CLASS,
            "firstline", 0,
            // PCRE2's tuning, or what Java already does: no verdict changes.
            "no_auto_possess", 0,
            "no_start_optimize", 0,
            "no_dotstar_anchor", 0,
            "auto_callout", 0);
    private static final Map<String, Integer> SAME_HERE = Map.of("never_ucp", 0, "never_utf", 0,
            "never_backslash_c", 0, "use_offset_limit", 0);
    /** keepalived's names that Java's engine has no equivalent for. */
    private static final List<String> NOT_HERE = List.of("allow_empty_class", "alt_bsux", "alt_circumflex",
            "alt_verbnames", "dollar_endonly", "dupnames", "match_unset_backref", "no_auto_capture", "ungreedy", "utf");

    public UrlRegex {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(maxOffset, "maxOffset");
        options = List.copyOf(options);
        if (minOffset < 0 || maxOffset.orElse(0) < 0) {
            throw new IllegalArgumentException("regex offsets are >= 0");
        }
        if (minOffset >= WINDOW) {
            throw new IllegalArgumentException("regex-min-offset " + minOffset + " is beyond the first MiB of the body,"
                    + " all a regex sees");
        }
        if (maxOffset.isPresent() && maxOffset.getAsInt() < minOffset) {
            throw new IllegalArgumentException("regex-max-offset " + maxOffset.getAsInt() + " is below regex-min-offset "
                    + minOffset);
        }
    }

    /** Compiles {@code regex} with keepalived's option names; an unknown or unavailable one is an error naming it. */
    public static UrlRegex of(String regex, boolean noMatch, int minOffset, OptionalInt maxOffset, List<String> options) {
        int flags = 0;
        List<String> problems = new ArrayList<>();
        for (String o : options) {
            Integer f = FLAGS.containsKey(o) ? FLAGS.get(o) : SAME_HERE.get(o);
            if (f != null) {
                flags |= f;
            } else if (NOT_HERE.contains(o)) {
                problems.add(o + " (PCRE2's; Java's regex engine has no equivalent)");
            } else {
                problems.add(o + " (unknown; known: " + String.join(", ", new TreeMap<>(FLAGS).keySet()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("regex option " + String.join(", ", problems));
        }
        if ((flags & Pattern.CASE_INSENSITIVE) != 0 && (flags & Pattern.UNICODE_CHARACTER_CLASS) != 0) {
            flags |= Pattern.UNICODE_CASE;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
        }
        return new UrlRegex(p, noMatch, minOffset, maxOffset, options);
    }

    public static UrlRegex of(String regex) {
        return of(regex, false, 0, OptionalInt.empty(), List.of());
    }

    /** Whether a body (its first {@link #WINDOW} bytes, as ISO-8859-1) passes: a match where one is wanted, or none. */
    public boolean passes(CharSequence body) {
        return matches(body) != noMatch;
    }

    private boolean matches(CharSequence body) {
        if (minOffset > body.length()) {
            return false;
        }
        Matcher m = pattern.matcher(body).region(minOffset, body.length())
                .useTransparentBounds(true).useAnchoringBounds(false);
        if (!m.find()) {
            return false;
        }
        int lastStart = maxOffset.orElse(Integer.MAX_VALUE);
        if (options.contains("firstline")) {
            int end = indexOf(body, '\n', minOffset);
            lastStart = Math.min(lastStart, end < 0 ? Integer.MAX_VALUE : end);
        }
        return m.start() <= lastStart;
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UrlRegex r && pattern.pattern().equals(r.pattern.pattern()) && pattern.flags() == r.pattern.flags()
                && noMatch == r.noMatch && minOffset == r.minOffset && maxOffset.equals(r.maxOffset)
                && options.equals(r.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern.pattern(), pattern.flags(), noMatch, minOffset, maxOffset, options);
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
