package appliance.vrrp;

/**
 * Why an instance is in FAULT. Several can hold at once; the instance leaves FAULT when the last
 * one clears, listening as a backup first unless it owns the addresses (as keepalived does).
 */
public enum FaultReason {
    /** The interface is set down, has no carrier, or does not exist (yet, or any more). */
    LINK_DOWN("interface down"),
    /** The interface has no IPv4 address of its own to send advertisements from. */
    NO_IPV4_ADDRESS("no IPv4 address on the interface"),
    /** An IPv6 instance's interface has no usable link-local address (none yet, or still tentative). */
    NO_IPV6_LINK_LOCAL("no IPv6 link-local address on the interface"),
    /** As master, the kernel did not confirm the virtual addresses within Master_Down_Interval. */
    ADDRESSES_NOT_HELD("virtual addresses not held"),
    /** Something tracked with weight 0 is down (keepalived's track_interface and the like); see the router's trackedDown(). */
    TRACKED("a tracked object is down"),
    /** Another member of the instance's sync group has a reason to be in FAULT: the group is in FAULT together. */
    SYNC_GROUP("sync group in FAULT");

    private final String description;

    FaultReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
