package appliance.codec.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The rtnetlink requests the appliance sends and the decoder of the kernel's replies. Each
 * encoder returns one complete message, ready for sendto:
 * <ul>
 *   <li>addresses, as keepalived's {@code netlink_ipaddress()} and {@code ip addr}: newAddress,
 *       deleteAddress, dumpAddresses;
 *   <li>routes, as keepalived's {@code netlink_route()} and {@code ip route}: newRoute,
 *       deleteRoute, dumpRoutes (see {@link RouteSpec});
 *   <li>links, as keepalived's VMAC code ({@code vrrp_vmac.c}) and {@code ip link}: newMacvlan,
 *       setAddrGenMode, setLinkUp, deleteLink, dumpLinks.
 * </ul>
 */
public final class Rtnetlink {

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    /** The interface below (a macvlan's or VLAN's base), or a veth's peer. */
    public static final int IFLA_LINK = 5;
    public static final int IFLA_OPERSTATE = 16;
    /** Nested: IFLA_INFO_KIND and IFLA_INFO_DATA. */
    public static final int IFLA_LINKINFO = 18;
    /** Nested: one nest per address family (AF_INET6: IFLA_INET6_*). */
    public static final int IFLA_AF_SPEC = 26;
    /** Inside IFLA_LINKINFO: the link type, e.g. "macvlan", "veth", "bridge". */
    public static final int IFLA_INFO_KIND = 1;
    /** Inside IFLA_LINKINFO: the kind's own attributes, e.g. IFLA_MACVLAN_MODE. */
    public static final int IFLA_INFO_DATA = 2;
    /** Inside IFLA_INFO_DATA of a macvlan: a MACVLAN_MODE_* (u32). */
    public static final int IFLA_MACVLAN_MODE = 1;
    /** Inside IFLA_AF_SPEC's AF_INET6 nest: an IN6_ADDR_GEN_MODE_* (u8). */
    public static final int IFLA_INET6_ADDR_GEN_MODE = 8;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;

    /** A macvlan that talks to no other macvlan on its base: keepalived's VMAC mode. */
    public static final int MACVLAN_MODE_PRIVATE = 1;
    public static final int MACVLAN_MODE_VEPA = 2;
    public static final int MACVLAN_MODE_BRIDGE = 4;
    public static final int MACVLAN_MODE_PASSTHRU = 8;
    public static final int MACVLAN_MODE_SOURCE = 16;

    /** IPv6 link-local address from the MAC (modified EUI-64): the kernel's default. */
    public static final int IN6_ADDR_GEN_MODE_EUI64 = 0;
    /** No automatic IPv6 link-local address: what keepalived sets on a VMAC. */
    public static final int IN6_ADDR_GEN_MODE_NONE = 1;
    public static final int IN6_ADDR_GEN_MODE_STABLE_PRIVACY = 2;
    public static final int IN6_ADDR_GEN_MODE_RANDOM = 3;

    /** rtnetlink multicast group of link changes (RTMGRP_LINK, a bit mask for sockaddr_nl.nl_groups). */
    public static final int RTMGRP_LINK = 0x1;
    /** rtnetlink multicast group of IPv4 address changes (RTMGRP_IPV4_IFADDR). */
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** rtnetlink multicast group of IPv6 address changes (RTMGRP_IPV6_IFADDR). */
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
    /** rtnetlink multicast groups of route changes (RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_ROUTE). */
    public static final int RTMGRP_IPV4_ROUTE = 0x40;
    public static final int RTMGRP_IPV6_ROUTE = 0x400;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_SITE = 200;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    /** In a delete request: any scope. */
    public static final int RT_SCOPE_NOWHERE = 255;

    /** IFNAMSIZ - 1: the longest interface name or IPv4 label. */
    public static final int MAX_LABEL_LENGTH = 15;

    private Rtnetlink() {
    }

    /**
     * RTM_NEWADDR with NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL: adding an address
     * that is already there fails with EEXIST instead of silently succeeding. With
     * {@link AddressOptions#DEFAULT}: an IPv6 address skips duplicate address detection.
     */
    public static byte[] newAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength) {
        return newAddress(sequence, interfaceIndex, address, prefixLength, AddressOptions.DEFAULT);
    }

    /**
     * As {@link #newAddress(int, int, InetAddress, int)}, with an IPv4 label such as "eth0:vip"
     * (ignored by the kernel for IPv6; null for none).
     */
    public static byte[] newAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength,
                                    String label) {
        return newAddress(sequence, interfaceIndex, address, prefixLength, AddressOptions.DEFAULT.withLabel(label));
    }

    /**
     * As {@link #newAddress(int, int, InetAddress, int)}, with keepalived's {@code virtual_ipaddress}
     * options ({@code label}, {@code scope}, {@code brd}, and {@code nodad} for IPv6); null means
     * {@link AddressOptions#DEFAULT}. The layout is the other overloads' (IFA_LOCAL, IFA_ADDRESS,
     * then IFA_BROADCAST, IFA_LABEL), which {@code ip addr add} orders differently (IFA_ADDRESS
     * last); the kernel reads attributes by type, not by position.
     *
     * @throws IllegalArgumentException also when a broadcast address is given for an IPv6 address
     */
    public static byte[] newAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength,
                                    AddressOptions options) {
        AddressOptions o = options == null ? AddressOptions.DEFAULT : options;
        Objects.requireNonNull(address, "address");
        if (o.broadcast() != null && !(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("a broadcast address (" + o.broadcast().getHostAddress()
                    + ") is IPv4 only, the address is " + address.getHostAddress());
        }
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK
                | NetlinkHeader.NLM_F_CREATE | NetlinkHeader.NLM_F_EXCL;
        // As keepalived, IPv6 virtual addresses skip duplicate address detection by default: the
        // address moves between routers and must be usable at once, not tentative for a second.
        int ifaFlags = address instanceof Inet6Address && o.noDad() ? IfAddrMessage.IFA_F_NODAD : 0;
        return addressMessage(RTM_NEWADDR, flags, sequence, interfaceIndex, address, prefixLength, o.label(),
                o.scope(), o.broadcast(), ifaFlags);
    }

    /** RTM_DELADDR with NLM_F_REQUEST | NLM_F_ACK; the kernel answers EADDRNOTAVAIL when it is absent. */
    public static byte[] deleteAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength) {
        return deleteAddress(sequence, interfaceIndex, address, prefixLength, null);
    }

    /**
     * As {@link #deleteAddress(int, int, InetAddress, int)}, for an address added with
     * {@code options}. The kernel finds an address by IFA_LOCAL, prefix length and IFA_ADDRESS
     * (IPv6: address and prefix length), never by scope, broadcast or flags, so those are not
     * sent; the label is, as {@code ip addr del ... label L} does, and then an IPv4 address is
     * deleted only if it carries that label. The shorter overload deletes it either way.
     */
    public static byte[] deleteAddress(int sequence, int interfaceIndex, InetAddress address, int prefixLength,
                                       AddressOptions options) {
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        String label = options == null ? null : options.label();
        return addressMessage(RTM_DELADDR, flags, sequence, interfaceIndex, address, prefixLength, label,
                RT_SCOPE_UNIVERSE, null, 0);
    }

    /** RTM_GETADDR dump of every address of {@code family} (AF_UNSPEC for both). */
    public static byte[] dumpAddresses(int sequence, int family) {
        checkFamily(family);
        return new NetlinkWriter(RTM_GETADDR, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, sequence)
                .u8(family).u8(0).u8(0).u8(0).u32(0)
                .toByteArray();
    }

    /**
     * RTM_NEWROUTE with NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, as
     * {@code ip route add}: a route with the same destination, tos, metric and table already there
     * fails with EEXIST. (keepalived sets NLM_F_EXCL only for a route configured with its
     * {@code add} keyword; by default it leaves it out, which makes its adds {@code ip route prepend}.)
     */
    public static byte[] newRoute(int sequence, RouteSpec route) {
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK
                | NetlinkHeader.NLM_F_CREATE | NetlinkHeader.NLM_F_EXCL;
        return RouteRequests.route(RTM_NEWROUTE, flags, sequence, route, route.scope());
    }

    /**
     * RTM_DELROUTE with NLM_F_REQUEST | NLM_F_ACK. It carries what the kernel matches a route by
     * (fib_table_delete() for IPv4, ip6_route_del() for IPv6): destination and prefix length,
     * table, type, protocol, and where given the gateway, interface, preferred source and metric
     * (each left out or 0 matches any), the next hops of a multipath route. The scope of an IPv4
     * delete is RT_SCOPE_NOWHERE, which matches any, as {@code ip route del} and keepalived send;
     * IPv6 routes have no scope and iproute2 writes universe there. The kernel answers ESRCH when
     * no route matches. A metric of 0 deletes the first matching route of any metric, as
     * {@code ip route del} without {@code metric}.
     */
    public static byte[] deleteRoute(int sequence, RouteSpec route) {
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        int scope = route.destination() instanceof Inet4Address ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
        return RouteRequests.route(RTM_DELROUTE, flags, sequence, route, scope);
    }

    /** RTM_GETROUTE dump of every route of {@code family} (AF_UNSPEC for all), in every table. */
    public static byte[] dumpRoutes(int sequence, int family) {
        checkFamily(family);
        return new NetlinkWriter(RTM_GETROUTE, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, sequence)
                .u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
                .toByteArray();
    }

    /**
     * RTM_NEWLINK with NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL creating a macvlan
     * on {@code baseIndex} with the hardware address {@code mac}: keepalived's VMAC (use_vmac),
     * named e.g. "vrrp.51" with 00:00:5e:00:01:VRID (00:00:5e:00:02:VRID for IPv6, RFC 5798
     * section 7.3) in {@link #MACVLAN_MODE_PRIVATE}, the only mode keepalived creates (a private
     * macvlan receives the frames addressed to its own MAC, and never another macvlan's). The link
     * is created down; keepalived then sets {@link #setAddrGenMode} before {@link #setLinkUp}.
     * EEXIST when the name is taken.
     */
    public static byte[] newMacvlan(int sequence, String name, int baseIndex, byte[] mac, int mode) {
        return LinkRequests.newMacvlan(sequence, name, baseIndex, mac, mode);
    }

    /**
     * RTM_NEWLINK with NLM_F_REQUEST | NLM_F_ACK changing only IFF_UP (ifi_change), as
     * {@code ip link set dev IF up} or {@code down}.
     */
    public static byte[] setLinkUp(int sequence, int index, boolean up) {
        return LinkRequests.setLinkUp(sequence, index, up);
    }

    /** RTM_DELLINK with NLM_F_REQUEST | NLM_F_ACK, as {@code ip link del dev IF}; ENODEV when it is gone. */
    public static byte[] deleteLink(int sequence, int index) {
        return LinkRequests.deleteLink(sequence, index);
    }

    /**
     * RTM_NEWLINK with NLM_F_REQUEST | NLM_F_ACK setting the IPv6 address generation mode
     * (IFLA_AF_SPEC / AF_INET6 / IFLA_INET6_ADDR_GEN_MODE), as
     * {@code ip link set dev IF addrgenmode none}. keepalived sets
     * {@link #IN6_ADDR_GEN_MODE_NONE} on a VMAC so that the kernel does not give it a link-local
     * address made from the VMAC's MAC (RFC 5798 section 7.4: the virtual MAC is not the router's
     * own), and adds the base interface's link-local address to it instead. It does so in a message
     * of its own after creating the link, because the kernel ignores IFLA_AF_SPEC when it creates
     * one, and before bringing the link up, because the address is made as the link comes up.
     */
    public static byte[] setAddrGenMode(int sequence, int index, int mode) {
        return LinkRequests.setAddrGenMode(sequence, index, mode);
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
                                         int prefixLength, String label, int scope, InetAddress broadcast,
                                         int ifaFlags) {
        Objects.requireNonNull(address, "address");
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface index must be positive, was " + interfaceIndex);
        }
        int maxPrefix = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maxPrefix) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress()
                    + " must be 0.." + maxPrefix + ", was " + prefixLength);
        }
        byte[] raw = address.getAddress();
        NetlinkWriter w = new NetlinkWriter(type, flags, sequence)
                .u8(familyOf(address)).u8(prefixLength).u8(ifaFlags & 0xff).u8(scope).u32(interfaceIndex)
                // As iproute2: IFA_LOCAL is the address, IFA_ADDRESS the same (no point-to-point peer).
                .attribute(IFA_LOCAL, raw)
                .attribute(IFA_ADDRESS, raw);
        if (broadcast != null) {
            w.attribute(IFA_BROADCAST, broadcast.getAddress());
        }
        if (label != null) {
            w.attributeString(IFA_LABEL, label);
        }
        if ((ifaFlags & ~0xff) != 0) {
            w.attributeU32(IFA_FLAGS, ifaFlags);
        }
        return w.toByteArray();
    }

    static void checkFamily(int family) {
        if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("family must be AF_UNSPEC (0), AF_INET (2) or AF_INET6 (10), was " + family);
        }
    }
}
