package appliance.vrrp;

import appliance.script.CommandLine;
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

    /** A command line split as keepalived splits it ({@link CommandLine#split}). */
    public static List<String> split(String command) {
        return CommandLine.split(command);
    }
}
