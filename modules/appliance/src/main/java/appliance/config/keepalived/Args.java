package appliance.config.keepalived;

import java.math.BigDecimal;
import java.util.List;

/**
 * Reads a keyword's words the way keepalived does, reporting what is wrong through
 * {@link Findings}; each read returns null after reporting, so that one run finds every problem.
 */
final class Args {

    private static final List<String> TRUE = List.of("true", "on", "yes");
    private static final List<String> FALSE = List.of("false", "off", "no");

    private final Findings findings;

    Args(Findings findings) {
        this.findings = findings;
    }

    void error(Node n, String message) {
        findings.error(n.origin(), n.keyword(), message);
    }

    void warning(Node n, String message) {
        findings.warning(n.origin(), n.keyword(), message);
    }

    /** True when the node has between min and max words after its keyword; else reported. */
    boolean count(Node n, int min, int max, String usage) {
        int size = n.args().size();
        if (size < min || size > max) {
            error(n, (size < min ? "needs " : "takes ") + usage + " (got " + (size == 0 ? "nothing" : "\"" + n.joined() + "\"")
                    + ")");
            return false;
        }
        return true;
    }

    /** The one word after the keyword. */
    String one(Node n, String what) {
        return count(n, 1, 1, what) ? n.args().get(0).text() : null;
    }

    /** keepalived's [BOOL]: the keyword alone is true; else true|on|yes|false|off|no. */
    Boolean bool(Node n) {
        if (n.args().isEmpty()) {
            return true;
        }
        if (!count(n, 0, 1, "at most one of true, on, yes, false, off, no")) {
            return null;
        }
        String v = n.args().get(0).text();
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        error(n, "\"" + v + "\" is not one of true, on, yes, false, off, no");
        return null;
    }

    /** A keyword that takes no words (keepalived ignores extra ones; we say so). */
    boolean flag(Node n) {
        if (!n.args().isEmpty()) {
            error(n, "takes no value (got \"" + n.joined() + "\")");
            return false;
        }
        return true;
    }

    Integer integer(Node n, String what) {
        String s = one(n, what);
        return s == null ? null : integer(n, s, what);
    }

    Integer integer(Node n, String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            error(n, "\"" + s + "\" is not a whole number; needs " + what);
            return null;
        }
    }

    /**
     * A time in keepalived's seconds as a HOCON duration ("3s", "1500ms", "10us"): fractional
     * where keepalived reads fractions (up to 6 decimals), whole seconds where it does not.
     */
    String seconds(Node n, boolean fractional) {
        String s = one(n, fractional ? "a time in seconds (fractions allowed)" : "a whole number of seconds");
        return s == null ? null : seconds(n, s, fractional);
    }

    String seconds(Node n, String s, boolean fractional) {
        BigDecimal d;
        try {
            d = new BigDecimal(s);
        } catch (NumberFormatException e) {
            error(n, "\"" + s + "\" is not a number of seconds");
            return null;
        }
        if (d.signum() < 0) {
            error(n, "\"" + s + "\" is negative; needs seconds >= 0");
            return null;
        }
        if (!fractional && d.stripTrailingZeros().scale() > 0) {
            error(n, "\"" + s + "\" is not a whole number of seconds (keepalived reads whole seconds here)");
            return null;
        }
        if (d.stripTrailingZeros().scale() > 6) {
            error(n, "\"" + s + "\" has more than 6 decimals (keepalived's resolution is a microsecond)");
            return null;
        }
        return duration(d);
    }

    static String duration(BigDecimal seconds) {
        BigDecimal micros = seconds.movePointRight(6).stripTrailingZeros();
        long us = micros.longValueExact();
        if (us % 1_000_000 == 0) {
            return us / 1_000_000 + "s";
        }
        if (us % 1_000 == 0) {
            return us / 1_000 + "ms";
        }
        return us + "us";
    }

    /** Sets a key once: a keyword written twice in one block is an error (keepalived lets the last win). */
    void put(Node n, HoconTree.Obj o, String key, Object value) {
        if (value == null) {
            return;
        }
        if (o.has(key)) {
            error(n, "sets " + key + " a second time in this block");
            return;
        }
        o.put(key, value, n.origin());
    }
}
