package appliance.codec.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits a datagram into messages and decodes the ones {@link Rtnetlink} knows. */
final class RtnetlinkDecoder {


    /** struct rtnexthop before its attributes: rtnh_len, rtnh_flags, rtnh_hops, rtnh_ifindex. */
    private static final int RTNEXTHOP_SIZE = 8;

    private RtnetlinkDecoder() {
    }

    static List<NetlinkMessage> decode(byte[] buf, int off, int len) throws NetlinkDecodeException {
        return NetlinkDatagram.split(buf, off, len, RtnetlinkDecoder::decodeOne);
    }

    /** A message other than NLMSG_ERROR and NLMSG_DONE, which {@link NetlinkDatagram} decodes. */
    private static NetlinkMessage decodeOne(NetlinkHeader header, byte[] buf, int off, int len)
            throws NetlinkDecodeException, UnknownHostException {
        ByteBuffer in = ByteBuffer.wrap(buf, off, len).order(ByteOrder.nativeOrder());
        switch (header.type()) {
            case Rtnetlink.RTM_NEWADDR:
            case Rtnetlink.RTM_DELADDR:
                return ifAddr(header, in, off + len);
            case Rtnetlink.RTM_NEWLINK:
            case Rtnetlink.RTM_DELLINK:
                return ifInfo(header, in, off + len);
            case Rtnetlink.RTM_NEWROUTE:
            case Rtnetlink.RTM_DELROUTE:
                return route(header, in, off + len);
            default:
                return new UnknownMessage(header, Arrays.copyOfRange(buf, off, off + len));
        }
    }

    private static IfAddrMessage ifAddr(NetlinkHeader header, ByteBuffer in, int end)
            throws NetlinkDecodeException, UnknownHostException {
        if (in.remaining() < IfAddrMessage.SIZE) {
            throw new NetlinkDecodeException("ifaddrmsg needs " + IfAddrMessage.SIZE + " bytes, has " + in.remaining());
        }
        int family = Byte.toUnsignedInt(in.get());
        int prefixLength = Byte.toUnsignedInt(in.get());
        int flags = Byte.toUnsignedInt(in.get());
        int scope = Byte.toUnsignedInt(in.get());
        int index = in.getInt();
        InetAddress address = null;
        InetAddress local = null;
        String label = null;
        for (NetlinkAttribute a : attributes(in, end)) {
            switch (a.type()) {
                case Rtnetlink.IFA_ADDRESS -> address = InetAddress.getByAddress(a.value());
                case Rtnetlink.IFA_LOCAL -> local = InetAddress.getByAddress(a.value());
                case Rtnetlink.IFA_LABEL -> label = a.string();
                case Rtnetlink.IFA_FLAGS -> flags = a.u32();
                default -> { }
            }
        }
        return new IfAddrMessage(header, family, prefixLength, flags, scope, index, address, local, label);
    }

    private static IfInfoMessage ifInfo(NetlinkHeader header, ByteBuffer in, int end) throws NetlinkDecodeException {
        if (in.remaining() < IfInfoMessage.SIZE) {
            throw new NetlinkDecodeException("ifinfomsg needs " + IfInfoMessage.SIZE + " bytes, has " + in.remaining());
        }
        in.get(); // family
        in.get(); // padding
        int type = Short.toUnsignedInt(in.getShort());
        int index = in.getInt();
        int flags = in.getInt();
        in.getInt(); // change mask: only meaningful in requests
        String name = null;
        byte[] hardwareAddress = null;
        int mtu = 0;
        int operState = IfInfoMessage.IF_OPER_UNKNOWN;
        int link = 0;
        String kind = null;
        for (NetlinkAttribute a : attributes(in, end)) {
            switch (a.type()) {
                case Rtnetlink.IFLA_IFNAME -> name = a.string();
                case Rtnetlink.IFLA_ADDRESS -> hardwareAddress = a.value();
                case Rtnetlink.IFLA_MTU -> mtu = a.u32();
                case Rtnetlink.IFLA_LINK -> link = a.u32();
                case Rtnetlink.IFLA_OPERSTATE -> operState = a.u8();
                case Rtnetlink.IFLA_LINKINFO -> kind = kind(a);
                default -> { }
            }
        }
        return new IfInfoMessage(header, index, type, flags, name, hardwareAddress, mtu, operState, link, kind);
    }

    /** IFLA_INFO_KIND inside IFLA_LINKINFO, or null when the nest has none. */
    private static String kind(NetlinkAttribute linkInfo) throws NetlinkDecodeException {
        String kind = null;
        for (NetlinkAttribute a : linkInfo.nested()) {
            if (a.type() == Rtnetlink.IFLA_INFO_KIND) {
                kind = a.string();
            }
        }
        return kind;
    }

    private static RouteMessage route(NetlinkHeader header, ByteBuffer in, int end)
            throws NetlinkDecodeException, UnknownHostException {
        if (in.remaining() < RouteMessage.SIZE) {
            throw new NetlinkDecodeException("rtmsg needs " + RouteMessage.SIZE + " bytes, has " + in.remaining());
        }
        int family = Byte.toUnsignedInt(in.get());
        int destinationLength = Byte.toUnsignedInt(in.get());
        int sourceLength = Byte.toUnsignedInt(in.get());
        int tos = Byte.toUnsignedInt(in.get());
        int table = Byte.toUnsignedInt(in.get());
        int protocol = Byte.toUnsignedInt(in.get());
        int scope = Byte.toUnsignedInt(in.get());
        int type = Byte.toUnsignedInt(in.get());
        int flags = in.getInt();
        InetAddress destination = null;
        InetAddress gateway = null;
        InetAddress preferredSource = null;
        int outputInterface = 0;
        long priority = 0;
        List<NextHop> nextHops = List.of();
        for (NetlinkAttribute a : attributes(in, end)) {
            switch (a.type()) {
                case Rtnetlink.RTA_TABLE -> table = a.u32();
                case Rtnetlink.RTA_DST -> destination = a.address(family);
                case Rtnetlink.RTA_GATEWAY -> gateway = a.address(family);
                case Rtnetlink.RTA_PREFSRC -> preferredSource = a.address(family);
                case Rtnetlink.RTA_OIF -> outputInterface = a.u32();
                case Rtnetlink.RTA_PRIORITY -> priority = Integer.toUnsignedLong(a.u32());
                case Rtnetlink.RTA_MULTIPATH -> nextHops = nextHops(a, family);
                default -> { }
            }
        }
        return new RouteMessage(header, family, destinationLength, sourceLength, tos, table, protocol, scope, type,
                flags, destination, gateway, outputInterface, preferredSource, priority, nextHops);
    }

    /**
     * RTA_MULTIPATH: struct rtnexthop after struct rtnexthop, each rtnh_len long (its own 8
     * bytes and its attributes) and padded to 4 (RTNH_ALIGN).
     */
    private static List<NextHop> nextHops(NetlinkAttribute multipath, int family)
            throws NetlinkDecodeException, UnknownHostException {
        ByteBuffer in = ByteBuffer.wrap(multipath.value()).order(ByteOrder.nativeOrder());
        List<NextHop> hops = new ArrayList<>();
        int end = multipath.value().length;
        int pos = 0;
        while (pos < end) {
            if (end - pos < RTNEXTHOP_SIZE) {
                throw new NetlinkDecodeException("truncated rtnexthop: " + (end - pos) + " bytes");
            }
            int length = Short.toUnsignedInt(in.getShort(pos));
            if (length < RTNEXTHOP_SIZE || length > end - pos) {
                throw new NetlinkDecodeException("rtnexthop length " + length + " does not fit the "
                        + (end - pos) + " bytes left");
            }
            int hopsMinusOne = Byte.toUnsignedInt(in.get(pos + 3));
            int interfaceIndex = in.getInt(pos + 4);
            InetAddress gateway = null;
            in.position(pos + RTNEXTHOP_SIZE);
            for (NetlinkAttribute a : attributes(in, pos + length)) {
                if (a.type() == Rtnetlink.RTA_GATEWAY) {
                    gateway = a.address(family);
                }
            }
            hops.add(new NextHop(gateway, interfaceIndex, hopsMinusOne + 1));
            pos = Math.min(end, pos + NetlinkWriter.align(length));
        }
        return hops;
    }

    /** The attributes from the buffer's position up to {@code end} (an absolute index). */

    private static List<NetlinkAttribute> attributes(ByteBuffer in, int end) throws NetlinkDecodeException {
        return NetlinkAttribute.parse(in.array(), in.position(), end - in.position());
    }
}
