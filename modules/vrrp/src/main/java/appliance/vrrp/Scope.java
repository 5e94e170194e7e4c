package appliance.vrrp;

import java.util.Locale;

/** An address's or a route's scope (rtnetlink's RT_SCOPE_*), by the names iproute2 and keepalived use. */
public enum Scope {
    GLOBAL(0), SITE(200), LINK(253), HOST(254), NOWHERE(255);

    private final int code;

    Scope(int code) {
        this.code = code;
    }

    /** RT_SCOPE_* on the wire. */
    public int code() {
        return code;
    }

    /** "global", "site", "link", "host" or "nowhere" (keepalived also takes "universe" for global). */
    public static Scope parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("universe")) {
            return GLOBAL;
        }
        for (Scope s : values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope \"" + name + "\" is not one of global, site, link, host, nowhere");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
