package appliance.vrrp;

import java.util.Optional;

/**
 * keepalived's {@code use_vmac} and {@code vmac_xmit_base}: the instance runs on a macvlan of its
 * interface whose MAC is RFC 5798's virtual router MAC (00:00:5e:00:01:VRID for IPv4,
 * 00:00:5e:00:02:VRID for IPv6), so that the segment's ARP and neighbour caches never change on a
 * takeover, only the switch's forwarding table does.
 *
 * @param enabled  use_vmac
 * @param name     the macvlan's name; empty: "vrrp.VRID" (IPv6: "vrrp6.VRID")
 * @param xmitBase vmac_xmit_base: adverts go out of the base interface (from its MAC), the
 *                 virtual addresses and their announcements stay on the macvlan
 */
public record Vmac(boolean enabled, Optional<String> name, boolean xmitBase) {

    public static final Vmac NONE = new Vmac(false, Optional.empty(), false);

    public Vmac {
        name.ifPresent(VirtualRouterConfig::checkInterfaceName);
        if (!enabled && (name.isPresent() || xmitBase)) {
            throw new IllegalArgumentException("vmac-xmit-base and a VMAC name need use-vmac");
        }
    }

    /** The macvlan's name for an instance with {@code vrid}. */
    public String interfaceName(int vrid, boolean ipv6) {
        return name.orElse((ipv6 ? "vrrp6." : "vrrp.") + vrid);
    }

    /** RFC 5798 section 7.3: the virtual router MAC address. */
    public static byte[] virtualMac(int vrid, boolean ipv6) {
        return new byte[] {0, 0, 0x5e, 0, (byte) (ipv6 ? 2 : 1), (byte) vrid};
    }
}
