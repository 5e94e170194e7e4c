package appliance.codec.netlink;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Writes the RTM_NEWLINK and RTM_DELLINK requests of {@link Rtnetlink}'s link methods, in the
 * layout of {@code ip link} (iproute2 6.1), so that the two can be compared byte for byte.
 */
final class LinkRequests {

    private static final int ETHER_ADDRESS_LENGTH = 6;

    private LinkRequests() {
    }

    static byte[] newMacvlan(int sequence, String name, int baseIndex, byte[] mac, int mode) {
        checkName(name);
        checkIndex("base interface", baseIndex);
        checkMac(mac);
        if (mode != Rtnetlink.MACVLAN_MODE_PRIVATE && mode != Rtnetlink.MACVLAN_MODE_VEPA
                && mode != Rtnetlink.MACVLAN_MODE_BRIDGE && mode != Rtnetlink.MACVLAN_MODE_PASSTHRU
                && mode != Rtnetlink.MACVLAN_MODE_SOURCE) {
            throw new IllegalArgumentException("macvlan mode must be one of 1 (private), 2 (vepa), 4 (bridge),"
                    + " 8 (passthru), 16 (source), was " + mode);
        }
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK
                | NetlinkHeader.NLM_F_CREATE | NetlinkHeader.NLM_F_EXCL;
        NetlinkWriter w = ifinfo(Rtnetlink.RTM_NEWLINK, flags, sequence, 0, 0, 0)
                .attribute(Rtnetlink.IFLA_ADDRESS, mac)
                .attributeU32(Rtnetlink.IFLA_LINK, baseIndex)
                .attributeString(Rtnetlink.IFLA_IFNAME, name);
        int linkInfo = w.begin(Rtnetlink.IFLA_LINKINFO);
        // The kind without its NUL, as iproute2 and keepalived write it (the kernel takes either).
        w.attribute(Rtnetlink.IFLA_INFO_KIND, "macvlan".getBytes(StandardCharsets.US_ASCII));
        int data = w.begin(Rtnetlink.IFLA_INFO_DATA);
        w.attributeU32(Rtnetlink.IFLA_MACVLAN_MODE, mode);
        w.end(data);
        w.end(linkInfo);
        return w.toByteArray();
    }

    static byte[] setLinkUp(int sequence, int index, boolean up) {
        checkIndex("interface", index);
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        return ifinfo(Rtnetlink.RTM_NEWLINK, flags, sequence, index, up ? IfInfoMessage.IFF_UP : 0, IfInfoMessage.IFF_UP)
                .toByteArray();
    }

    static byte[] deleteLink(int sequence, int index) {
        checkIndex("interface", index);
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        return ifinfo(Rtnetlink.RTM_DELLINK, flags, sequence, index, 0, 0).toByteArray();
    }

    static byte[] setAddrGenMode(int sequence, int index, int mode) {
        checkIndex("interface", index);
        if (mode < Rtnetlink.IN6_ADDR_GEN_MODE_EUI64 || mode > Rtnetlink.IN6_ADDR_GEN_MODE_RANDOM) {
            throw new IllegalArgumentException("address generation mode must be 0 (eui64), 1 (none),"
                    + " 2 (stable_secret) or 3 (random), was " + mode);
        }
        int flags = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
        NetlinkWriter w = ifinfo(Rtnetlink.RTM_NEWLINK, flags, sequence, index, 0, 0);
        int spec = w.begin(Rtnetlink.IFLA_AF_SPEC);
        int inet6 = w.begin(Rtnetlink.AF_INET6);
        w.attributeU8(Rtnetlink.IFLA_INET6_ADDR_GEN_MODE, mode);
        w.end(inet6);
        w.end(spec);
        return w.toByteArray();
    }

    /** Header and struct ifinfomsg: family AF_UNSPEC, device type 0 (any). */
    private static NetlinkWriter ifinfo(int type, int flags, int sequence, int index, int ifiFlags, int change) {
        return new NetlinkWriter(type, flags, sequence)
                .u8(Rtnetlink.AF_UNSPEC).u8(0).u16(0).u32(index).u32(ifiFlags).u32(change);
    }

    /** The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or white space. */
    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        boolean valid = bytes >= 1 && bytes <= Rtnetlink.MAX_LABEL_LENGTH && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0);
        if (!valid) {
            throw new IllegalArgumentException("interface name must be 1.." + Rtnetlink.MAX_LABEL_LENGTH
                    + " bytes without '/', ':' or white space, and not \".\" or \"..\", was \"" + name + "\"");
        }
    }

    /** A unicast Ethernet address, as the kernel's macvlan_validate() wants (else EADDRNOTAVAIL). */
    private static void checkMac(byte[] mac) {
        Objects.requireNonNull(mac, "mac");
        String text = HexFormat.ofDelimiter(":").formatHex(mac);
        if (mac.length != ETHER_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, was " + mac.length + " (" + text + ")");
        }
        boolean zero = true;
        for (byte b : mac) {
            zero &= b == 0;
        }
        if (zero || (mac[0] & 1) != 0) {
            throw new IllegalArgumentException("a link's MAC address must be unicast and not zero, was " + text);
        }
    }

    private static void checkIndex(String what, int index) {
        if (index <= 0) {
            throw new IllegalArgumentException(what + " index must be positive, was " + index);
        }
    }
}
