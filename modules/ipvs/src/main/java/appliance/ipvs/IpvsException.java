package appliance.ipvs;

/**
 * A kernel refusal of an IPVS request, with the service or destination it concerns and the
 * kernel's errno ({@link #errno()}, 0 when the request did not reach the kernel's answer: a
 * timeout, a closed client).
 */
public final class IpvsException extends Exception {

    private final int errno;

    IpvsException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
