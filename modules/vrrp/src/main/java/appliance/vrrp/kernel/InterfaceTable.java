package appliance.vrrp.kernel;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.NetlinkMessage;
import appliance.codec.netlink.Rtnetlink;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's interfaces and their IPv4 and IPv6 addresses as rtnetlink reports them, kept from a dump and the
 * notifications that follow it (keepalived's netlink monitor keeps the same picture). Plain data,
 * no I/O: fed decoded messages on one thread, asked for an {@link InterfaceView} by name.
 */
final class InterfaceTable {

    private final Map<Integer, IfInfoMessage> links = new HashMap<>();
    /** By ifindex, in the kernel's order: the first primary one is the source the kernel picks. */
    private final Map<Integer, List<IfAddrMessage>> addresses = new HashMap<>();

    /** Replaces what is known of the links with a complete dump. */
    void replaceLinks(List<IfInfoMessage> dump) {
        links.clear();
        dump.forEach(this::apply);
    }

    /** Replaces what is known of the addresses with a complete dump (both families). */
    void replaceAddresses(List<IfAddrMessage> dump) {
        addresses.clear();
        dump.forEach(this::apply);
    }

    /** Applies one RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR or RTM_DELADDR; ignores anything else. */
    void apply(NetlinkMessage message) {
        if (message instanceof IfInfoMessage link) {
            if (link.header().type() == Rtnetlink.RTM_DELLINK) {
                links.remove(link.interfaceIndex());
                addresses.remove(link.interfaceIndex());
            } else {
                links.put(link.interfaceIndex(), link);
            }
        } else if (message instanceof IfAddrMessage a && a.interfaceAddress() != null
                && (a.family() == Rtnetlink.AF_INET && a.interfaceAddress() instanceof Inet4Address
                    || a.family() == Rtnetlink.AF_INET6 && a.interfaceAddress() instanceof Inet6Address)) {
            List<IfAddrMessage> list = addresses.computeIfAbsent(a.interfaceIndex(), k -> new ArrayList<>());
            int at = indexOf(list, a);
            if (a.header().type() == Rtnetlink.RTM_DELADDR) {
                if (at >= 0) {
                    list.remove(at);
                }
            } else if (at >= 0) {
                list.set(at, a); // flags change in place, e.g. a secondary promoted to primary
            } else {
                list.add(a);
            }
        }
    }

    private static int indexOf(List<IfAddrMessage> list, IfAddrMessage a) {
        for (int i = 0; i < list.size(); i++) {
            IfAddrMessage b = list.get(i);
            if (b.interfaceAddress().equals(a.interfaceAddress()) && b.prefixLength() == a.prefixLength()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The interface called {@code name} now.
     *
     * @param ours virtual addresses, never taken as the interface's own address
     */
    InterfaceView view(String name, Set<InetAddress> ours) {
        return view(name, ours, name);
    }

    /**
     * As {@link #view(String, Set)}, with the primary IPv4 address taken from {@code ipv4From}: a
     * VMAC has no IPv4 address of its own and sends from its base interface's, as keepalived.
     */
    InterfaceView view(String name, Set<InetAddress> ours, String ipv4From) {
        IfInfoMessage link = link(name);
        if (link == null) {
            return InterfaceView.absent(name);
        }
        IfInfoMessage source = name.equals(ipv4From) ? link : link(ipv4From);
        return new InterfaceView(name, link.interfaceIndex(), link.hardwareAddress(), isUp(link),
                source == null ? null : primary(source.interfaceIndex(), ours), linkLocal(link.interfaceIndex(), ours));
    }

    /** The link called {@code name}, or null. */
    IfInfoMessage link(String name) {
        for (IfInfoMessage link : links.values()) {
            if (name.equals(link.name())) {
                return link;
            }
        }
        return null;
    }

    /** keepalived's test: an interface serves VRRP when it is both set up and has carrier. */
    private static boolean isUp(IfInfoMessage link) {
        int both = IfInfoMessage.IFF_UP | IfInfoMessage.IFF_RUNNING;
        return (link.flags() & both) == both;
    }

    /**
     * The first primary address that is not ours; failing that the first secondary one. A
     * renumbered interface (new address added, old one deleted with promote_secondaries) can have
     * a virtual address as its only primary; the adverts then come from the new, secondary one.
     */
    private Inet4Address primary(int index, Set<InetAddress> ours) {
        Inet4Address secondary = null;
        for (IfAddrMessage a : addresses.getOrDefault(index, List.of())) {
            InetAddress local = a.interfaceAddress();
            if (!(local instanceof Inet4Address) || ours.contains(local)) {
                continue;
            }
            if ((a.flags() & IfAddrMessage.IFA_F_SECONDARY) == 0) {
                return (Inet4Address) local;
            }
            if (secondary == null) {
                secondary = (Inet4Address) local;
            }
        }
        return secondary;
    }

    /**
     * The first IPv6 link-local address the kernel will send from: keepalived takes the
     * interface's link-local address as the source of IPv6 adverts. A tentative one (duplicate
     * address detection still running) or one whose detection failed cannot be a source yet.
     */
    private Inet6Address linkLocal(int index, Set<InetAddress> ours) {
        for (IfAddrMessage a : addresses.getOrDefault(index, List.of())) {
            if (a.interfaceAddress() instanceof Inet6Address local && local.isLinkLocalAddress() && !ours.contains(local)
                    && (a.flags() & (IfAddrMessage.IFA_F_TENTATIVE | IfAddrMessage.IFA_F_DADFAILED)) == 0) {
                return withoutScope(local);
            }
        }
        return null;
    }

    /** As configured literals are: scope ids make equal addresses compare unequal. */
    private static Inet6Address withoutScope(Inet6Address a) {
        try {
            return Inet6Address.getByAddress(null, a.getAddress(), -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    /** Every address on {@code index} equal to one of {@code ours}, with its prefix: leftovers to remove at start. */
    List<IfAddrMessage> ownAddressesOn(int index, Set<InetAddress> ours) {
        List<IfAddrMessage> found = new ArrayList<>();
        for (IfAddrMessage a : addresses.getOrDefault(index, List.of())) {
            if (ours.contains(a.interfaceAddress())) {
                found.add(a);
            }
        }
        return found;
    }

    /** The names of the interfaces present, by index; for messages. */
    Map<Integer, String> names() {
        Map<Integer, String> m = new LinkedHashMap<>();
        links.forEach((i, l) -> m.put(i, l.name()));
        return m;
    }
}
