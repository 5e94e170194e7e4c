package appliance.vrrp.kernel;

import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.Rtnetlink;
import appliance.nativeio.NativeException;
import appliance.nativeio.NetworkInterfaces;
import appliance.nativeio.RtnetlinkClient;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.Vmac;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's VMACs: for each instance with use-vmac, a macvlan (mode private) on its interface
 * with the virtual router MAC, made at start (one left by a crashed run is deleted first), set up
 * as keepalived sets it (no IPv6 address made from the shared MAC; arp_ignore 1, accept_local 1,
 * rp_filter 0 on the macvlan; arp_ignore 1 and arp_filter 1 on the base, so that the base does
 * not answer ARP for the virtual addresses with its own MAC; an IPv6 instance's macvlan gets the
 * base's link-local address to send from), and deleted at stop, the base's settings restored.
 * Runs on the component's starting and stopping thread: it waits for the kernel's answers.
 */
final class VmacLinks {

    private static final Logger log = LoggerFactory.getLogger(VmacLinks.class);
    private static final long TIMEOUT_SECONDS = 5;

    /** One made macvlan. */
    private record Made(String name, int index, String base) {
    }

    private final RtnetlinkClient rtnetlink;
    private final List<Made> made = new ArrayList<>();
    /** Base interface -> its arp_ignore and arp_filter before we changed them. */
    private final Map<String, int[]> baseSettings = new LinkedHashMap<>();

    VmacLinks(RtnetlinkClient rtnetlink) {
        this.rtnetlink = rtnetlink;
    }

    /**
     * Makes the instance's macvlan and returns the configuration the instance runs with: on the
     * macvlan, or (vmac-xmit-base) on its interface with its addresses on the macvlan.
     *
     * @param existing the link of the macvlan's name now, or null
     */
    VirtualRouterConfig make(VirtualRouterConfig c, IfInfoMessage base, IfInfoMessage existing) throws VmacException {
        Vmac vmac = c.vmac();
        String name = vmac.interfaceName(c.virtualRouterId(), c.isIpv6());
        if (base == null) {
            throw new VmacException("interface " + c.interfaceName() + " does not exist: its VMAC " + name
                    + " cannot be made");
        }
        byte[] mac = Vmac.virtualMac(c.virtualRouterId(), c.isIpv6());
        if (existing != null) {
            if (!"macvlan".equals(existing.kind())) {
                throw new VmacException("interface " + name + " exists and is not a macvlan (" + existing.kind()
                        + "): choose another name with use-vmac = \"NAME\"");
            }
            log.info("({}) deleting VMAC {} left by an earlier run", c.name(), name);
            await(rtnetlink.deleteLink(existing.interfaceIndex()), "deleting " + name);
        }
        await(rtnetlink.addMacvlan(name, base.interfaceIndex(), mac, Rtnetlink.MACVLAN_MODE_PRIVATE), "creating " + name);
        int index;
        try {
            index = NetworkInterfaces.indexOf(name);
        } catch (NativeException e) {
            throw new VmacException(name + " vanished right after it was made: " + e.getMessage());
        }
        made.add(new Made(name, index, c.interfaceName()));
        // Every node's VMAC has the same MAC: an address made from it would be a duplicate on the link.
        await(rtnetlink.setAddrGenMode(index, Rtnetlink.IN6_ADDR_GEN_MODE_NONE), "addrgenmode none on " + name);
        sysctl("ipv4", name, "arp_ignore", 1);
        sysctl("ipv4", name, "accept_local", 1);
        sysctl("ipv4", name, "rp_filter", 0);
        if (!baseSettings.containsKey(c.interfaceName())) {
            baseSettings.put(c.interfaceName(), new int[] {read(c.interfaceName(), "arp_ignore"),
                    read(c.interfaceName(), "arp_filter")});
            sysctl("ipv4", c.interfaceName(), "arp_ignore", 1);
            sysctl("ipv4", c.interfaceName(), "arp_filter", 1);
        }
        await(rtnetlink.setLinkUp(index, true), "setting " + name + " up");
        if (c.isIpv6() && !vmac.xmitBase()) {
            InetAddress linkLocal = linkLocalOf(base.hardwareAddress());
            await(rtnetlink.addAddress(index, linkLocal, 64, KernelAddresses.options(
                    new VirtualAddress(linkLocal, 64))), "adding " + linkLocal.getHostAddress() + " to " + name);
        }
        log.info("({}) VMAC {} made on {} with MAC {}", c.name(), name, c.interfaceName(),
                java.util.HexFormat.ofDelimiter(":").formatHex(mac));
        if (vmac.xmitBase()) {
            return c.onInterface(c.interfaceName(), onDevice(c.virtualAddresses(), name),
                    onDevice(c.excludedAddresses(), name));
        }
        return c.onInterface(name, c.virtualAddresses(), c.excludedAddresses());
    }

    /** Deletes what it made and restores the base interfaces' settings; logs what fails. */
    void removeAll() {
        for (Made m : made) {
            try {
                await(rtnetlink.deleteLink(m.index()), "deleting " + m.name());
            } catch (VmacException e) {
                log.warn("VMAC {}: {}", m.name(), e.getMessage());
            }
        }
        made.clear();
        baseSettings.forEach((base, old) -> {
            try {
                sysctl("ipv4", base, "arp_ignore", old[0]);
                sysctl("ipv4", base, "arp_filter", old[1]);
            } catch (VmacException e) {
                log.warn("{}: {}", base, e.getMessage());
            }
        });
        baseSettings.clear();
    }

    private static List<VirtualAddress> onDevice(List<VirtualAddress> addresses, String device) {
        return addresses.stream().map(a -> a.device().isPresent() ? a : new VirtualAddress(a.address(),
                a.prefixLength(), Optional.of(device), a.label(), a.scope(), a.broadcast())).toList();
    }

    /** The EUI-64 link-local address (RFC 4291 appendix A) of a MAC: the base's own, as keepalived gives the VMAC. */
    static Inet6Address linkLocalOf(byte[] mac) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfe;
        a[1] = (byte) 0x80;
        a[8] = (byte) (mac[0] ^ 0x02);
        a[9] = mac[1];
        a[10] = mac[2];
        a[11] = (byte) 0xff;
        a[12] = (byte) 0xfe;
        a[13] = mac[3];
        a[14] = mac[4];
        a[15] = mac[5];
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    private static void sysctl(String family, String iface, String key, int value) throws VmacException {
        Path p = Path.of("/proc/sys/net", family, "conf", iface, key);
        try {
            Files.writeString(p, Integer.toString(value));
        } catch (IOException e) {
            throw new VmacException("cannot set " + p + " to " + value + ": " + e.getMessage());
        }
    }

    private static int read(String iface, String key) throws VmacException {
        Path p = Path.of("/proc/sys/net/ipv4/conf", iface, key);
        try {
            return Integer.parseInt(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            throw new VmacException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void await(CompletableFuture<Void> f, String what) throws VmacException {
        try {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmacException(what + ": interrupted");
        } catch (TimeoutException e) {
            throw new VmacException(what + ": the kernel did not answer in " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new VmacException(what + ": " + e.getCause().getMessage());
        }
    }

    static final class VmacException extends Exception {
        VmacException(String message) {
            super(message);
        }
    }
}
