package appliance.vrrp;

/**
 * RFC 5798 section 6.4 states, named as keepalived logs them, plus keepalived's FAULT: the
 * instance's interface is down (or, later, a tracked object failed), so it neither advertises
 * nor listens and holds no virtual address.
 */
public enum VrrpState {
    INITIALIZE("INIT"),
    BACKUP("BACKUP"),
    MASTER("MASTER"),
    FAULT("FAULT");

    private final String keepalivedName;

    VrrpState(String keepalivedName) {
        this.keepalivedName = keepalivedName;
    }

    /** The word keepalived uses in "(VI_1) Entering MASTER STATE". */
    public String keepalivedName() {
        return keepalivedName;
    }
}
