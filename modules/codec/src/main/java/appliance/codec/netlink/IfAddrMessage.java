package appliance.codec.netlink;

import java.net.InetAddress;
import java.util.Objects;

/**
 * RTM_NEWADDR / RTM_DELADDR: an address on an interface (rtnetlink(7), struct ifaddrmsg).
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |  family (u8)  | prefixlen (u8)|   flags (u8)  |   scope (u8)  |  0
 * +---------------+---------------+---------------+---------------+
 * |                    interface index (u32)                      |  4
 * +---------------+---------------+---------------+---------------+
 * |  attributes: IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_FLAGS ...  |  8
 * </pre>
 *
 * For IPv4, IFA_LOCAL is the interface's own address and IFA_ADDRESS the peer's (the same
 * address unless point-to-point); IPv6 sends IFA_ADDRESS alone. {@link #interfaceAddress()}
 * hides the difference.
 *
 * @param family  {@link Rtnetlink#AF_INET} or {@link Rtnetlink#AF_INET6}
 * @param flags   IFA_F_* bits: IFA_FLAGS (32 bits) when present, else the header's 8 bits
 * @param scope   RT_SCOPE_*: 0 universe, 253 link, 254 host
 * @param address IFA_ADDRESS, or null when absent
 * @param local   IFA_LOCAL, or null when absent
 * @param label   IFA_LABEL (IPv4 only, e.g. "eth0:vip"), or null when absent
 */
public record IfAddrMessage(NetlinkHeader header, int family, int prefixLength, int flags, int scope,
                            int interfaceIndex, InetAddress address, InetAddress local, String label)
        implements NetlinkMessage {

    /** Fixed part before the attributes. */
    static final int SIZE = 8;

    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;

    public IfAddrMessage {
        Objects.requireNonNull(header, "header");
        if (family < 0 || family > 0xff) {
            throw new IllegalArgumentException("family must be 0..255, was " + family);
        }
        if (prefixLength < 0 || prefixLength > 0xff) {
            throw new IllegalArgumentException("prefix length must be 0..255, was " + prefixLength);
        }
        if (scope < 0 || scope > 0xff) {
            throw new IllegalArgumentException("scope must be 0..255, was " + scope);
        }
    }

    /** The address configured on the interface: IFA_LOCAL when present, else IFA_ADDRESS. */
    public InetAddress interfaceAddress() {
        return local != null ? local : address;
    }
}
