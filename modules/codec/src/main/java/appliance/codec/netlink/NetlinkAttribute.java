package appliance.codec.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink attribute (struct nlattr / rtattr): its type, without the NLA_F_NESTED and
 * NLA_F_NET_BYTEORDER bits, and its value. Values are in the host's byte order unless the
 * attribute says otherwise (ports are big-endian: {@link #be16()}).
 */
public record NetlinkAttribute(int type, byte[] value) {

    /** nla_type carries two flag bits above the type (NLA_F_NESTED, NLA_F_NET_BYTEORDER). */
    private static final int NLA_TYPE_MASK = 0x3fff;

    /** The attributes in {@code len} bytes from {@code off}, each padded to 4 bytes (the last one may not be). */
    public static List<NetlinkAttribute> parse(byte[] buf, int off, int len) throws NetlinkDecodeException {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        int end = off + len;
        int pos = off;
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
            attributes.add(new NetlinkAttribute(type, value));
            pos = Math.min(end, pos + NetlinkWriter.align(length));
        }
        return attributes;
    }

    /** The last attribute of {@code type} in {@code attributes}, or null. */
    public static NetlinkAttribute find(List<NetlinkAttribute> attributes, int type) {
        NetlinkAttribute found = null;
        for (NetlinkAttribute a : attributes) {
            if (a.type == type) {
                found = a;
            }
        }
        return found;
    }

    public int u8() throws NetlinkDecodeException {
        need(1);
        return Byte.toUnsignedInt(value[0]);
    }

    public int u16() throws NetlinkDecodeException {
        need(2);
        return Short.toUnsignedInt(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort());
    }

    /** A 16-bit value in network byte order, as IPVS's ports. */
    public int be16() throws NetlinkDecodeException {
        need(2);
        return Short.toUnsignedInt(ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN).getShort());
    }

    public int u32() throws NetlinkDecodeException {
        need(4);
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    public long u64() throws NetlinkDecodeException {
        need(8);
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    /** The attributes nested inside this one (IFLA_LINKINFO, IPVS_CMD_ATTR_SERVICE ...). */
    public List<NetlinkAttribute> nested() throws NetlinkDecodeException {
        return parse(value, 0, value.length);
    }

    /**
     * An address of the route's family: exactly 4 bytes for IPv4, 16 for IPv6 (always an
     * Inet6Address, also for ::ffff:a.b.c.d); null for a family whose addresses are not read.
     */
    public InetAddress address(int family) throws NetlinkDecodeException, UnknownHostException {
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
    public String string() {
        int n = 0;
        while (n < value.length && value[n] != 0) {
            n++;
        }
        return new String(value, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetlinkAttribute a && type == a.type && java.util.Arrays.equals(value, a.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "NetlinkAttribute[type=" + type + ", value=" + java.util.HexFormat.of().formatHex(value) + "]";
    }

    private void need(int bytes) throws NetlinkDecodeException {
        if (value.length < bytes) {
            throw new NetlinkDecodeException("attribute " + type + " needs " + bytes + " bytes, has " + value.length);
        }
    }
}
