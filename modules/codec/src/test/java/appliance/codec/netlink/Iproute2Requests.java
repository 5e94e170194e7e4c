package appliance.codec.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * What iproute2 6.1 sent the kernel for each command, read from
 * {@code strace -f -e trace=sendmsg -e write=all ip -n NS ...} (little-endian, x86-64), in a
 * throwaway namespace set up as {@link KernelRouteCaptures} says: va is index 3, vb index 2, and
 * the VMAC vrrp.51 index 4. Each request was accepted (ACK). The encoders must write the same
 * bytes, given the same sequence number ({@link #sequenceOf}).
 *
 * <p>Commands name the type ({@code unicast}) and the protocol ({@code proto keepalived}) that
 * the codec writes and {@code ip} would otherwise leave at 0 in a delete or make RTPROT_BOOT in
 * an add; {@code ip} also probes for RTM_NEWLINK and resolves names with RTM_GETLINK first,
 * requests left out here.
 */
final class Iproute2Requests {

    private Iproute2Requests() {
    }

    /** nlmsg_seq of a captured request, to encode ours with the same one. */
    static int sequenceOf(byte[] request) {
        return ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }

    /**
     * {@code ip route add table 1000 203.0.113.0/24 src 192.0.2.1 via 192.0.2.254 metric 100 dev va
     * proto keepalived}.
     */
    static final byte[] ROUTE_VIA_DEV_SRC_METRIC_TABLE_1000 = hex(
            "4c00000018000506b98c056b0000000002180000001200010000000008000f00e803000008000100cb00710008000700" +
            "c000020108000500c00002fe08000600640000000800040003000000");

    /** {@code ip route add 198.18.0.0/15 dev va proto keepalived} (iproute2 chooses scope link). */
    static final byte[] ROUTE_DEV = hex(
            "2c00000018000506ba8c056b00000000020f0000fe12fd010000000008000100c61200000800040003000000");

    /** {@code ip route add default via 192.0.2.254 table 100 proto keepalived} (no RTA_DST). */
    static final byte[] ROUTE_DEFAULT_TABLE_100 = hex(
            "2400000018000506ba8c056b0000000002000000641200010000000008000500c00002fe");

    /** {@code ip route add blackhole 10.30.0.0/16 table 100 proto keepalived}. */
    static final byte[] ROUTE_BLACKHOLE = hex(
            "2400000018000506ba8c056b00000000021000006412000600000000080001000a1e0000");

    /** {@code ip route add unreachable 10.31.0.0/16 metric 5 proto keepalived}. */
    static final byte[] ROUTE_UNREACHABLE = hex(
            "2c00000018000506ba8c056b0000000002100000fe12000700000000080001000a1f00000800060005000000");

    /** {@code ip route add prohibit 10.32.0.0/16 proto keepalived}. */
    static final byte[] ROUTE_PROHIBIT = hex(
            "2400000018000506ba8c056b0000000002100000fe12000800000000080001000a200000");

    /**
     * {@code ip route add 10.0.0.0/8 proto keepalived nexthop via 192.0.2.2 dev va weight 1 nexthop
     * via 198.51.100.2 dev vb weight 3}.
     */
    static final byte[] ROUTE_MULTIPATH = hex(
            "4800000018000506ba8c056b0000000002080000fe12000100000000080001000a000000240009001000000003000000" +
            "08000500c0000202100000020200000008000500c6336402");

    /** {@code ip -6 route add 2001:db8:1::/48 via 2001:db8::fe dev va proto keepalived}. */
    static final byte[] ROUTE_IPV6_VIA_DEV = hex(
            "4c00000018000506bb8c056b000000000a300000fe120001000000001400010020010db8000100000000000000000000" +
            "1400050020010db80000000000000000000000fe0800040003000000");

    /**
     * {@code ip -6 route add 2001:db8:2::/48 proto keepalived nexthop via 2001:db8::2 dev va nexthop
     * via 2001:db8::3 dev va weight 2}.
     */
    static final byte[] ROUTE_IPV6_MULTIPATH = hex(
            "6c00000018000506bb8c056b000000000a300000fe120001000000001400010020010db8000200000000000000000000" +
            "3c0009001c000000030000001400050020010db80000000000000000000000021c000001030000001400050020010db8" +
            "000000000000000000000003");

    /** {@code ip route add 203.0.113.128/25 src 198.51.100.1 dev vb proto static}. */
    static final byte[] ROUTE_DEV_SRC_PROTO_STATIC = hex(
            "3400000018000506bb8c056b0000000002190000fe04fd010000000008000100cb00718008000700c633640108000400" +
            "02000000");

    /**
     * {@code ip route del table 1000 unicast 203.0.113.0/24 src 192.0.2.1 via 192.0.2.254 metric 100
     * dev va proto keepalived}.
     */
    static final byte[] DELETE_VIA_DEV_SRC_METRIC_TABLE_1000 = hex(
            "4c00000019000500bb8c056b00000000021800000012ff010000000008000f00e803000008000100cb00710008000700" +
            "c000020108000500c00002fe08000600640000000800040003000000");

    /** {@code ip route del unicast 198.18.0.0/15 dev va proto keepalived}. */
    static final byte[] DELETE_DEV = hex(
            "2c00000019000500bb8c056b00000000020f0000fe12ff010000000008000100c61200000800040003000000");

    /** {@code ip route del unicast default via 192.0.2.254 table 100 proto keepalived}. */
    static final byte[] DELETE_DEFAULT_TABLE_100 = hex(
            "2400000019000500bb8c056b00000000020000006412ff010000000008000500c00002fe");

    /** {@code ip route del blackhole 10.30.0.0/16 table 100 proto keepalived}. */
    static final byte[] DELETE_BLACKHOLE = hex(
            "2400000019000500bc8c056b00000000021000006412ff0600000000080001000a1e0000");

    /** {@code ip route del unreachable 10.31.0.0/16 metric 5 proto keepalived}. */
    static final byte[] DELETE_UNREACHABLE = hex(
            "2c00000019000500bc8c056b0000000002100000fe12ff0700000000080001000a1f00000800060005000000");

    /** {@code ip route del prohibit 10.32.0.0/16 proto keepalived}. */
    static final byte[] DELETE_PROHIBIT = hex(
            "2400000019000500bc8c056b0000000002100000fe12ff0800000000080001000a200000");

    /**
     * {@code ip route del unicast 10.0.0.0/8 proto keepalived nexthop via 192.0.2.2 dev va weight 1
     * nexthop via 198.51.100.2 dev vb weight 3}.
     */
    static final byte[] DELETE_MULTIPATH = hex(
            "4800000019000500bc8c056b0000000002080000fe12ff0100000000080001000a000000240009001000000003000000" +
            "08000500c0000202100000020200000008000500c6336402");

    /**
     * {@code ip -6 route del unicast 2001:db8:1::/48 via 2001:db8::fe dev va proto keepalived} (scope
     * universe, not nowhere, for IPv6).
     */
    static final byte[] DELETE_IPV6_VIA_DEV = hex(
            "4c00000019000500bc8c056b000000000a300000fe120001000000001400010020010db8000100000000000000000000" +
            "1400050020010db80000000000000000000000fe0800040003000000");

    /**
     * {@code ip -6 route del unicast 2001:db8:2::/48 proto keepalived nexthop via 2001:db8::2 dev va
     * nexthop via 2001:db8::3 dev va weight 2}.
     */
    static final byte[] DELETE_IPV6_MULTIPATH = hex(
            "6c00000019000500bd8c056b000000000a300000fe120001000000001400010020010db8000200000000000000000000" +
            "3c0009001c000000030000001400050020010db80000000000000000000000021c000001030000001400050020010db8" +
            "000000000000000000000003");

    /** {@code ip route del unicast 203.0.113.128/25 src 198.51.100.1 dev vb proto static}. */
    static final byte[] DELETE_DEV_SRC_PROTO_STATIC = hex(
            "3400000019000500bd8c056b0000000002190000fe04ff010000000008000100cb00718008000700c633640108000400" +
            "02000000");

    /** {@code ip link add link va name vrrp.51 address 00:00:5e:00:01:33 type macvlan mode private}. */
    static final byte[] MACVLAN = hex(
            "5c00000010000506998c056b00000000000000000000000000000000000000000a00010000005e000133000008000500" +
            "030000000c000300767272702e3531001c0012000b0001006d6163766c616e000c0002000800010001000000");

    /** {@code ip link set dev vrrp.51 addrgenmode none} (vrrp.51 is index 4). */
    static final byte[] ADDRGENMODE_NONE = hex(
            "3000000010000500998c056b000000000000000004000000000000000000000010001a000c000a000500080001000000");

    /** {@code ip link set dev vrrp.51 up}. */
    static final byte[] LINK_UP = hex(
            "2000000010000500998c056b0000000000000000040000000100000001000000");

    /** {@code ip link set dev vrrp.51 down}. */
    static final byte[] LINK_DOWN = hex(
            "2000000010000500998c056b0000000000000000040000000000000001000000");

    /** {@code ip link del dev vrrp.51}. */
    static final byte[] DELETE_LINK = hex(
            "2000000011000500998c056b0000000000000000040000000000000000000000");

    /**
     * {@code ip addr add 10.99.0.5/24 brd 10.99.0.255 scope link label va:vip dev va} (iproute2
     * refuses nodad for IPv4).
     */
    static final byte[] ADDRESS_BRD_SCOPE_LABEL = hex(
            "3c000000140005069c8c056b00000000021800fd03000000080002000a630005080004000a6300ff0b00030076613a76" +
            "69700000080001000a630005");

    /** {@code ip addr add 2001:db8:5::5/64 dev va nodad scope link}. */
    static final byte[] ADDRESS_IPV6_NODAD_SCOPE_LINK = hex(
            "40000000140005069c8c056b000000000a4002fd030000001400020020010db800050000000000000000000514000100" +
            "20010db8000500000000000000000005");

    /** {@code ip addr add 10.99.1.5/24 dev va label va:vip2}. */
    static final byte[] ADDRESS_LABEL = hex(
            "34000000140005069c8c056b000000000218000003000000080002000a6301050c00030076613a766970320008000100" +
            "0a630105");

    /** {@code ip addr del 10.99.0.5/24 dev va label va:vip}. */
    static final byte[] DELETE_ADDRESS_LABEL = hex(
            "34000000150005009c8c056b000000000218000003000000080002000a6300050b00030076613a766970000008000100" +
            "0a630005");

    /** {@code ip addr del 2001:db8:5::5/64 dev va}. */
    static final byte[] DELETE_ADDRESS_IPV6 = hex(
            "40000000150005009c8c056b000000000a400000030000001400020020010db800050000000000000000000514000100" +
            "20010db8000500000000000000000005");

    /** {@code ip addr del 10.99.1.5/24 dev va}. */
    static final byte[] DELETE_ADDRESS = hex(
            "28000000150005009d8c056b000000000218000003000000080002000a630105080001000a630105");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
