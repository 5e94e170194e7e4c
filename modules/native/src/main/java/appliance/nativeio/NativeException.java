package appliance.nativeio;

/**
 * A failed system call or kernel request, with its errno: "socket(AF_INET, SOCK_RAW, 112):
 * Operation not permitted (EPERM)". Callers branch on {@link #errno()} or the predicates, never
 * on the message.
 */
public final class NativeException extends java.io.IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    /** @param call what was attempted, e.g. "setsockopt(SO_BINDTODEVICE, eth0)" */
    public NativeException(String call, int errno) {
        this(call, errno, call + ": " + Errno.describe(errno));
    }

    NativeException(String call, int errno, String message) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /** The positive errno value, e.g. 1 for EPERM. */
    public int errno() {
        return errno;
    }

    /** The call or request that failed, e.g. "socket(AF_INET, SOCK_RAW, 112)". */
    public String call() {
        return call;
    }

    /** EPERM or EACCES: the process lacks a capability (CAP_NET_RAW, CAP_NET_ADMIN). */
    /**
     * The socket family or protocol is not offered here, or nobody listens on it: how the kernel
     * refuses its connectors outside the initial network namespace.
     */
    public boolean isProtocolUnsupported() {
        return errno() == Errno.EPROTONOSUPPORT || errno() == Errno.ECONNREFUSED;
    }

    public boolean isPermissionDenied() {
        return errno == Errno.EPERM || errno == Errno.EACCES;
    }

    /** ENODEV (or ENXIO): the network interface does not exist (any more). */
    public boolean isNoSuchDevice() {
        return errno == Errno.ENODEV || errno == Errno.ENXIO;
    }
}
