package appliance.codec.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: header, fixed struct, then attributes, each padded to 4 bytes
 * (NLMSG_ALIGN / RTA_ALIGN). Netlink speaks the host's byte order. Made by a protocol's request
 * builders ({@link Rtnetlink}, {@link GenericNetlink#request}).
 */
public final class NetlinkWriter {

    /** Attribute header: rta_len (u16), rta_type (u16). */
    static final int ATTRIBUTE_HEADER = 4;

    private ByteBuffer out = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());

    NetlinkWriter(int type, int flags, int sequence) {
        out.putInt(0); // length, filled in by toByteArray()
        out.putShort((short) type);
        out.putShort((short) flags);
        out.putInt(sequence);
        out.putInt(0); // port id: 0 lets the kernel fill in the sending socket's
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    public NetlinkWriter u8(int value) {
        ensure(1);
        out.put((byte) value);
        return this;
    }

    public NetlinkWriter u16(int value) {
        ensure(2);
        out.putShort((short) value);
        return this;
    }

    public NetlinkWriter u32(int value) {
        ensure(4);
        out.putInt(value);
        return this;
    }

    public NetlinkWriter attribute(int type, byte[] value) {
        int length = ATTRIBUTE_HEADER + value.length;
        ensure(align(length));
        out.putShort((short) length);
        out.putShort((short) type);
        out.put(value);
        pad();
        return this;
    }

    public NetlinkWriter attributeU32(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    public NetlinkWriter attributeU16(int type, int value) {
        return attribute(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    /** A 16-bit attribute in network byte order (IPVS's ports). */
    public NetlinkWriter attributeBe16(int type, int value) {
        return attribute(type, ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN).putShort((short) value).array());
    }

    /** A one-byte attribute (rta_len 5), padded to 8 bytes. */
    public NetlinkWriter attributeU8(int type, int value) {
        return attribute(type, new byte[] {(byte) value});
    }

    /** A NUL-terminated string attribute, as the kernel's NLA_STRING / NLA_NUL_STRING expect. */
    public NetlinkWriter attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return attribute(type, Arrays.copyOf(text, text.length + 1));
    }

    /**
     * Opens a nested attribute (IFLA_LINKINFO, RTA_MULTIPATH ...): its header now, its length
     * when {@link #end(int)} is given the returned offset. As iproute2 and keepalived, without
     * the NLA_F_NESTED bit.
     */
    public int begin(int type) {
        int start = out.position();
        ensure(ATTRIBUTE_HEADER);
        out.putShort((short) 0);
        out.putShort((short) type);
        return start;
    }

    /**
     * Closes what started at {@code start}: writes the bytes from there to here into the u16
     * length field at {@code start}. Also used for struct rtnexthop, whose rtnh_len sits there too.
     */
    public NetlinkWriter end(int start) {
        out.putShort(start, (short) (out.position() - start));
        return this;
    }

    /** The offset of the next byte, for a struct whose length is filled in by {@link #end(int)}. */
    int position() {
        return out.position();
    }

    public byte[] toByteArray() {
        pad();
        out.putInt(0, out.position());
        return Arrays.copyOf(out.array(), out.position());
    }

    private void pad() {
        int padding = align(out.position()) - out.position();
        ensure(padding);
        for (int i = 0; i < padding; i++) {
            out.put((byte) 0);
        }
    }

    private void ensure(int bytes) {
        if (out.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes))
                    .order(ByteOrder.nativeOrder());
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }
}
