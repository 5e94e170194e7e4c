package appliance.codec.netlink;

import java.nio.ByteBuffer;

/**
 * The header in front of every netlink message, in host byte order (netlink(7)).
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      length (u32, whole message)              |  0
 * +---------------+---------------+---------------+---------------+
 * |          type (u16)           |          flags (u16)          |  4
 * +---------------+---------------+---------------+---------------+
 * |                      sequence number (u32)                    |  8
 * +---------------+---------------+---------------+---------------+
 * |                 port id of the sender (u32, 0 = kernel)       | 12
 * +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * @param length   bytes of header and payload, without the padding up to the next message
 * @param portId   the sending socket's port; 0 for messages from the kernel
 */
public record NetlinkHeader(int length, int type, int flags, int sequence, int portId) {

    /** Size of the header; also the smallest valid {@link #length()}. */
    public static final int SIZE = 16;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    /** Part of a multipart reply (a dump), ended by NLMSG_DONE. */
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    /** The dump was interrupted by a change and may be inconsistent. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;

    public NetlinkHeader {
        if (length < SIZE) {
            throw new IllegalArgumentException("length must be at least " + SIZE + ", was " + Integer.toUnsignedString(length));
        }
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("type must be 0..65535, was " + type);
        }
        if (flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("flags must be 0..65535, was " + flags);
        }
    }

    /** Whether every bit of {@code flag} is set. */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /** Reads a header at the buffer's position, which advances by {@link #SIZE}. */
    static NetlinkHeader read(ByteBuffer in) {
        int length = in.getInt();
        int type = Short.toUnsignedInt(in.getShort());
        int flags = Short.toUnsignedInt(in.getShort());
        int sequence = in.getInt();
        int portId = in.getInt();
        return new NetlinkHeader(length, type, flags, sequence, portId);
    }
}
