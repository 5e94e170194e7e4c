package appliance.codec.netlink;

import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a netlink datagram into its messages, whatever the protocol: NLMSG_ERROR (an ack or an
 * error) and NLMSG_DONE are decoded here, every other message by the protocol's {@link Body}.
 */
final class NetlinkDatagram {

    /** A protocol's own messages (rtnetlink's, generic netlink's). */
    interface Body {
        NetlinkMessage decode(NetlinkHeader header, byte[] buf, int off, int len)
                throws NetlinkDecodeException, UnknownHostException;
    }

    private NetlinkDatagram() {
    }

    static List<NetlinkMessage> split(byte[] buf, int off, int len, Body body) throws NetlinkDecodeException {
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
                ByteBuffer p = ByteBuffer.wrap(buf, payload, payloadLength).order(ByteOrder.nativeOrder());
                messages.add(switch (header.type()) {
                    case NetlinkHeader.NLMSG_ERROR -> error(header, p);
                    case NetlinkHeader.NLMSG_DONE -> new NetlinkDone(header, payloadLength >= 4 ? p.getInt() : 0);
                    default -> body.decode(header, buf, payload, payloadLength);
                });
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new NetlinkDecodeException("invalid message at offset " + (pos - off) + ": " + e.getMessage(), e);
            }
            // The last message of a datagram may lack its trailing padding.
            pos = (int) Math.min(end, pos + NetlinkWriter.align((int) length));
        }
        return messages;
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
}
