package appliance.codec.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, an odd trailing byte padded with zero.
 *
 * <p>Verifying a received message is computing the checksum over it with its checksum field in
 * place: the result is 0 when it is intact (RFC 1071 §1, step 3).
 */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /** The checksum of {@code buf[off, off + len)}. */
    public static int compute(byte[] buf, int off, int len) {
        return finish(sum(0, buf, off, len));
    }

    /**
     * The checksum of {@code pseudoHeader} followed by {@code buf[off, off + len)}, as upper-layer
     * protocols such as VRRPv3 (RFC 5798 §5.2.8) and ICMPv6 define it.
     *
     * @param pseudoHeader even length, so that the message's words stay aligned
     */
    public static int compute(byte[] pseudoHeader, byte[] buf, int off, int len) {
        if ((pseudoHeader.length & 1) != 0) {
            throw new IllegalArgumentException("pseudo-header length must be even, was " + pseudoHeader.length);
        }
        return finish(sum(sum(0, pseudoHeader, 0, pseudoHeader.length), buf, off, len));
    }

    /**
     * The pseudo-header an upper-layer checksum covers: for IPv4 source, destination, a zero byte,
     * the protocol and a 16-bit length (RFC 768 layout, used by RFC 5798 §5.2.8); for IPv6 source,
     * destination, a 32-bit length, three zero bytes and the next header (RFC 8200 §8.1).
     */
    public static byte[] pseudoHeader(InetAddress source, InetAddress destination, int protocol, int upperLayerLength) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.getClass() != destination.getClass()) {
            throw new IllegalArgumentException("source " + source.getHostAddress()
                    + " and destination " + destination.getHostAddress() + " are of different families");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
        }
        if (source instanceof Inet4Address) {
            if (upperLayerLength < 0 || upperLayerLength > 0xffff) {
                throw new IllegalArgumentException("IPv4 upper-layer length must be 0..65535, was " + upperLayerLength);
            }
            byte[] p = new byte[12];
            System.arraycopy(source.getAddress(), 0, p, 0, 4);
            System.arraycopy(destination.getAddress(), 0, p, 4, 4);
            p[9] = (byte) protocol;
            p[10] = (byte) (upperLayerLength >>> 8);
            p[11] = (byte) upperLayerLength;
            return p;
        }
        if (!(source instanceof Inet6Address)) {
            throw new IllegalArgumentException("unknown address family: " + source.getClass().getName());
        }
        if (upperLayerLength < 0) {
            throw new IllegalArgumentException("IPv6 upper-layer length must not be negative, was " + upperLayerLength);
        }
        byte[] p = new byte[40];
        System.arraycopy(source.getAddress(), 0, p, 0, 16);
        System.arraycopy(destination.getAddress(), 0, p, 16, 16);
        p[32] = (byte) (upperLayerLength >>> 24);
        p[33] = (byte) (upperLayerLength >>> 16);
        p[34] = (byte) (upperLayerLength >>> 8);
        p[35] = (byte) upperLayerLength;
        p[39] = (byte) protocol;
        return p;
    }

    // A long cannot overflow here: even 2^31 bytes sum to less than 2^47.
    private static long sum(long acc, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) {
            acc += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
        }
        if (i < end) {
            acc += (buf[i] & 0xff) << 8;
        }
        return acc;
    }

    private static int finish(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) (~acc & 0xffff);
    }
}
