package appliance.nativeio;

import java.util.Optional;
import java.util.OptionalInt;
import jnr.ffi.Pointer;

/**
 * Users and groups as the C library sees them (NSS included, not just /etc/passwd), this
 * process's own ids, and signals to a whole process group: what running keepalived's scripts as
 * a given user, each in a group of its own, needs.
 */
public final class Accounts {

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final int ESRCH = 3;
    /** struct passwd / struct group on LP64 Linux: two char pointers, then the ids. */
    private static final long ID_OFFSET = 16;

    /** A user's ids as getpwnam gives them. */
    public record User(String name, int uid, int gid) {
    }

    private Accounts() {
    }

    public static int uid() {
        return Syscalls.libc().getuid();
    }

    public static int gid() {
        return Syscalls.libc().getgid();
    }

    public static synchronized Optional<User> user(String name) {
        Pointer p = Syscalls.libc().getpwnam(name);
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(new User(name, p.getInt(ID_OFFSET), p.getInt(ID_OFFSET + 4)));
    }

    public static synchronized OptionalInt group(String name) {
        Pointer p = Syscalls.libc().getgrnam(name);
        return p == null ? OptionalInt.empty() : OptionalInt.of(p.getInt(ID_OFFSET));
    }

    /**
     * kill(-pgid, signal). Returns false when the group has no process left (ESRCH); other
     * failures (EPERM) throw.
     */
    public static boolean signalGroup(long processGroup, int signal) throws NativeException {
        if (processGroup <= 1 || processGroup > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process group: " + processGroup);
        }
        if (Syscalls.libc().kill((int) -processGroup, signal) == 0) {
            return true;
        }
        int errno = Syscalls.errno();
        if (errno == ESRCH) {
            return false;
        }
        throw new NativeException("kill(-" + processGroup + ", " + signal + ")", errno);
    }
}
