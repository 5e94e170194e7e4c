package appliance.codec.icmp;

import appliance.codec.ip.InternetChecksum;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An ICMP echo request or reply (RFC 792: types 8 and 0) or ICMPv6 echo (RFC 4443 §4: types 128
 * and 129): identifier, sequence number and data. Encoded without the IP header, as a ping or raw
 * ICMP socket sends it. An ICMP message carries its checksum over the message; an ICMPv6 one over
 * a pseudo-header the kernel knows and we do not (the source address), so the kernel fills and
 * checks it, and it is left 0 here.
 */
public record IcmpEcho(boolean ipv6, boolean reply, int identifier, int sequence, byte[] data) {

    public static final int HEADER_LENGTH = 8;
    static final int ECHO_REPLY = 0;
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;

    public IcmpEcho {
        Objects.requireNonNull(data, "data");
        if (identifier < 0 || identifier > 0xffff || sequence < 0 || sequence > 0xffff) {
            throw new IllegalArgumentException("identifier and sequence are 16 bits: " + identifier + ", " + sequence);
        }
        if (data.length > 65507 - HEADER_LENGTH) {
            throw new IllegalArgumentException("echo data of " + data.length + " bytes does not fit a datagram");
        }
        data = data.clone();
    }

    public static IcmpEcho request(boolean ipv6, int identifier, int sequence, byte[] data) {
        return new IcmpEcho(ipv6, false, identifier, sequence, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int type() {
        return ipv6 ? (reply ? ECHO_REPLY_V6 : ECHO_REQUEST_V6) : (reply ? ECHO_REPLY : ECHO_REQUEST);
    }

    public byte[] encode() {
        byte[] b = new byte[HEADER_LENGTH + data.length];
        b[0] = (byte) type();
        b[4] = (byte) (identifier >> 8);
        b[5] = (byte) identifier;
        b[6] = (byte) (sequence >> 8);
        b[7] = (byte) sequence;
        System.arraycopy(data, 0, b, HEADER_LENGTH, data.length);
        if (!ipv6) {
            int sum = InternetChecksum.compute(b, 0, b.length);
            b[2] = (byte) (sum >> 8);
            b[3] = (byte) sum;
        }
        return b;
    }

    /**
     * An echo message of {@code ipv6}'s family from {@code buf[off, off + len)}, the ICMP message
     * without its IP header.
     *
     * @throws IcmpDecodeException when it is shorter than the header, not an echo request or
     *         reply, has a code other than 0, or (ICMP) a wrong checksum
     */
    public static IcmpEcho decode(boolean ipv6, byte[] buf, int off, int len) throws IcmpDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER_LENGTH) {
            throw new IcmpDecodeException("ICMP message of " + len + " bytes is shorter than an echo header ("
                    + HEADER_LENGTH + ")");
        }
        int type = buf[off] & 0xff;
        boolean reply;
        if (type == (ipv6 ? ECHO_REPLY_V6 : ECHO_REPLY)) {
            reply = true;
        } else if (type == (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST)) {
            reply = false;
        } else {
            throw new IcmpDecodeException("ICMP" + (ipv6 ? "v6" : "") + " type " + type + " is not an echo");
        }
        if (buf[off + 1] != 0) {
            throw new IcmpDecodeException("echo code " + (buf[off + 1] & 0xff) + " is not 0");
        }
        if (!ipv6 && InternetChecksum.compute(buf, off, len) != 0) {
            throw new IcmpDecodeException("ICMP checksum is wrong");
        }
        int identifier = (buf[off + 4] & 0xff) << 8 | buf[off + 5] & 0xff;
        int sequence = (buf[off + 6] & 0xff) << 8 | buf[off + 7] & 0xff;
        return new IcmpEcho(ipv6, reply, identifier, sequence, Arrays.copyOfRange(buf, off + HEADER_LENGTH, off + len));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && e.ipv6 == ipv6 && e.reply == reply && e.identifier == identifier
                && e.sequence == sequence && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipv6, reply, identifier, sequence, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "IcmpEcho[" + (ipv6 ? "v6 " : "") + (reply ? "reply" : "request") + " id=" + identifier + " seq="
                + sequence + " data=" + HexFormat.of().formatHex(data) + "]";
    }
}
