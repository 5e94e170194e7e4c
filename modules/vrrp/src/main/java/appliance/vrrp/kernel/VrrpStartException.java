package appliance.vrrp.kernel;

/**
 * The VRRP component could not start. {@link #instance()} and {@link #key()} name the configuration
 * entry at fault (either may be null) so that the caller can point at the file and line.
 */
public final class VrrpStartException extends Exception {

    private final String instance;
    private final String key;

    public VrrpStartException(String instance, String key, String message, Throwable cause) {
        super(message, cause);
        this.instance = instance;
        this.key = key;
    }

    public String instance() {
        return instance;
    }

    public String key() {
        return key;
    }
}
