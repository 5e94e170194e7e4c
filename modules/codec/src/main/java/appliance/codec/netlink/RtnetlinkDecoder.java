package appliance.codec.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Splits a datagram into messages and decodes the ones {@link Rtnetlink} knows. */
final class RtnetlinkDecoder {

    /** rta_type carries two flag bits above the type (NLA_F_NESTED, NLA_F_NET_BYTEORDER). */
    private static final int NLA_TYPE_MASK = 0x3fff;

    /** struct rtnexthop before its attributes: rtnh_len, rtnh_flags, rtnh_hops, rtnh_ifindex. */
    private static final int RTNEXTHOP_SIZE = 8;

    private RtnetlinkDecoder() {
    }

    static List<NetlinkMessage> decode(byte[] buf, int off, int len) throws NetlinkDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ByteBuffer in = ByteBuffer.wrap(buf, off, len).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (end - pos < NetlinkHeader.SIZE) {
                throw new NetlinkDecodeException("truncated header: " + (end - pos) + " bytes at offset " + (pos - off));
            }
            in.position(pos);
            long length = Integer.toUnsignedLong(in.getInt(pos));
            if (length < NetlinkHeader.SIZE || length > end - pos) {
                throw new NetlinkDecodeException("message length " + length + " at offset " + (pos - off)
                        + " does not fit the " + (end - pos) + " bytes left");
            }
            NetlinkHeader header = NetlinkHeader.read(in);
            int payload = pos + NetlinkHeader.SIZE;
            int payloadLength = (int) length - NetlinkHeader.SIZE;
            try {
                messages.add(decodeOne(header, buf, payload, payloadLength));
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new NetlinkDecodeException("invalid message at offset " + (pos - off) + ": " + e.getMessage(), e);
            }
            // The last message of a datagram may lack its trailing padding.
            pos = (int) Math.min(end, pos + NetlinkWriter.align((int) length));
        }
        return messages;
    }

    private static NetlinkMessage decodeOne(NetlinkHeader header, byte[] buf, int off, int len)
            throws NetlinkDecodeException, UnknownHostException {
        ByteBuffer in = ByteBuffer.wrap(buf, off, len).order(ByteOrder.nativeOrder());
        switch (header.type()) {
            case NetlinkHeader.NLMSG_ERROR:
                return error(header, in);
            case NetlinkHeader.NLMSG_DONE:
                return new NetlinkDone(header, len >= 4 ? in.getInt() : 0);
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

    private static NetlinkMessage error(NetlinkHeader header, ByteBuffer in) throws NetlinkDecodeException {
        if (in.remaining() < 4) {
            throw new NetlinkDecodeException("NLMSG_ERROR without its error code");
        }
        int error = in.getInt();
        if (error > 0) {
            throw new NetlinkDecodeException("NLMSG_ERROR with positive error " + error);
        }
        NetlinkHeader request = null;
        if (in.remaining() >= NetlinkHeader.SIZE && Integer.toUnsignedLong(in.getInt(in.position())) >= NetlinkHeader.SIZE) {
            request = NetlinkHeader.read(in);
        }
        return error == 0 ? new NetlinkAck(header, request) : new NetlinkError(header, -error, request);
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
        for (Attribute a : attributes(in, end)) {
            switch (a.type) {
                case Rtnetlink.IFA_ADDRESS -> address = InetAddress.getByAddress(a.value);
                case Rtnetlink.IFA_LOCAL -> local = InetAddress.getByAddress(a.value);
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
        for (Attribute a : attributes(in, end)) {
            switch (a.type) {
                case Rtnetlink.IFLA_IFNAME -> name = a.string();
                case Rtnetlink.IFLA_ADDRESS -> hardwareAddress = a.value;
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
    private static String kind(Attribute linkInfo) throws NetlinkDecodeException {
        String kind = null;
        for (Attribute a : linkInfo.nested()) {
            if (a.type == Rtnetlink.IFLA_INFO_KIND) {
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
        for (Attribute a : attributes(in, end)) {
            switch (a.type) {
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
    private static List<NextHop> nextHops(Attribute multipath, int family)
            throws NetlinkDecodeException, UnknownHostException {
        ByteBuffer in = ByteBuffer.wrap(multipath.value).order(ByteOrder.nativeOrder());
        List<NextHop> hops = new ArrayList<>();
        int end = multipath.value.length;
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
            for (Attribute a : attributes(in, pos + length)) {
                if (a.type == Rtnetlink.RTA_GATEWAY) {
                    gateway = a.address(family);
                }
            }
            hops.add(new NextHop(gateway, interfaceIndex, hopsMinusOne + 1));
            pos = Math.min(end, pos + NetlinkWriter.align(length));
        }
        return hops;
    }

    /** The attributes from the buffer's position up to {@code end} (an absolute index). */
    private static List<Attribute> attributes(ByteBuffer in, int end) throws NetlinkDecodeException {
        List<Attribute> attributes = new ArrayList<>();
        int pos = in.position();
        while (pos < end) {
            if (end - pos < NetlinkWriter.ATTRIBUTE_HEADER) {
                throw new NetlinkDecodeException("truncated attribute header: " + (end - pos) + " bytes");
            }
            int length = Short.toUnsignedInt(in.getShort(pos));
            int type = Short.toUnsignedInt(in.getShort(pos + 2)) & NLA_TYPE_MASK;
            if (length < NetlinkWriter.ATTRIBUTE_HEADER || length > end - pos) {
                throw new NetlinkDecodeException("attribute " + type + " length " + length
                        + " does not fit the " + (end - pos) + " bytes left");
            }
            byte[] value = new byte[length - NetlinkWriter.ATTRIBUTE_HEADER];
            in.get(pos + NetlinkWriter.ATTRIBUTE_HEADER, value);
            attributes.add(new Attribute(type, value));
            pos = Math.min(end, pos + NetlinkWriter.align(length));
        }
        return attributes;
    }

    private record Attribute(int type, byte[] value) {

        int u8() throws NetlinkDecodeException {
            need(1);
            return Byte.toUnsignedInt(value[0]);
        }

        int u32() throws NetlinkDecodeException {
            need(4);
            return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
        }

        /** The attributes nested inside this one (IFLA_LINKINFO, IFLA_INFO_DATA ...). */
        List<Attribute> nested() throws NetlinkDecodeException {
            return attributes(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()), value.length);
        }

        /**
         * An address of the route's family: exactly 4 bytes for IPv4, 16 for IPv6 (always an
         * Inet6Address, also for ::ffff:a.b.c.d); null for a family whose addresses are not read.
         */
        InetAddress address(int family) throws NetlinkDecodeException, UnknownHostException {
            int length = RouteMessage.addressLength(family);
            if (length == 0) {
                return null;
            }
            if (value.length != length) {
                throw new NetlinkDecodeException("attribute " + type + " of family " + family + " needs a "
                        + length + "-byte address, has " + value.length + " bytes");
            }
            return length == 4 ? InetAddress.getByAddress(value) : Inet6Address.getByAddress(null, value, -1);
        }

        /** Up to the first NUL: the kernel NUL-terminates strings inside the attribute. */
        String string() {
            int n = 0;
            while (n < value.length && value[n] != 0) {
                n++;
            }
            return new String(value, 0, n, StandardCharsets.UTF_8);
        }

        private void need(int bytes) throws NetlinkDecodeException {
            if (value.length < bytes) {
                throw new NetlinkDecodeException("attribute " + type + " needs " + bytes + " bytes, has " + value.length);
            }
        }
    }
}
