package appliance.script;

import appliance.nativeio.Accounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a script before anything runs it, as keepalived's check_script_secure does, but as an
 * error instead of a silently disabled script: the program must exist and be executable by the
 * user it runs as (keepalived's default: global script-user, else the user keepalived_script if
 * there is one, else this process's user). A script run as root (or set-uid root) must not be
 * replaceable by anyone else: every directory on its path and the file itself owned by root and
 * not writable by a non-root group or by all (a sticky directory may be). With
 * enable-script-security such a script is refused; without, keepalived's SECURITY VIOLATION
 * warning is logged.
 */
public final class ScriptAccess {

    private static final Logger log = LoggerFactory.getLogger(ScriptAccess.class);
    private static final String KEEPALIVED_DEFAULT_USER = "keepalived_script";
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;

    /** A script that cannot be run, with keepalived's reason in our words. */
    public static final class ScriptException extends Exception {
        private static final long serialVersionUID = 1L;

        public ScriptException(String message) {
            super(message);
        }
    }

    private final Optional<ScriptUser> scriptUser;
    private final boolean enableScriptSecurity;
    private final int ourUid = Accounts.uid();
    private final int ourGid = Accounts.gid();
    private boolean runsAsRoot;
    /** setsid and setpriv were found on PATH: looked for once, not for every script. */
    private boolean toolsFound;
    private final List<String> insecure = new ArrayList<>();

    /**
     * @param scriptUser           global_defs' script_user: whom scripts without a user of their own run as
     * @param enableScriptSecurity global_defs' enable_script_security: refuse a script run as root that others could replace
     */
    public ScriptAccess(Optional<ScriptUser> scriptUser, boolean enableScriptSecurity) {
        this.scriptUser = scriptUser;
        this.enableScriptSecurity = enableScriptSecurity;
    }

    /** Checks and resolves a command: {@code arguments} split as keepalived splits them. */
    public PreparedScript prepare(List<String> arguments, Optional<ScriptUser> user) throws ScriptException {
        if (!toolsFound) {
            requireTools();
            toolsFound = true;
        }
        int[] ids = ids(user.or(() -> scriptUser));
        boolean asOther = ids[0] != ourUid || ids[1] != ourGid;
        if (asOther && ourUid != 0) {
            throw new ScriptException("running it as uid " + ids[0] + " gid " + ids[1] + " needs root");
        }
        Path program = locate(arguments.get(0));
        if (!Files.isRegularFile(program)) {
            throw new ScriptException(program + " is not a regular file");
        }
        int mode = attribute(program, "mode", true);
        int owner = attribute(program, "uid", true);
        int group = attribute(program, "gid", true);
        if (!executableBy(mode, owner, group, ids[0], ids[1])) {
            throw new ScriptException(program + " is not executable by uid " + ids[0] + " gid " + ids[1]);
        }
        boolean privileged = ids[0] == 0 || ids[1] == 0 || owner == 0 && (mode & S_ISUID) != 0
                || group == 0 && (mode & S_ISGID) != 0;
        if (privileged) {
            runsAsRoot = true;
            for (Path p : List.of(program, realPath(program))) {
                Optional<String> weakness = weakness(p);
                if (weakness.isPresent()) {
                    if (enableScriptSecurity) {
                        throw new ScriptException("unsafe permissions: " + weakness.get()
                                + "; refused because enable-script-security is set (as keepalived does)");
                    }
                    insecure.add(program + " (" + weakness.get() + ")");
                }
            }
        }
        List<String> resolved = new ArrayList<>(arguments);
        resolved.set(0, program.toString());
        return new PreparedScript(resolved, ids[0], ids[1], asOther);
    }

    /** After every script is prepared: keepalived's warning when scripts run as root unprotected. */
    public void warnIfUnprotected() {
        if (runsAsRoot && !enableScriptSecurity) {
            log.warn("SECURITY VIOLATION - scripts are being executed but script_security not enabled.{}",
                    insecure.isEmpty() ? "" : " There are insecure scripts: " + String.join(", ", insecure));
        }
    }

    private int[] ids(Optional<ScriptUser> configured) throws ScriptException {
        if (configured.isEmpty()) {
            Optional<Accounts.User> dflt = Accounts.user(KEEPALIVED_DEFAULT_USER);
            return dflt.map(u -> new int[] {u.uid(), u.gid()}).orElse(new int[] {ourUid, ourGid});
        }
        ScriptUser u = configured.get();
        Accounts.User account = Accounts.user(u.user())
                .orElseThrow(() -> new ScriptException("user " + u.user() + " does not exist"));
        int gid = account.gid();
        if (u.group().isPresent()) {
            gid = Accounts.group(u.group().get())
                    .orElseThrow(() -> new ScriptException("group " + u.group().get() + " does not exist"));
        }
        return new int[] {account.uid(), gid};
    }

    /** An absolute path as given, or a bare name searched on PATH as keepalived does. */
    private static Path locate(String program) throws ScriptException {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute()) {
                throw new ScriptException(program + " must be an absolute path or a bare name found on PATH");
            }
            if (!Files.exists(p)) {
                throw new ScriptException(program + " does not exist");
            }
            return p;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        throw new ScriptException(program + " is not found on PATH (" + path + ")");
    }

    private static void requireTools() throws ScriptException {
        for (String tool : List.of("setsid", "setpriv")) {
            try {
                locate(tool);
            } catch (ScriptException e) {
                throw new ScriptException("util-linux's " + tool + " is needed to run scripts in their own process"
                        + " group and as their user, and is not found on PATH");
            }
        }
    }

    private static boolean executableBy(int mode, int owner, int group, int uid, int gid) {
        if (uid == 0) {
            return (mode & 0111) != 0;
        }
        if (uid == owner) {
            return (mode & 0100) != 0;
        }
        return gid == group ? (mode & 0010) != 0 : (mode & 0001) != 0;
    }

    /** keepalived's check_security: the first component of the path someone other than root could change. */
    private static Optional<String> weakness(Path path) throws ScriptException {
        Path p = path.getRoot();
        List<Path> steps = new ArrayList<>(List.of(p));
        for (Path name : path) {
            p = p.resolve(name);
            steps.add(p);
        }
        for (Path step : steps) {
            int mode = attribute(step, "mode", false);
            int owner = attribute(step, "uid", false);
            int group = attribute(step, "gid", false);
            boolean dir = Files.isDirectory(step, LinkOption.NOFOLLOW_LINKS);
            boolean file = Files.isRegularFile(step, LinkOption.NOFOLLOW_LINKS);
            if (owner != 0) {
                return Optional.of(step + " is owned by uid " + owner);
            }
            if ((dir && (mode & S_ISVTX) == 0 || file) && (group != 0 && (mode & 020) != 0 || (mode & 02) != 0)) {
                return Optional.of(step + " is writable by " + ((mode & 02) != 0 ? "everyone" : "group " + group));
            }
        }
        return Optional.empty();
    }

    private static Path realPath(Path p) throws ScriptException {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new ScriptException("cannot resolve " + p + ": " + e.getMessage());
        }
    }

    private static int attribute(Path p, String name, boolean follow) throws ScriptException {
        try {
            return (Integer) (follow ? Files.getAttribute(p, "unix:" + name)
                    : Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            throw new ScriptException("cannot read " + p + ": " + e.getMessage());
        }
    }
}
