package appliance.codec.ndisc;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An IPv6 Neighbor Advertisement (RFC 4861 §4.4) carrying a Target Link-Layer Address option
 * with an Ethernet address, 6 bytes, copied in and out. The target cannot be multicast (§7.1.2).
 */
public record NeighborAdvertisement(Inet6Address target, byte[] targetLinkLayerAddress,
                                    boolean router, boolean solicited, boolean override) {

    public static final int ETHERTYPE_IPV6 = 0x86dd;

    static final int MAC_LENGTH = 6;

    public NeighborAdvertisement {
        Objects.requireNonNull(target, "target");
        if (target.isMulticastAddress()) {
            throw new IllegalArgumentException("target " + target.getHostAddress() + " is multicast (RFC 4861 §7.1.2)");
        }
        Objects.requireNonNull(targetLinkLayerAddress, "target link-layer address");
        if (targetLinkLayerAddress.length != MAC_LENGTH) {
            throw new IllegalArgumentException("target link-layer address must be 6 bytes, was "
                    + targetLinkLayerAddress.length);
        }
        targetLinkLayerAddress = targetLinkLayerAddress.clone();
    }

    /**
     * What keepalived 2.2.7 sends for each IPv6 virtual address on becoming master: Override set
     * so that neighbours replace the cached address (RFC 4861 §7.2.6), Solicited clear, and Router
     * set when the interface forwards IPv6 (keepalived reads its forwarding sysctl).
     */
    public static NeighborAdvertisement unsolicited(byte[] mac, Inet6Address target, boolean router) {
        return new NeighborAdvertisement(target, mac, router, false, true);
    }

    @Override
    public byte[] targetLinkLayerAddress() {
        return targetLinkLayerAddress.clone();
    }

    /**
     * The 86-byte frame keepalived hands to its packet socket: from the target address to all
     * nodes (ff02::1, Ethernet 33:33:00:00:00:01), Ethernet source the target link-layer address.
     *
     * @throws IllegalStateException if {@link #solicited()}: a solicited advertisement goes to the
     *     soliciting node (RFC 4861 §7.2.4), which this record does not hold
     */
    public byte[] toEthernetFrame() {
        if (solicited) {
            throw new IllegalStateException("a solicited advertisement goes to its solicitor, not to all nodes: " + this);
        }
        return NdiscWire.encode(this);
    }

    /** Reads an Ethernet II frame at {@code buf[off, off + len)}; bytes after the IPv6 payload are ignored. */
    public static NeighborAdvertisement fromEthernetFrame(byte[] buf, int off, int len) throws NdiscDecodeException {
        return NdiscWire.decode(buf, off, len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeighborAdvertisement that
                && target.equals(that.target)
                && Arrays.equals(targetLinkLayerAddress, that.targetLinkLayerAddress)
                && router == that.router && solicited == that.solicited && override == that.override;
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, Arrays.hashCode(targetLinkLayerAddress), router, solicited, override);
    }

    /** As tcpdump words it: the target, its link-layer address and the flags set. */
    @Override
    public String toString() {
        List<String> flags = new ArrayList<>();
        if (router) {
            flags.add("router");
        }
        if (solicited) {
            flags.add("solicited");
        }
        if (override) {
            flags.add("override");
        }
        return "NeighborAdvertisement[target=" + target.getHostAddress()
                + " lladdr=" + HexFormat.ofDelimiter(":").formatHex(targetLinkLayerAddress)
                + " flags=" + flags + "]";
    }
}
