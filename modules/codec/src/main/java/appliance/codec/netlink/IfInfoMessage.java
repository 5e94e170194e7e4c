package appliance.codec.netlink;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * RTM_NEWLINK / RTM_DELLINK: a network interface (rtnetlink(7), struct ifinfomsg).
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |  family (u8)  |   (padding)   |      device type (u16)        |  0
 * +---------------+---------------+---------------+---------------+
 * |                    interface index (s32)                      |  4
 * +---------------+---------------+---------------+---------------+
 * |                    IFF_* flags (u32)                          |  8
 * +---------------+---------------+---------------+---------------+
 * |                    change mask (u32)                          | 12
 * +---------------+---------------+---------------+---------------+
 * |  attributes: IFLA_IFNAME, IFLA_ADDRESS, IFLA_MTU, IFLA_LINK,     | 16
 * |  IFLA_OPERSTATE, IFLA_LINKINFO { IFLA_INFO_KIND ... } ...     |
 * </pre>
 *
 * {@link #linkIndex()} and {@link #kind()} let a component recognise links it made itself, e.g.
 * a VMAC left behind by a crash: kind "macvlan", its base interface as link, the virtual MAC.
 *
 * @param type            ARPHRD_* (1 Ethernet, 772 loopback)
 * @param flags           IFF_* bits, e.g. {@link #IFF_UP}
 * @param name            IFLA_IFNAME, or null when absent
 * @param hardwareAddress IFLA_ADDRESS (6 bytes for Ethernet), empty when absent
 * @param mtu             IFLA_MTU, 0 when absent
 * @param operState       IFLA_OPERSTATE (RFC 2863: 0 unknown, 2 down, 6 up), 0 when absent
 * @param linkIndex       IFLA_LINK: the interface below (a macvlan's or VLAN's base, a veth's
 *                        peer), 0 when absent (the kernel leaves it out when the link is its own)
 * @param kind            IFLA_INFO_KIND inside IFLA_LINKINFO ("macvlan", "veth", "bridge" ...),
 *                        or null when absent (physical interfaces, loopback)
 */
public record IfInfoMessage(NetlinkHeader header, int interfaceIndex, int type, int flags, String name,
                            byte[] hardwareAddress, int mtu, int operState, int linkIndex, String kind)
        implements NetlinkMessage {

    /** Fixed part before the attributes. */
    static final int SIZE = 16;

    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;

    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    public static final int IF_OPER_UNKNOWN = 0;
    public static final int IF_OPER_DOWN = 2;
    public static final int IF_OPER_UP = 6;

    public IfInfoMessage {
        Objects.requireNonNull(header, "header");
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("device type must be 0..65535, was " + type);
        }
        if (operState < 0 || operState > 0xff) {
            throw new IllegalArgumentException("operstate must be 0..255, was " + operState);
        }
        if (linkIndex < 0) {
            throw new IllegalArgumentException("link index must be 0 (none) or positive, was " + linkIndex);
        }
        hardwareAddress = hardwareAddress == null ? new byte[0] : hardwareAddress.clone();
    }

    /** A link without IFLA_LINK and IFLA_LINKINFO: the constructor of the first version of this record. */
    public IfInfoMessage(NetlinkHeader header, int interfaceIndex, int type, int flags, String name,
                         byte[] hardwareAddress, int mtu, int operState) {
        this(header, interfaceIndex, type, flags, name, hardwareAddress, mtu, operState, 0, null);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    /** Administratively up (IFF_UP). */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    /** The hardware address as {@code ip link} prints it, e.g. "02:00:00:00:00:0a". */
    public String hardwareAddressText() {
        return HexFormat.ofDelimiter(":").formatHex(hardwareAddress);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IfInfoMessage m && header.equals(m.header) && interfaceIndex == m.interfaceIndex
                && type == m.type && flags == m.flags && Objects.equals(name, m.name)
                && Arrays.equals(hardwareAddress, m.hardwareAddress) && mtu == m.mtu && operState == m.operState
                && linkIndex == m.linkIndex && Objects.equals(kind, m.kind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, interfaceIndex, type, flags, name, Arrays.hashCode(hardwareAddress), mtu, operState,
                linkIndex, kind);
    }

    @Override
    public String toString() {
        return "IfInfoMessage[header=" + header + ", interfaceIndex=" + interfaceIndex + ", type=" + type
                + ", flags=0x" + Integer.toHexString(flags) + ", name=" + name
                + ", hardwareAddress=" + hardwareAddressText() + ", mtu=" + mtu + ", operState=" + operState
                + ", linkIndex=" + linkIndex + ", kind=" + kind + "]";
    }
}
