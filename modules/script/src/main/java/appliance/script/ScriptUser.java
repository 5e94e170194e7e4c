package appliance.script;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's {@code user USERNAME [GROUPNAME]} of a script, and {@code script_user} in
 * global_defs: whom a script runs as. Without a group, the user's own primary group.
 */
public record ScriptUser(String user, Optional<String> group) {

    public ScriptUser {
        Objects.requireNonNull(group, "group");
        checkName(user, "user");
        group.ifPresent(g -> checkName(g, "group"));
    }

    /** "nobody" or "nobody nogroup", as keepalived writes it. */
    public static ScriptUser parse(String text) {
        List<String> words = List.of(text.strip().split("\\s+"));
        if (text.isBlank() || words.size() > 2) {
            throw new IllegalArgumentException("must be \"USER\" or \"USER GROUP\", got \"" + text + "\"");
        }
        return new ScriptUser(words.get(0), words.size() == 2 ? Optional.of(words.get(1)) : Optional.empty());
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 32 || !name.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?")) {
            throw new IllegalArgumentException(what + " name \"" + name + "\" is not a valid user or group name");
        }
    }

    @Override
    public String toString() {
        return user + group.map(g -> " " + g).orElse("");
    }
}
