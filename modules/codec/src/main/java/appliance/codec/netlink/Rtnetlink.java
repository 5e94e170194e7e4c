package appliance.codec.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The rtnetlink requests the appliance sends (add and delete an address, dump addresses and
 * links, as keepalived's {@code netlink_ipaddress()} and {@code netlink_request()} do) and the
 * decoder of the kernel's replies. Each encoder returns one complete message, ready for sendto.
 */
public final class Rtnetlink {

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_FLAGS = 8;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_OPERSTATE = 16;

    /** rtnetlink multicast group of link changes (RTMGRP_LINK, a bit mask for sockaddr_nl.nl_groups). */
    public static final int RTMGRP_LINK = 0x1;
    /** rtnetlink multicast group of IPv4 address changes (RTMGRP_IPV4_IFADDR). */
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** rtnetlink multicast group of IPv6 address changes (RTMGRP_IPV6_IFADDR). */
    public static final int RTMGRP_IPV6_IFADDR = 0x100;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int RT_SCOPE_UNIVERSE = 0;

    /** IFNAMSIZ - 1: the longest interface name or IPv4 label. */
    public static final int MAX_LABEL_LENGTH = 15;

    private Rtnetlink() {
    }

    /**
     * RTM_NEWADDR with NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL: adding an address
     * that is already there fails with EEXIST instead of silently succeeding.
     */
    public static byte[] newAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength) {
        return newAddress(sequence, interfaceIndex, address, prefixLength, null);
    }

    /**
     * As {@link #newAddress(int, int, InetAddress, int)}, with an IPv4 label such as "eth0:vip"
     * (ignored by the kernel for IPv6; null for none).
     */
    public static byte[] newAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength,
                                    String label) {
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK
                | NetlinkHeader.NLM_F_CREATE | NetlinkHeader.NLM_F_EXCL;
        // As keepalived, IPv6 virtual addresses skip duplicate address detection: the address
        // moves between routers and must be usable at once, not tentative for a second.
        int ifaFlags = address instanceof Inet6Address ? IfAddrMessage.IFA_F_NODAD : 0;
        return addressMessage(RTM_NEWADDR, flags, sequence, interfaceIndex, address, prefixLength, label, ifaFlags);
    }

    /** RTM_DELADDR with NLM_F_REQUEST | NLM_F_ACK; the kernel answers EADDRNOTAVAIL when it is absent. */
    public static byte[] deleteAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength) {
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        return addressMessage(RTM_DELADDR, flags, sequence, interfaceIndex, address, prefixLength, null, 0);
    }

    /** RTM_GETADDR dump of every address of {@code family} (AF_UNSPEC for both). */
    public static byte[] dumpAddresses(int sequence, int family) {
        checkFamily(family);
        return new NetlinkWriter(RTM_GETADDR, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, sequence)
                .u8(family).u8(0).u8(0).u8(0).u32(0)
                .toByteArray();
    }

    /** RTM_GETLINK dump of every interface. */
    public static byte[] dumpLinks(int sequence) {
        return new NetlinkWriter(RTM_GETLINK, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, sequence)
                .u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
                .toByteArray();
    }

    /**
     * The messages of one datagram, in order (a dump reply carries several).
     *
     * @throws NetlinkDecodeException when a length field, attribute or fixed struct does not fit
     */
    public static List<NetlinkMessage> decode(byte[] buf, int off, int len) throws NetlinkDecodeException {
        return RtnetlinkDecoder.decode(buf, off, len);
    }

    /** The address family of {@code address}: AF_INET or AF_INET6. */
    public static int familyOf(InetAddress address) {
        return address instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    private static byte[] addressMessage(int type, int flags, int sequence, int interfaceIndex, InetAddress address,
                                         int prefixLength, String label, int ifaFlags) {
        Objects.requireNonNull(address, "address");
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface index must be positive, was " + interfaceIndex);
        }
        int maxPrefix = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maxPrefix) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress()
                    + " must be 0.." + maxPrefix + ", was " + prefixLength);
        }
        if (label != null && (label.isEmpty() || label.length() > MAX_LABEL_LENGTH)) {
            throw new IllegalArgumentException("label must be 1.." + MAX_LABEL_LENGTH + " characters, was \"" + label + "\"");
        }
        byte[] raw = address.getAddress();
        NetlinkWriter w = new NetlinkWriter(type, flags, sequence)
                .u8(familyOf(address)).u8(prefixLength).u8(ifaFlags & 0xff).u8(RT_SCOPE_UNIVERSE).u32(interfaceIndex)
                // As iproute2: IFA_LOCAL is the address, IFA_ADDRESS the same (no point-to-point peer).
                .attribute(IFA_LOCAL, raw)
                .attribute(IFA_ADDRESS, raw);
        if (label != null) {
            w.attributeString(IFA_LABEL, label);
        }
        if ((ifaFlags & ~0xff) != 0) {
            w.attributeU32(IFA_FLAGS, ifaFlags);
        }
        return w.toByteArray();
    }

    private static void checkFamily(int family) {
        if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("family must be AF_UNSPEC (0), AF_INET (2) or AF_INET6 (10), was " + family);
        }
    }
}
