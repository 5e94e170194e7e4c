package appliance.vrrp.kernel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the kernel says of one interface, by name, at one moment: whether it exists (and under
 * which index: a deleted and re-created interface comes back under a new one), whether it serves
 * VRRP (set up and with carrier, keepalived's test), its MAC, and the addresses adverts are sent
 * from: its primary IPv4 address and its IPv6 link-local address.
 *
 * @param index           0 when no interface has this name
 * @param hardwareAddress null when absent
 * @param primaryIpv4     the first primary IPv4 address that is not one of ours; null when none
 * @param linkLocalIpv6   the first IPv6 link-local address that is usable (not tentative) and not ours; null when none
 */
record InterfaceView(String name, int index, byte[] hardwareAddress, boolean up, Inet4Address primaryIpv4,
                     Inet6Address linkLocalIpv6) {

    static InterfaceView absent(String name) {
        return new InterfaceView(name, 0, null, false, null, null);
    }

    boolean exists() {
        return index > 0;
    }

    boolean isEthernet() {
        return hardwareAddress != null && hardwareAddress.length == 6;
    }

    /** Where adverts of the family come from (RFC 5798 section 5.1.2.1 for IPv6: the link-local address). */
    InetAddress source(boolean ipv6) {
        return ipv6 ? linkLocalIpv6 : primaryIpv4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceView v && name.equals(v.name) && index == v.index && up == v.up
                && Arrays.equals(hardwareAddress, v.hardwareAddress) && Objects.equals(primaryIpv4, v.primaryIpv4)
                && Objects.equals(linkLocalIpv6, v.linkLocalIpv6);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, index, up, Arrays.hashCode(hardwareAddress), primaryIpv4, linkLocalIpv6);
    }
}
