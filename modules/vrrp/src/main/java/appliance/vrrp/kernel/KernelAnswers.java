package appliance.vrrp.kernel;

import appliance.nativeio.NativeException;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * The kernel's answers to rtnetlink requests as the installers want them: the errors that mean
 * the wanted state is already there (EEXIST on an add, "no such" on a delete) count as success.
 */
final class KernelAnswers {

    static final int ESRCH = 3;
    static final int ENODEV = 19;
    static final int EEXIST = 17;
    static final int EADDRNOTAVAIL = 99;

    private KernelAnswers() {
    }

    /** A handler that completes normally on success or on one of {@code harmless}, and fails again otherwise. */
    static BiFunction<Void, Throwable, Void> succeedingOn(int... harmless) {
        return (ok, error) -> {
            if (error == null) {
                return null;
            }
            int errno = errno(error);
            for (int h : harmless) {
                if (errno == h) {
                    return null;
                }
            }
            throw error instanceof CompletionException c ? c : new CompletionException(error);
        };
    }

    /** The errno of a kernel refusal, or -1 for anything else (a timeout, a closed socket, none). */
    static int errno(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof NativeException n ? n.errno() : -1;
    }
}
