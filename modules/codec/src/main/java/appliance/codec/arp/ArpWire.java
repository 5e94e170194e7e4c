package appliance.codec.arp;

import static appliance.codec.arp.ArpDecodeException.Reason.NOT_ARP;
import static appliance.codec.arp.ArpDecodeException.Reason.TOO_SHORT;
import static appliance.codec.arp.ArpDecodeException.Reason.UNSUPPORTED_FORMAT;
import static appliance.codec.arp.ArpDecodeException.Reason.UNSUPPORTED_OPERATION;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An ARP packet in an Ethernet II frame (RFC 826; RFC 894 for the framing), offsets in bytes.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | destination MAC                               |  Ethernet II
 *   6 +-----------------------------------------------+
 *     | source MAC                                    |
 *  12 +-----------------------+-----------------------+
 *     | EtherType 0x0806      |
 *  14 +-----------------------+-----------------------+
 *     | hardware type 1       | protocol type 0x0800  |  ARP
 *  18 +-----------+-----------+-----------------------+
 *     | hlen 6    | plen 4    | operation             |
 *  22 +-----------+-----------+-----------------------+
 *     | sender hardware address (MAC)                 |
 *  28 +-----------------------------------------------+
 *     | sender protocol address (IPv4)                |
 *  32 +-----------------------------------------------+
 *     | target hardware address (MAC)                 |
 *  38 +-----------------------------------------------+
 *     | target protocol address (IPv4)                |
 *  42 +-----------------------------------------------+
 * </pre>
 */
final class ArpWire {

    static final int FRAME_LENGTH = 42;

    private static final int ETH_DESTINATION = 0;
    private static final int ETH_SOURCE = 6;
    private static final int ETH_TYPE = 12;
    private static final int HARDWARE_TYPE = 14;
    private static final int PROTOCOL_TYPE = 16;
    private static final int HARDWARE_LENGTH = 18;
    private static final int PROTOCOL_LENGTH = 19;
    private static final int OPERATION = 20;
    private static final int SENDER_MAC = 22;
    private static final int SENDER_IP = 28;
    private static final int TARGET_MAC = 32;
    private static final int TARGET_IP = 38;

    private static final int HARDWARE_ETHERNET = 1;
    private static final int PROTOCOL_IPV4 = 0x0800;

    private ArpWire() {
    }

    static byte[] encode(ArpPacket p, byte[] destinationMac) {
        byte[] out = new byte[FRAME_LENGTH];
        byte[] senderMac = p.senderHardwareAddress();
        System.arraycopy(destinationMac, 0, out, ETH_DESTINATION, ArpPacket.MAC_LENGTH);
        System.arraycopy(senderMac, 0, out, ETH_SOURCE, ArpPacket.MAC_LENGTH);
        putU16(out, ETH_TYPE, ArpPacket.ETHERTYPE);
        putU16(out, HARDWARE_TYPE, HARDWARE_ETHERNET);
        putU16(out, PROTOCOL_TYPE, PROTOCOL_IPV4);
        out[HARDWARE_LENGTH] = ArpPacket.MAC_LENGTH;
        out[PROTOCOL_LENGTH] = 4;
        putU16(out, OPERATION, p.operation().code());
        System.arraycopy(senderMac, 0, out, SENDER_MAC, ArpPacket.MAC_LENGTH);
        System.arraycopy(p.senderProtocolAddress().getAddress(), 0, out, SENDER_IP, 4);
        System.arraycopy(p.targetHardwareAddress(), 0, out, TARGET_MAC, ArpPacket.MAC_LENGTH);
        System.arraycopy(p.targetProtocolAddress().getAddress(), 0, out, TARGET_IP, 4);
        return out;
    }

    static ArpPacket decode(byte[] buf, int off, int len) throws ArpDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < FRAME_LENGTH) {
            throw new ArpDecodeException(TOO_SHORT, "ARP over Ethernet needs " + FRAME_LENGTH + " bytes, got " + len);
        }
        int etherType = u16(buf, off + ETH_TYPE);
        if (etherType != ArpPacket.ETHERTYPE) {
            throw new ArpDecodeException(NOT_ARP, String.format("EtherType 0x%04x, expected 0x0806", etherType));
        }
        int hardwareType = u16(buf, off + HARDWARE_TYPE);
        int protocolType = u16(buf, off + PROTOCOL_TYPE);
        int hardwareLength = buf[off + HARDWARE_LENGTH] & 0xff;
        int protocolLength = buf[off + PROTOCOL_LENGTH] & 0xff;
        if (hardwareType != HARDWARE_ETHERNET || protocolType != PROTOCOL_IPV4
                || hardwareLength != ArpPacket.MAC_LENGTH || protocolLength != 4) {
            throw new ArpDecodeException(UNSUPPORTED_FORMAT, String.format(
                    "hardware type %d, protocol type 0x%04x, lengths %d/%d; expected Ethernet/IPv4 (1, 0x0800, 6/4)",
                    hardwareType, protocolType, hardwareLength, protocolLength));
        }
        int code = u16(buf, off + OPERATION);
        ArpPacket.Operation operation = switch (code) {
            case 1 -> ArpPacket.Operation.REQUEST;
            case 2 -> ArpPacket.Operation.REPLY;
            default -> throw new ArpDecodeException(UNSUPPORTED_OPERATION,
                    "ARP operation " + code + ", expected 1 (request) or 2 (reply)");
        };
        return new ArpPacket(operation,
                Arrays.copyOfRange(buf, off + SENDER_MAC, off + SENDER_MAC + ArpPacket.MAC_LENGTH),
                ipv4(buf, off + SENDER_IP),
                Arrays.copyOfRange(buf, off + TARGET_MAC, off + TARGET_MAC + ArpPacket.MAC_LENGTH),
                ipv4(buf, off + TARGET_IP));
    }

    private static int u16(byte[] buf, int at) {
        return ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
    }

    private static void putU16(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 8);
        buf[at + 1] = (byte) value;
    }

    private static Inet4Address ipv4(byte[] buf, int at) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(buf, at, at + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }
}
