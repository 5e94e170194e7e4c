package appliance.codec.ndisc;

import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_CHECKSUM;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_HOP_LIMIT;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.BAD_OPTION;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.INVALID_FLAGS;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.INVALID_TARGET;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.LENGTH_MISMATCH;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.MISSING_TARGET_LINK_LAYER_ADDRESS;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_ICMPV6;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_IPV6;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.NOT_NEIGHBOR_ADVERTISEMENT;
import static appliance.codec.ndisc.NdiscDecodeException.Reason.TOO_SHORT;

import appliance.codec.ip.InternetChecksum;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Neighbor Advertisement in an Ethernet II frame (RFC 4861 §4.4, §4.6.1; RFC 2464 for the
 * framing), offsets in bytes, as keepalived 2.2.7 builds it: one option, the target's MAC.
 *
 * <pre>
 *   0 | destination MAC 33:33:00:00:00:01 (RFC 2464 §7) | source MAC    | EtherType 0x86dd |  Ethernet II
 *  14 | version 6, traffic class 0, flow label 0                                         |  IPv6
 *  18 | payload length 32               | next header 58  | hop limit 255                  |
 *  22 | source address: the target itself (16)                                           |
 *  38 | destination address ff02::1 (16)                                                 |
 *  54 | type 136        | code 0        | checksum (pseudo-header and message)           |  ICMPv6
 *  58 |R|S|O| reserved (29 bits)                                                         |
 *  62 | target address (16)                                                              |
 *  78 | option type 2   | length 1 (x 8 bytes) | target link-layer address (6)           |  option
 *  86
 * </pre>
 * A received one may carry other options, in any order, within the payload length.
 */
final class NdiscWire {

    static final int FRAME_LENGTH = 86;

    private static final int ETH_DESTINATION = 0;
    private static final int ETH_SOURCE = 6;
    private static final int ETH_TYPE = 12;
    private static final int IP = 14;
    private static final int IP_PAYLOAD_LENGTH = 18;
    private static final int IP_NEXT_HEADER = 20;
    private static final int IP_HOP_LIMIT = 21;
    private static final int IP_SOURCE = 22;
    private static final int IP_DESTINATION = 38;
    private static final int ICMP = 54;
    private static final int ICMP_TYPE = 54;
    private static final int ICMP_CODE = 55;
    private static final int ICMP_CHECKSUM = 56;
    private static final int NA_FLAGS = 58;
    private static final int NA_TARGET = 62;
    private static final int NA_OPTIONS = 78;

    /** The fixed part of the message, before options (RFC 4861 §7.1.2: "24 or more octets"). */
    private static final int NA_LENGTH = NA_OPTIONS - ICMP;
    private static final int MIN_FRAME = NA_OPTIONS;
    private static final int OPTION_UNIT = 8;

    private static final int ICMPV6 = 58;
    private static final int NEIGHBOR_ADVERTISEMENT = 136;
    private static final int TARGET_LINK_LAYER_ADDRESS = 2;
    private static final int HOP_LIMIT = 255;
    private static final int ROUTER = 0x80;
    private static final int SOLICITED = 0x40;
    private static final int OVERRIDE = 0x20;

    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final Inet6Address ALL_NODES = address(
            new byte[] {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0);

    private NdiscWire() {
    }

    static byte[] encode(NeighborAdvertisement na) {
        byte[] out = new byte[FRAME_LENGTH];
        byte[] mac = na.targetLinkLayerAddress();
        byte[] target = na.target().getAddress();
        System.arraycopy(ALL_NODES_MAC, 0, out, ETH_DESTINATION, ALL_NODES_MAC.length);
        System.arraycopy(mac, 0, out, ETH_SOURCE, mac.length);
        putU16(out, ETH_TYPE, NeighborAdvertisement.ETHERTYPE_IPV6);
        out[IP] = 0x60;
        putU16(out, IP_PAYLOAD_LENGTH, FRAME_LENGTH - ICMP);
        out[IP_NEXT_HEADER] = ICMPV6;
        out[IP_HOP_LIMIT] = (byte) HOP_LIMIT;
        // keepalived sends from the address it announces, not from the link-local one.
        System.arraycopy(target, 0, out, IP_SOURCE, 16);
        System.arraycopy(ALL_NODES.getAddress(), 0, out, IP_DESTINATION, 16);
        out[ICMP_TYPE] = (byte) NEIGHBOR_ADVERTISEMENT;
        out[NA_FLAGS] = (byte) ((na.router() ? ROUTER : 0) | (na.solicited() ? SOLICITED : 0)
                | (na.override() ? OVERRIDE : 0));
        System.arraycopy(target, 0, out, NA_TARGET, 16);
        out[NA_OPTIONS] = TARGET_LINK_LAYER_ADDRESS;
        out[NA_OPTIONS + 1] = 1;
        System.arraycopy(mac, 0, out, NA_OPTIONS + 2, mac.length);
        putU16(out, ICMP_CHECKSUM, checksum(na.target(), ALL_NODES, out, ICMP, FRAME_LENGTH - ICMP));
        return out;
    }

    static NeighborAdvertisement decode(byte[] buf, int off, int len) throws NdiscDecodeException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < MIN_FRAME) {
            throw new NdiscDecodeException(TOO_SHORT,
                    "a Neighbor Advertisement over Ethernet needs " + MIN_FRAME + " bytes, got " + len);
        }
        int etherType = u16(buf, off + ETH_TYPE);
        if (etherType != NeighborAdvertisement.ETHERTYPE_IPV6) {
            throw new NdiscDecodeException(NOT_IPV6, String.format("EtherType 0x%04x, expected 0x86dd", etherType));
        }
        int version = (buf[off + IP] & 0xff) >>> 4;
        if (version != 6) {
            throw new NdiscDecodeException(NOT_IPV6, "IP version " + version + ", expected 6");
        }
        int nextHeader = buf[off + IP_NEXT_HEADER] & 0xff;
        if (nextHeader != ICMPV6) {
            throw new NdiscDecodeException(NOT_ICMPV6,
                    "next header " + nextHeader + ", expected 58 (ICMPv6) with no extension header");
        }
        int icmpLength = u16(buf, off + IP_PAYLOAD_LENGTH);
        if (icmpLength > len - ICMP) {
            throw new NdiscDecodeException(LENGTH_MISMATCH, "IPv6 payload length " + icmpLength
                    + " exceeds the " + (len - ICMP) + " bytes received after the header");
        }
        if (icmpLength < NA_LENGTH) {
            throw new NdiscDecodeException(TOO_SHORT, "IPv6 payload length " + icmpLength
                    + ", a Neighbor Advertisement needs " + NA_LENGTH);
        }
        int type = buf[off + ICMP_TYPE] & 0xff;
        int code = buf[off + ICMP_CODE] & 0xff;
        if (type != NEIGHBOR_ADVERTISEMENT || code != 0) {
            throw new NdiscDecodeException(NOT_NEIGHBOR_ADVERTISEMENT,
                    "ICMPv6 type " + type + " code " + code + ", expected 136 (Neighbor Advertisement) code 0");
        }
        // Only a sender on the link can make it arrive with 255 (RFC 4861 §7.1.2, §11.2).
        int hopLimit = buf[off + IP_HOP_LIMIT] & 0xff;
        if (hopLimit != HOP_LIMIT) {
            throw new NdiscDecodeException(BAD_HOP_LIMIT, "hop limit " + hopLimit + ", expected 255");
        }
        Inet6Address source = address(buf, off + IP_SOURCE);
        Inet6Address destination = address(buf, off + IP_DESTINATION);
        if (checksum(source, destination, buf, off + ICMP, icmpLength) != 0) {
            throw new NdiscDecodeException(BAD_CHECKSUM, String.format(
                    "ICMPv6 checksum 0x%04x does not verify", u16(buf, off + ICMP_CHECKSUM)));
        }
        Inet6Address target = address(buf, off + NA_TARGET);
        if (target.isMulticastAddress()) {
            throw new NdiscDecodeException(INVALID_TARGET, "target address " + target.getHostAddress() + " is multicast");
        }
        int flags = buf[off + NA_FLAGS] & 0xff;
        if ((flags & SOLICITED) != 0 && destination.isMulticastAddress()) {
            throw new NdiscDecodeException(INVALID_FLAGS,
                    "Solicited flag set on an advertisement to multicast " + destination.getHostAddress());
        }
        byte[] mac = targetLinkLayerAddress(buf, off + ICMP, icmpLength);
        // The 29 reserved bits are ignored, as RFC 4861 §4.4 asks of receivers.
        return new NeighborAdvertisement(target, mac,
                (flags & ROUTER) != 0, (flags & SOLICITED) != 0, (flags & OVERRIDE) != 0);
    }

    /**
     * Walks every option (RFC 4861 §4.6) of the message at {@code buf[icmp, icmp + length)}, and
     * returns the address of the first Target Link-Layer Address option; a later one is ignored,
     * as Linux does. Offsets in messages count from the ICMPv6 type byte.
     */
    private static byte[] targetLinkLayerAddress(byte[] buf, int icmp, int length) throws NdiscDecodeException {
        byte[] mac = null;
        int at = NA_LENGTH;
        while (at < length) {
            if (length - at < 2) {
                throw new NdiscDecodeException(BAD_OPTION, "option at ICMPv6 offset " + at + ": "
                        + (length - at) + " byte left, an option header needs 2");
            }
            int type = buf[icmp + at] & 0xff;
            int units = buf[icmp + at + 1] & 0xff;
            if (units == 0) {
                // A zero length would loop forever; §7.1.2 makes it invalid.
                throw new NdiscDecodeException(BAD_OPTION, "option type " + type + " at ICMPv6 offset " + at
                        + " has length 0");
            }
            if (units * OPTION_UNIT > length - at) {
                throw new NdiscDecodeException(BAD_OPTION, "option type " + type + " at ICMPv6 offset " + at
                        + " has length " + units + " (" + units * OPTION_UNIT + " bytes), "
                        + (length - at) + " remain in the message");
            }
            if (type == TARGET_LINK_LAYER_ADDRESS && mac == null) {
                // Ethernet's address fills the option's single unit (RFC 2464 §6).
                if (units != 1) {
                    throw new NdiscDecodeException(BAD_OPTION, "Target Link-Layer Address option has length "
                            + units + ", expected 1 (an Ethernet address)");
                }
                mac = Arrays.copyOfRange(buf, icmp + at + 2, icmp + at + 2 + NeighborAdvertisement.MAC_LENGTH);
            }
            at += units * OPTION_UNIT;
        }
        if (mac == null) {
            throw new NdiscDecodeException(MISSING_TARGET_LINK_LAYER_ADDRESS,
                    "no Target Link-Layer Address option in " + (length - NA_LENGTH) + " bytes of options");
        }
        return mac;
    }

    // Over the message with its checksum field in place: 0 on receipt when intact, and on
    // sending (field still 0) the value to put there.
    private static int checksum(Inet6Address source, Inet6Address destination, byte[] buf, int off, int len) {
        byte[] pseudoHeader = InternetChecksum.pseudoHeader(source, destination, ICMPV6, len);
        return InternetChecksum.compute(pseudoHeader, buf, off, len);
    }

    private static int u16(byte[] buf, int at) {
        return ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
    }

    private static void putU16(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 8);
        buf[at + 1] = (byte) value;
    }

    // Inet6Address.getByAddress keeps ::ffff:a.b.c.d an IPv6 address, as the pseudo-header needs.
    private static Inet6Address address(byte[] buf, int at) {
        try {
            return Inet6Address.getByAddress(null, Arrays.copyOfRange(buf, at, at + 16), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }
}
