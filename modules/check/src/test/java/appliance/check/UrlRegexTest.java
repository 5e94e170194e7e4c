package appliance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** keepalived's regex options on a url, as check_http.c applies them to the body. */
class UrlRegexTest {

    static UrlRegex regex(String pattern, int min, int max, String... options) {
        return UrlRegex.of(pattern, false, min, max < 0 ? OptionalInt.empty() : OptionalInt.of(max), List.of(options));
    }

    @Test
    void theMatchMustStartBetweenTheOffsetsWhileALookbehindSeesBefore() {
        String body = "status: ok\nload: ok\n";
        assertTrue(regex("ok", 0, -1).passes(body));
        assertTrue(regex("ok", 9, -1).passes(body), "the first ok starts at 8, the second at 17");
        assertFalse(regex("ok", 18, -1).passes(body));
        assertTrue(regex("ok", 0, 8).passes(body), "a match starting at the max offset counts");
        assertFalse(regex("ok", 9, 16).passes(body), "the next ok starts at 17, beyond 16");
        assertTrue(regex("(?<=load: )ok", 17, 17).passes(body), "a lookbehind reaches before the min offset");
        assertFalse(regex("^load", 11, -1).passes(body), "^ is the body's start, not the offset's (no multiline)");
        assertTrue(regex("^load", 11, -1, "multiline").passes(body));
        assertFalse(regex("ok", 100, -1).passes(body), "a body shorter than the min offset has no match");
    }

    @Test
    void keepalivedsOptionNamesAreJavasFlagsOrRefusedByName() {
        assertTrue(regex("STATUS", 0, -1, "caseless").passes("status"));
        assertFalse(regex("STATUS", 0, -1).passes("status"));
        assertTrue(regex("a.b", 0, -1, "dotall").passes("a\nb"));
        assertTrue(regex("s t a t u s # comment", 0, -1, "extended").passes("status"));
        assertTrue(regex("load", 0, -1, "firstline").passes("load: ok\n"));
        assertFalse(regex("load", 0, -1, "firstline").passes("status: ok\nload: ok\n"),
                "firstline: the match starts on the first line");
        assertTrue(regex("ok", 0, -1, "no_start_optimize", "never_utf").passes("ok"), "options that change nothing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> regex("ok", 0, -1, "ungreedy", "caseles"));
        assertEquals("regex option ungreedy (PCRE2's; Java's regex engine has no equivalent), caseles (unknown; known:"
                + " auto_callout, caseless, dotall, extended, firstline, multiline, no_auto_possess, no_dotstar_anchor,"
                + " no_start_optimize, ucp)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> regex("ok", 10, 9));
        assertThrows(IllegalArgumentException.class, () -> regex("ok", UrlRegex.WINDOW, -1));
        assertThrows(IllegalArgumentException.class, () -> regex("(", 0, -1));
    }

    @Test
    void noMatchInvertsAndTheOptionsMakeAnotherCheck() {
        UrlRegex error = UrlRegex.of("error", true, 0, OptionalInt.empty(), List.of());
        assertFalse(error.passes("an error"));
        assertTrue(error.passes("fine"));
        assertEquals(regex("ok", 1, 5, "caseless"), regex("ok", 1, 5, "caseless"));
        assertNotEquals(regex("ok", 1, 5, "caseless"), regex("ok", 1, 5));
        assertNotEquals(regex("ok", 1, 5), regex("ok", 1, 6));
    }
}
