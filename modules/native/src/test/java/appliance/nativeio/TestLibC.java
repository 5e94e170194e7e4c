package appliance.nativeio;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/** libc calls only the tests need: entering a network namespace, dropping a capability, getsockname. */
final class TestLibC {

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    static final Calls INSTANCE = LibraryLoader.create(Calls.class).failImmediately()
            .load(Platform.getNativePlatform().getStandardCLibraryName());

    private TestLibC() {
    }

    static int errno() {
        return Runtime.getRuntime(INSTANCE).getLastError();
    }

    /** Public for jnr-ffi's generated implementation (see Syscalls.LibC). */
    public interface Calls {

        @SaveError
        int open(String path, int flags);

        @SaveError
        int close(int fd);

        /** Moves the calling thread (only) into the namespace {@code fd} refers to. */
        @SaveError
        int setns(int fd, int nstype);

        @SaveError
        int getsockname(int fd, @Out byte[] address, IntByReference length);

        /** header: version, pid; data: 2 x {effective, permitted, inheritable}. Per thread on Linux. */
        @SaveError
        int capget(@In int[] header, @Out int[] data);

        @SaveError
        int capset(@In int[] header, @In int[] data);
    }
}
