package appliance.codec.ip;

import static appliance.codec.ip.IpDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.ip.IpDecodeException.Reason.INVALID_FIELD;
import static appliance.codec.ip.IpDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ip.IpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.ip.IpDecodeException.Reason.UNSUPPORTED_VERSION;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The IPv4 header fields a VRRP receiver needs (RFC 791 §3.1); options are skipped, not kept.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param headerLength bytes, IHL * 4: where the payload starts
 * @param totalLength  bytes of header and payload; the buffer may be longer (Ethernet padding)
 */
public record Ipv4Header(int headerLength, int totalLength, int ttl, int protocol,
                         Inet4Address source, Inet4Address destination) {

    public static final int VERSION = 4;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    private static final int VERSION_IHL = 0;
    private static final int TOTAL_LENGTH = 2;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    public Ipv4Header {
        if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || headerLength % 4 != 0) {
            throw new IllegalArgumentException("header length must be a multiple of 4 in 20..60, was " + headerLength);
        }
        if (totalLength < headerLength || totalLength > 0xffff) {
            throw new IllegalArgumentException(
                    "total length must be " + headerLength + "..65535 (header length..), was " + totalLength);
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 0..255, was " + ttl);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** Bytes after the header, up to the total length: the upper-layer message. */
    public int payloadLength() {
        return totalLength - headerLength;
    }

    /**
     * Reads the header at {@code buf[off, off + len)}, where {@code len} may exceed the total
     * length. The header checksum is verified here because a packet (AF_PACKET) socket sees frames
     * before the kernel's IP layer has checked them.
     */
    public static Ipv4Header decode(byte[] buf, int off, int len) throws IpDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < MIN_HEADER_LENGTH) {
            throw new IpDecodeException(TOO_SHORT, "IPv4 header needs " + MIN_HEADER_LENGTH + " bytes, got " + len);
        }
        int version = (buf[off + VERSION_IHL] & 0xff) >>> 4;
        if (version != VERSION) {
            throw new IpDecodeException(UNSUPPORTED_VERSION, "IP version " + version + ", expected 4");
        }
        int headerLength = (buf[off + VERSION_IHL] & 0x0f) * 4;
        if (headerLength < MIN_HEADER_LENGTH) {
            throw new IpDecodeException(INVALID_FIELD, "IHL " + headerLength / 4 + " is below the minimum 5");
        }
        int totalLength = u16(buf, off + TOTAL_LENGTH);
        if (totalLength < headerLength) {
            throw new IpDecodeException(INVALID_FIELD,
                    "total length " + totalLength + " is shorter than the header length " + headerLength);
        }
        if (totalLength > len) {
            throw new IpDecodeException(LENGTH_MISMATCH,
                    "total length " + totalLength + " exceeds the " + len + " bytes received");
        }
        int checksum = InternetChecksum.compute(buf, off, headerLength);
        if (checksum != 0) {
            throw new IpDecodeException(BAD_CHECKSUM, String.format(
                    "header checksum 0x%04x does not verify (sum 0x%04x)", u16(buf, off + 10), checksum));
        }
        return new Ipv4Header(headerLength, totalLength, buf[off + TTL] & 0xff, buf[off + PROTOCOL] & 0xff,
                address(buf, off + SOURCE), address(buf, off + DESTINATION));
    }

    private static int u16(byte[] buf, int at) {
        return ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
    }

    private static Inet4Address address(byte[] buf, int at) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(buf, at, at + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }
}
