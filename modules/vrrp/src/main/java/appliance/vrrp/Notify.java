package appliance.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How keepalived tells of an instance's (or sync group's) transitions: the notify scripts
 * {@code notify_master}, {@code notify_backup}, {@code notify_fault}, {@code notify_stop} (each a
 * command line with its own arguments) and the generic {@code notify}, which gets
 * {@code INSTANCE NAME STATE PRIORITY} appended; and {@code smtp_alert}, an e-mail per transition.
 */
public record Notify(Optional<String> master, Optional<String> backup, Optional<String> fault, Optional<String> stop,
                     Optional<String> generic, boolean smtpAlert) {

    public static final Notify NONE = new Notify(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public Notify(Optional<String> master, Optional<String> backup, Optional<String> fault, Optional<String> stop,
                  Optional<String> generic) {
        this(master, backup, fault, stop, generic, false);
    }

    public Notify {
        for (Optional<String> c : List.of(master, backup, fault, stop, generic)) {
            c.ifPresent(Notify::split);
        }
    }

    /** No script (an e-mail alert may still be on). */
    public boolean isEmpty() {
        return List.of(master, backup, fault, stop, generic).stream().allMatch(Optional::isEmpty);
    }

    /** The script for entering {@code state}, if one is configured. */
    public Optional<String> forState(VrrpState state) {
        return switch (state) {
            case MASTER -> master;
            case BACKUP -> backup;
            case FAULT -> fault;
            default -> Optional.empty();
        };
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
            throw new IllegalArgumentException("notify command " + command + ": unclosed " + quote + " quote");
        }
        if (current != null) {
            args.add(current.toString());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("notify command is empty");
        }
        if (!args.get(0).startsWith("/")) {
            throw new IllegalArgumentException("notify command " + command + ": the program needs an absolute path, as"
                    + " keepalived requires");
        }
        return args;
    }
}
