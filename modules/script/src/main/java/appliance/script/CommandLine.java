package appliance.script;

import java.util.ArrayList;
import java.util.List;

/** keepalived's script command lines (notify, vrrp_script, misc_path). */
public final class CommandLine {

    private CommandLine() {
    }

    /**
     * A command line split into arguments as keepalived splits it: on blanks, with '...' and
     * "..." keeping blanks inside an argument and a backslash escaping the next character.
     *
     * @throws IllegalArgumentException for an empty command, an unclosed quote or a relative program path
     */
    public static List<String> split(String command) {
        List<String> args = new ArrayList<>();
        StringBuilder current = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char ch = command.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    current.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                current = current == null ? new StringBuilder() : current;
            } else if (ch == '\\' && i + 1 < command.length()) {
                current = current == null ? new StringBuilder() : current;
                current.append(command.charAt(++i));
            } else if (Character.isWhitespace(ch)) {
                if (current != null) {
                    args.add(current.toString());
                    current = null;
                }
            } else {
                current = current == null ? new StringBuilder() : current;
                current.append(ch);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("command " + command + ": unclosed " + quote + " quote");
        }
        if (current != null) {
            args.add(current.toString());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        if (!args.get(0).startsWith("/")) {
            throw new IllegalArgumentException("command " + command + ": the program needs an absolute path, as"
                    + " keepalived requires");
        }
        return args;
    }
}
