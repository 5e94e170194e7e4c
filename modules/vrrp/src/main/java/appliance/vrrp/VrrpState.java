package appliance.vrrp;

/** RFC 5798 section 6.4 states, named as keepalived logs them. */
public enum VrrpState {
    INITIALIZE("INIT"),
    BACKUP("BACKUP"),
    MASTER("MASTER");

    private final String keepalivedName;

    VrrpState(String keepalivedName) {
        this.keepalivedName = keepalivedName;
    }

    /** The word keepalived uses in "(VI_1) Entering MASTER STATE". */
    public String keepalivedName() {
        return keepalivedName;
    }
}
