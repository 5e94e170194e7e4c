package appliance.codec.vrrp;

import appliance.codec.ip.InternetChecksum;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Makes the checksums of a mutated packet verify again. Without this a fuzzer spends nearly all
 * of its inputs on BAD_CHECKSUM: one changed byte breaks a checksum, and guessing the 16 bits
 * that mend it is not something coverage feedback helps with. Lengths and every other field stay
 * as mutated, and a field too broken to locate the checksum by is left alone.
 */
final class ChecksumRepair {

    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV4_CHECKSUM = 10;
    private static final int VRRP_HEADER = 8;

    private ChecksumRepair() {
    }

    /** A copy with the IPv4 header checksum and the checksum of the VRRP message in it repaired. */
    static byte[] ipv4(byte[] packet) {
        byte[] p = packet.clone();
        if (p.length < IPV4_MIN_HEADER) {
            return p;
        }
        int headerLength = (p[0] & 0x0f) * 4;
        if (headerLength < IPV4_MIN_HEADER || headerLength > p.length) {
            return p;
        }
        p[IPV4_CHECKSUM] = 0;
        p[IPV4_CHECKSUM + 1] = 0;
        int sum = InternetChecksum.compute(p, 0, headerLength);
        p[IPV4_CHECKSUM] = (byte) (sum >>> 8);
        p[IPV4_CHECKSUM + 1] = (byte) sum;
        int totalLength = u16(p, 2);
        if (totalLength > p.length) {
            return p;
        }
        repairVrrp(p, headerLength, totalLength - headerLength, address(p, 12, 4), address(p, 16, 4));
        return p;
    }

    /** A copy with the checksum of the VRRP message repaired; IPv6 itself has none. */
    static byte[] ipv6(byte[] packet) {
        byte[] p = packet.clone();
        if (p.length < 40) {
            return p;
        }
        int payloadLength = u16(p, 4);
        if (40 + payloadLength > p.length) {
            return p;
        }
        repairVrrp(p, 40, payloadLength, address(p, 8, 16), address(p, 24, 16));
        return p;
    }

    // VrrpSamples.withValidChecksum picks the VRRPv2 or v3 form from the message's version.
    private static void repairVrrp(byte[] p, int off, int len, InetAddress source, InetAddress destination) {
        if (len < VRRP_HEADER) {
            return;
        }
        byte[] message = Arrays.copyOfRange(p, off, off + len);
        System.arraycopy(VrrpSamples.withValidChecksum(message, source, destination), 0, p, off, len);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    // As the decoders do: 16 bytes stay an Inet6Address even when IPv4-mapped.
    private static InetAddress address(byte[] p, int at, int length) {
        byte[] bytes = Arrays.copyOfRange(p, at, at + length);
        try {
            return length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
