package appliance.check;

/** A virtual server's protocol, as keepalived's {@code protocol} keyword; printed lowercase in its log lines. */
public enum Protocol {
    TCP, UDP, SCTP;

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
