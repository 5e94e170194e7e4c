package appliance.codec.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The options of keepalived's {@code virtual_ipaddress} entries (and of {@code ip addr add})
 * that {@link Rtnetlink#newAddress(int, int, InetAddress, int, AddressOptions)} writes beside the
 * address itself. Start from {@link #DEFAULT}:
 *
 * <pre>{@code
 * AddressOptions.DEFAULT.withLabel("eth0:vip").withScope(Rtnetlink.RT_SCOPE_LINK).withBroadcast(brd)
 * }</pre>
 *
 * @param label     IFA_LABEL ({@code label}), an IPv4 alias such as "eth0:vip" of 1..15
 *                  characters (the kernel ignores it for IPv6), or null for none
 * @param scope     ifa_scope ({@code scope}): RT_SCOPE_*, 0..255. The kernel honours it for IPv4
 *                  and derives the scope of an IPv6 address from the address itself
 * @param broadcast IFA_BROADCAST ({@code brd}), IPv4 only, or null for none
 * @param noDad     IFA_F_NODAD ({@code nodad}): skip duplicate address detection. IPv6 only:
 *                  IPv4 has no DAD, and the flag is left out of IPv4 requests as iproute2 refuses it
 *                  there. On by default, as keepalived sets it on every IPv6 virtual address so that
 *                  an address moving between routers is usable at once instead of tentative, and
 *                  a split brain cannot leave it "dadfailed" for good
 */
public record AddressOptions(String label, int scope, InetAddress broadcast, boolean noDad) {

    /** No label, universe scope, no broadcast address, nodad (for IPv6): what newAddress wrote before options. */
    public static final AddressOptions DEFAULT = new AddressOptions(null, Rtnetlink.RT_SCOPE_UNIVERSE, null, true);

    public AddressOptions {
        if (label != null && (label.isEmpty() || label.length() > Rtnetlink.MAX_LABEL_LENGTH)) {
            throw new IllegalArgumentException("label must be 1.." + Rtnetlink.MAX_LABEL_LENGTH
                    + " characters, was \"" + label + "\"");
        }
        if (scope < 0 || scope > 0xff) {
            throw new IllegalArgumentException("scope must be 0..255, was " + scope);
        }
        if (broadcast != null && !(broadcast instanceof Inet4Address)) {
            throw new IllegalArgumentException("a broadcast address is IPv4 only, was " + broadcast.getHostAddress());
        }
    }

    public AddressOptions withLabel(String value) {
        return new AddressOptions(value, scope, broadcast, noDad);
    }

    public AddressOptions withScope(int value) {
        return new AddressOptions(label, value, broadcast, noDad);
    }

    public AddressOptions withBroadcast(InetAddress value) {
        return new AddressOptions(label, scope, value, noDad);
    }

    public AddressOptions withNoDad(boolean value) {
        return new AddressOptions(label, scope, broadcast, value);
    }
}
