package appliance.codec.arp;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An ARP packet for Ethernet hardware and IPv4 protocol addresses (RFC 826). Hardware addresses
 * are 6 bytes, copied in and out.
 */
public record ArpPacket(Operation operation, byte[] senderHardwareAddress, Inet4Address senderProtocolAddress,
                        byte[] targetHardwareAddress, Inet4Address targetProtocolAddress) {

    public static final int ETHERTYPE = 0x0806;
    public static final int MAC_LENGTH = 6;
    /** An Ethernet II header and the ARP body, before any padding to the 60-byte minimum. */
    public static final int FRAME_LENGTH = ArpWire.FRAME_LENGTH;

    public enum Operation {
        REQUEST(1), REPLY(2);

        private final int code;

        Operation(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    public ArpPacket {
        Objects.requireNonNull(operation, "operation");
        senderHardwareAddress = mac("sender hardware address", senderHardwareAddress);
        Objects.requireNonNull(senderProtocolAddress, "senderProtocolAddress");
        targetHardwareAddress = mac("target hardware address", targetHardwareAddress);
        Objects.requireNonNull(targetProtocolAddress, "targetProtocolAddress");
    }

    /**
     * The gratuitous ARP keepalived 2.2.7 sends for a virtual address on becoming master: a request
     * whose sender and target protocol addresses are both the virtual address, and whose target
     * hardware address is broadcast (keepalived's choice; RFC 5227 §2.3 would put zeros there).
     */
    public static ArpPacket gratuitousRequest(byte[] mac, Inet4Address address) {
        return new ArpPacket(Operation.REQUEST, mac, address, BROADCAST, address);
    }

    /** Whether this announces the sender's own address (RFC 5227 §2.3): sender and target IPs agree. */
    public boolean isGratuitous() {
        return senderProtocolAddress.equals(targetProtocolAddress);
    }

    @Override
    public byte[] senderHardwareAddress() {
        return senderHardwareAddress.clone();
    }

    @Override
    public byte[] targetHardwareAddress() {
        return targetHardwareAddress.clone();
    }

    /**
     * The {@value #FRAME_LENGTH}-byte Ethernet II frame, unpadded as keepalived hands it to its
     * packet socket (the driver pads). A request goes to broadcast, a reply to its target.
     */
    public byte[] toEthernetFrame() {
        return ArpWire.encode(this, operation == Operation.REQUEST ? BROADCAST : targetHardwareAddress);
    }

    /** Reads an Ethernet II frame at {@code buf[off, off + len)}; trailing padding is ignored. */
    public static ArpPacket fromEthernetFrame(byte[] buf, int off, int len) throws ArpDecodeException {
        return ArpWire.decode(buf, off, len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArpPacket that
                && operation == that.operation
                && Arrays.equals(senderHardwareAddress, that.senderHardwareAddress)
                && senderProtocolAddress.equals(that.senderProtocolAddress)
                && Arrays.equals(targetHardwareAddress, that.targetHardwareAddress)
                && targetProtocolAddress.equals(that.targetProtocolAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operation, Arrays.hashCode(senderHardwareAddress), senderProtocolAddress,
                Arrays.hashCode(targetHardwareAddress), targetProtocolAddress);
    }

    @Override
    public String toString() {
        return "ArpPacket[" + operation
                + " sender=" + macText(senderHardwareAddress) + " " + senderProtocolAddress.getHostAddress()
                + " target=" + macText(targetHardwareAddress) + " " + targetProtocolAddress.getHostAddress() + "]";
    }

    static String macText(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    private static byte[] mac(String what, byte[] mac) {
        Objects.requireNonNull(mac, what);
        if (mac.length != MAC_LENGTH) {
            throw new IllegalArgumentException(what + " must be 6 bytes, was " + mac.length);
        }
        return mac.clone();
    }
}
