package appliance.config;

import appliance.check.CheckTiming;
import appliance.check.CheckType;
import appliance.check.FileCheck;
import appliance.check.MiscCheck;
import appliance.script.CommandLine;
import appliance.script.ScriptUser;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of the checks that run here rather than against the server: {@code misc-check}
 * (keepalived's MISC_CHECK: {@code misc-path}, {@code misc-timeout}, {@code misc-dynamic},
 * {@code user}) and {@code file-check} (FILE_CHECK with its track_file inline: {@code file},
 * {@code weight}, {@code reverse}).
 */
final class LocalChecksReader {

    private static final Set<String> MISC_KEYS = Set.of("misc-path", "misc-timeout", "misc-dynamic", "user");
    private static final Set<String> FILE_KEYS = Set.of("file", "weight", "reverse");

    private LocalChecksReader() {
    }

    static Set<String> keys(CheckType type) {
        return type == CheckType.MISC_CHECK ? MISC_KEYS : FILE_KEYS;
    }

    /** Null when wrong (reported). */
    static MiscCheck misc(KeyReader r, InetSocketAddress server, CheckTiming timing) {
        String command = r.string("misc-path", null, CommandLine::split);
        Duration timeout = r.duration("misc-timeout", timing.delayLoop());
        Boolean dynamic = r.bool("misc-dynamic", false);
        String user = r.string("user", "", u -> {
            if (!u.isEmpty()) {
                ScriptUser.parse(u);
            }
        });
        if (command == null || timeout == null || dynamic == null || user == null) {
            return null;
        }
        List<String> args = CommandLine.split(command);
        return new MiscCheck(server, timing, args, user.isEmpty() ? Optional.empty() : Optional.of(ScriptUser.parse(user)),
                timeout, dynamic);
    }

    /** Null when wrong (reported). */
    static FileCheck file(KeyReader r, InetSocketAddress server, CheckTiming timing) {
        String file = r.string("file", null, f -> {
            if (!Path.of(f).isAbsolute()) {
                throw new IllegalArgumentException("needs an absolute path, got \"" + f + "\"");
            }
        });
        // keepalived's track_file weight: 1 unless given, any 32-bit value.
        Integer weight = r.integer("weight", 1, w -> { });
        Boolean reverse = r.bool("reverse", false);
        if (file == null || weight == null || reverse == null) {
            return null;
        }
        return new FileCheck(server, timing, Path.of(file), weight, reverse);
    }
}
