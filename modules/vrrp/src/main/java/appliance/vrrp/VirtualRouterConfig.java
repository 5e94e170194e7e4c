package appliance.vrrp;

import appliance.codec.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code vrrp_instance}: the typed model that any configuration reader (HOCON today,
 * keepalived.conf later) builds, compared by value. An invalid one cannot be constructed; the
 * {@code check...} methods are the single place each rule lives, so that readers can attach the
 * file and line of the offending key to the same message.
 */
public record VirtualRouterConfig(
        String name,
        String interfaceName,
        int virtualRouterId,
        int priority,
        VrrpVersion version,
        Duration advertInterval,
        VrrpState initialState,
        boolean preempt,
        Optional<String> authPassword,
        List<VirtualAddress> virtualAddresses,
        Announcements announcements,
        boolean lowerPrioNoAdvert,
        UnicastPeers unicast,
        Duration preemptDelay,
        List<VirtualAddress> excludedAddresses,
        List<VirtualRoute> virtualRoutes,
        Vmac vmac,
        boolean accept,
        Tracking tracking,
        Notify notifyScripts,
        boolean skipCheckAdvAddr) {

    /** RFC 3768 section 5.3.7 / RFC 5798 section 5.2.4: the address owner's priority. */
    public static final int PRIORITY_OWNER = 255;

    public VirtualRouterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(authPassword, "authPassword");
        checkName(name);
        checkInterfaceName(interfaceName);
        checkVirtualRouterId(virtualRouterId);
        checkPriority(priority);
        checkAdvertInterval(version, advertInterval);
        checkInitialState(initialState);
        authPassword.ifPresent(p -> checkAuthPassword(version, p));
        virtualAddresses = List.copyOf(virtualAddresses);
        checkVirtualAddresses(version, virtualAddresses);
        Objects.requireNonNull(announcements, "announcements");
        Objects.requireNonNull(unicast, "unicast");
        checkUnicastFamily(virtualAddresses.get(0).isIpv4(), unicast);
        checkPreemptDelay(preemptDelay, preempt, initialState);
        excludedAddresses = List.copyOf(excludedAddresses);
        virtualRoutes = List.copyOf(virtualRoutes);
        checkExcludedAddresses(virtualAddresses, excludedAddresses);
        for (VirtualAddress a : allAddresses(virtualAddresses, excludedAddresses)) {
            a.checkLabel(interfaceName);
        }
        Objects.requireNonNull(vmac, "vmac");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(notifyScripts, "notifyScripts");
        if (virtualRoutes.stream().distinct().count() != virtualRoutes.size()) {
            throw new IllegalArgumentException("virtual-routes lists the same route twice");
        }
    }

    /** Without keepalived's skip_check_adv_addr: every advert's address list is checked. */
    public VirtualRouterConfig(String name, String interfaceName, int virtualRouterId, int priority, VrrpVersion version,
            Duration advertInterval, VrrpState initialState, boolean preempt, Optional<String> authPassword,
            List<VirtualAddress> virtualAddresses, Announcements announcements, boolean lowerPrioNoAdvert,
            UnicastPeers unicast, Duration preemptDelay, List<VirtualAddress> excludedAddresses,
            List<VirtualRoute> virtualRoutes, Vmac vmac, boolean accept, Tracking tracking, Notify notifyScripts) {
        this(name, interfaceName, virtualRouterId, priority, version, advertInterval, initialState, preempt,
                authPassword, virtualAddresses, announcements, lowerPrioNoAdvert, unicast, preemptDelay,
                excludedAddresses, virtualRoutes, vmac, accept, tracking, notifyScripts, false);
    }

    /**
     * keepalived's virtual_ipaddress_excluded: added and removed with the state like the virtual
     * addresses, but not carried in adverts, so they may be many, and of either family (IPv6
     * addresses on an IPv4 instance are the usual case).
     */
    public static void checkExcludedAddresses(List<VirtualAddress> virtual, List<VirtualAddress> excluded) {
        java.util.Set<InetAddress> seen = new java.util.HashSet<>();
        for (VirtualAddress a : allAddresses(virtual, excluded)) {
            if (!seen.add(a.address())) {
                throw new IllegalArgumentException(a.address().getHostAddress()
                        + " is listed twice among virtual-ipaddress and virtual-ipaddress-excluded");
            }
        }
    }

    private static List<VirtualAddress> allAddresses(List<VirtualAddress> virtual, List<VirtualAddress> excluded) {
        List<VirtualAddress> all = new java.util.ArrayList<>(virtual);
        all.addAll(excluded);
        return all;
    }

    /** What the instance adds on becoming master: its virtual addresses, then the excluded ones. */
    public List<VirtualAddress> allAddresses() {
        return allAddresses(virtualAddresses, excludedAddresses);
    }

    /**
     * keepalived's preempt_delay: a backup that may preempt lets a lower-priority master be for
     * this long after first hearing it. keepalived clears it with a warning under nopreempt and
     * state MASTER, where it cannot work; here either is an error.
     */
    public static void checkPreemptDelay(Duration delay, boolean preempt, VrrpState initialState) {
        if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofSeconds(1000)) > 0) {
            throw new IllegalArgumentException("preempt-delay must be 0s..1000s, got " + delay);
        }
        if (!delay.isZero() && !preempt) {
            throw new IllegalArgumentException("preempt-delay has no effect with preempt = false (keepalived's nopreempt)");
        }
        if (!delay.isZero() && initialState == VrrpState.MASTER) {
            throw new IllegalArgumentException("preempt-delay has no effect with state = MASTER, as in keepalived");
        }
    }

    /** A config with keepalived's defaults for everything the minimal shape leaves out. */
    public static VirtualRouterConfig of(String name, String interfaceName, int virtualRouterId, int priority,
            VrrpVersion version, Duration advertInterval, VrrpState initialState, boolean preempt,
            Optional<String> authPassword, List<VirtualAddress> virtualAddresses) {
        return new VirtualRouterConfig(name, interfaceName, virtualRouterId, priority, version, advertInterval,
                initialState, preempt, authPassword, virtualAddresses, Announcements.DEFAULTS, false, UnicastPeers.NONE,
                Duration.ZERO, List.of(), List.of(), Vmac.NONE, true, Tracking.NONE, Notify.NONE);
    }

    public static void checkName(String name) {
        if (name.isBlank() || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("instance name \"" + name
                    + "\" must be letters, digits, '_', '-' or '.'");
        }
    }

    public static void checkInterfaceName(String interfaceName) {
        // IFNAMSIZ is 16 including the terminating NUL.
        if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() > 15
                || interfaceName.contains("/") || interfaceName.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("\"" + interfaceName + "\" is not a valid interface name (1 to 15 characters, no '/' or spaces)");
        }
    }

    public static void checkVirtualRouterId(int vrid) {
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("virtual-router-id must be 1..255, got " + vrid);
        }
    }

    /** 255 is allowed for the address owner; 0 is reserved for the master's resignation (RFC 5798 section 5.2.4). */
    public static void checkPriority(int priority) {
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority must be 1..255, got " + priority);
        }
    }

    /** VRRPv2 carries whole seconds in 8 bits; VRRPv3 carries centiseconds in 12 bits (10 ms .. 40.95 s). */
    public static void checkAdvertInterval(VrrpVersion version, Duration interval) {
        if (interval == null) {
            throw new IllegalArgumentException("advert-interval is missing");
        }
        if (version == VrrpVersion.V2) {
            if (interval.getNano() != 0 || interval.getSeconds() < 1 || interval.getSeconds() > 255) {
                throw new IllegalArgumentException("advert-interval for version 2 must be whole seconds 1s..255s, got "
                        + describe(interval));
            }
        } else {
            long millis = interval.toMillis();
            if (interval.toNanos() % 10_000_000L != 0 || millis < 10 || millis > 40_950) {
                throw new IllegalArgumentException("advert-interval for version 3 must be 10ms..40950ms in steps of 10ms, got "
                        + describe(interval));
            }
        }
    }

    public static void checkInitialState(VrrpState state) {
        if (state != VrrpState.MASTER && state != VrrpState.BACKUP) {
            throw new IllegalArgumentException("state must be MASTER or BACKUP, got " + state);
        }
    }

    /** RFC 3768 simple text authentication: up to 8 octets; VRRPv3 removed authentication (RFC 5798 section 9). */
    public static void checkAuthPassword(VrrpVersion version, String password) {
        if (version != VrrpVersion.V2) {
            throw new IllegalArgumentException("authentication is only defined for version 2 (RFC 5798 removed it)");
        }
        if (password.isEmpty() || password.length() > 8) {
            throw new IllegalArgumentException("authentication password must be 1..8 characters, got "
                    + password.length());
        }
        if (!password.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("authentication password must be printable ASCII");
        }
    }

    public static void checkVirtualAddresses(VrrpVersion version, List<VirtualAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("virtual-ipaddress must list at least one address");
        }
        if (addresses.size() > 255) {
            throw new IllegalArgumentException("virtual-ipaddress lists " + addresses.size()
                    + " addresses; an advertisement carries at most 255");
        }
        boolean ipv4 = addresses.get(0).isIpv4();
        for (VirtualAddress a : addresses) {
            if (a.isIpv4() != ipv4) {
                throw new IllegalArgumentException("virtual-ipaddress mixes IPv4 and IPv6 (" + addresses.get(0) + ", " + a
                        + "); an instance advertises one family");
            }
        }
        if (!ipv4 && version == VrrpVersion.V2) {
            throw new IllegalArgumentException("IPv6 virtual addresses need version 3 (RFC 3768 is IPv4 only)");
        }
        if (addresses.stream().map(VirtualAddress::address).distinct().count() != addresses.size()) {
            throw new IllegalArgumentException("virtual-ipaddress lists the same address twice");
        }
    }

    /** Adverts carry the virtual addresses' family, so the peers and the source must be of it too. */
    public static void checkUnicastFamily(boolean ipv4, UnicastPeers unicast) {
        String family = ipv4 ? "IPv4" : "IPv6";
        unicast.sourceAddress().ifPresent(a -> {
            if ((a instanceof java.net.Inet4Address) != ipv4) {
                throw new IllegalArgumentException("unicast-src-ip " + a.getHostAddress() + " is not " + family
                        + ", the family of the virtual addresses");
            }
        });
        for (java.net.InetAddress p : unicast.peers()) {
            if ((p instanceof java.net.Inet4Address) != ipv4) {
                throw new IllegalArgumentException("unicast-peers: " + p.getHostAddress() + " is not " + family
                        + ", the family of the virtual addresses");
            }
        }
    }

    /** Whether the instance runs over IPv6 (its addresses are IPv6). */
    public boolean isIpv6() {
        return !virtualAddresses.get(0).isIpv4();
    }

    /**
     * RFC 5798 section 5.2.9 asks that an IPv6 instance's first address be link-local;
     * keepalived 2.2.7 warns (outside strict mode) when it is not, for multicast instances.
     */
    public boolean firstIpv6AddressNotLinkLocal() {
        return isIpv6() && !unicast.isUnicast() && !virtualAddresses.get(0).address().isLinkLocalAddress();
    }

    /** The same instance running on {@code interfaceName} with these addresses (the VMAC's runtime form). */
    public VirtualRouterConfig onInterface(String interfaceName, List<VirtualAddress> virtualAddresses,
                                           List<VirtualAddress> excludedAddresses) {
        return new VirtualRouterConfig(name, interfaceName, virtualRouterId, priority, version, advertInterval,
                initialState, preempt, authPassword, virtualAddresses, announcements, lowerPrioNoAdvert, unicast,
                preemptDelay, excludedAddresses, virtualRoutes, vmac, accept, tracking, notifyScripts,
                skipCheckAdvAddr);
    }

    /** The same instance with another priority and other notify scripts. */
    public VirtualRouterConfig withPriorityAndNotify(int priority, Notify notifyScripts) {
        return withInPlaceChanges(priority, notifyScripts, virtualAddresses, excludedAddresses);
    }

    /** The same instance with what a reload changes in place: priority, notify scripts, addresses. */
    public VirtualRouterConfig withInPlaceChanges(int priority, Notify notifyScripts, List<VirtualAddress> virtualAddresses,
                                                  List<VirtualAddress> excludedAddresses) {
        return new VirtualRouterConfig(name, interfaceName, virtualRouterId, priority, version, advertInterval,
                initialState, preempt, authPassword, virtualAddresses, announcements, lowerPrioNoAdvert, unicast,
                preemptDelay, excludedAddresses, virtualRoutes, vmac, accept, tracking, notifyScripts,
                skipCheckAdvAddr);
    }

    /**
     * Whether a reload may turn this instance into {@code next} without restarting it: only the
     * priority (neither of them the address owner's, whose role differs), the notify scripts and
     * the addresses differ. Addresses change in place when they stay of one family on the
     * instance's own interface (no VMAC, no accept-mode drop rules) and an address kept keeps its
     * options; anything else restarts the instance.
     */
    public boolean changesInPlaceTo(VirtualRouterConfig next) {
        if (isAddressOwner() || next.isAddressOwner()
                || !withInPlaceChanges(next.priority(), next.notifyScripts(), next.virtualAddresses(),
                next.excludedAddresses()).equals(next)) {
            return false;
        }
        if (allAddresses().equals(next.allAddresses())) {
            return true;
        }
        if (isIpv6() != next.isIpv6() || vmac.enabled() || dropsTrafficToItsAddresses()) {
            return false;
        }
        java.util.Map<InetAddress, VirtualAddress> before = new java.util.HashMap<>();
        allAddresses().forEach(a -> before.put(a.address(), a));
        for (VirtualAddress a : next.allAddresses()) {
            VirtualAddress old = before.get(a.address());
            if (!a.deviceOr(interfaceName).equals(interfaceName) || old != null && !old.equals(a)) {
                return false;
            }
        }
        return true;
    }

    /** The same instance with other tracking (a sync group's, merged). */
    public VirtualRouterConfig withTracking(Tracking tracking) {
        return new VirtualRouterConfig(name, interfaceName, virtualRouterId, priority, version, advertInterval,
                initialState, preempt, authPassword, virtualAddresses, announcements, lowerPrioNoAdvert, unicast,
                preemptDelay, excludedAddresses, virtualRoutes, vmac, accept, tracking, notifyScripts,
                skipCheckAdvAddr);
    }

    /**
     * RFC 5798's Accept_Mode off (keepalived's no_accept): as a master that does not own the
     * addresses, traffic to them is dropped, except neighbour discovery.
     */
    public boolean dropsTrafficToItsAddresses() {
        return !accept && priority != PRIORITY_OWNER;
    }

    /** keepalived's garp_master_delay. */
    public Duration garpMasterDelay() {
        return announcements.masterDelay();
    }

    /** keepalived's garp_master_repeat. */
    public int garpMasterRepeat() {
        return announcements.masterRepeat();
    }

    /** The advertisement interval as carried on the wire: seconds for v2, centiseconds for v3. */
    public int advertIntervalWireValue() {
        return version == VrrpVersion.V2 ? (int) advertInterval.getSeconds() : (int) (advertInterval.toMillis() / 10);
    }

    public boolean isAddressOwner() {
        return priority == PRIORITY_OWNER;
    }

    private static String describe(Duration d) {
        return d.toMillis() + "ms";
    }
}
