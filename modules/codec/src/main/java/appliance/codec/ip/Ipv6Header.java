package appliance.codec.ip;

import static appliance.codec.ip.IpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ip.IpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.ip.IpDecodeException.Reason.UNSUPPORTED_VERSION;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The fixed IPv6 header (RFC 8200 §3). Extension headers are not followed: {@link #nextHeader()}
 * is the first one, which for VRRP (RFC 5798 §5.1.2) is 112 itself.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Source Address (16)                       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination Address (16)                     | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Ipv6Header(int payloadLength, int nextHeader, int hopLimit,
                         Inet6Address source, Inet6Address destination) {

    public static final int VERSION = 6;
    public static final int HEADER_LENGTH = 40;

    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER = 6;
    private static final int HOP_LIMIT = 7;
    private static final int SOURCE = 8;
    private static final int DESTINATION = 24;

    public Ipv6Header {
        if (payloadLength < 0 || payloadLength > 0xffff) {
            throw new IllegalArgumentException("payload length must be 0..65535, was " + payloadLength);
        }
        if (nextHeader < 0 || nextHeader > 255) {
            throw new IllegalArgumentException("next header must be 0..255, was " + nextHeader);
        }
        if (hopLimit < 0 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit must be 0..255, was " + hopLimit);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** Always {@value #HEADER_LENGTH}: where the payload starts, named like {@link Ipv4Header#headerLength()}. */
    public int headerLength() {
        return HEADER_LENGTH;
    }

    /** Reads the header at {@code buf[off, off + len)}, where {@code len} may exceed header plus payload. */
    public static Ipv6Header decode(byte[] buf, int off, int len) throws IpDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER_LENGTH) {
            throw new IpDecodeException(TOO_SHORT, "IPv6 header needs " + HEADER_LENGTH + " bytes, got " + len);
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version != VERSION) {
            throw new IpDecodeException(UNSUPPORTED_VERSION, "IP version " + version + ", expected 6");
        }
        int payloadLength = ((buf[off + PAYLOAD_LENGTH] & 0xff) << 8) | (buf[off + PAYLOAD_LENGTH + 1] & 0xff);
        if (HEADER_LENGTH + payloadLength > len) {
            throw new IpDecodeException(LENGTH_MISMATCH, "payload length " + payloadLength + " exceeds the "
                    + (len - HEADER_LENGTH) + " bytes received after the header");
        }
        return new Ipv6Header(payloadLength, buf[off + NEXT_HEADER] & 0xff, buf[off + HOP_LIMIT] & 0xff,
                address(buf, off + SOURCE), address(buf, off + DESTINATION));
    }

    // Inet6Address.getByAddress, unlike InetAddress.getByAddress, keeps ::ffff:a.b.c.d an IPv6 address.
    private static Inet6Address address(byte[] buf, int at) {
        try {
            return Inet6Address.getByAddress(null, Arrays.copyOfRange(buf, at, at + 16), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }
}
