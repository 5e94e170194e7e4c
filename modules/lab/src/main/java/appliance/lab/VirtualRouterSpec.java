package appliance.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP instance as the lab configures it, for the appliance and for keepalived alike.
 * Immutable; copy with the {@code with...} methods. Validated as keepalived would: VRID and
 * priority 1..255, v2 intervals in whole seconds, v3 in centiseconds, authentication v2 only.
 *
 * @param instance         instance name as it appears in the logs, {@code VI_1}
 * @param interfaceName    the interface, {@code e0} in the lab
 * @param vrid             virtual router id
 * @param priority         1..255
 * @param version          2 or 3
 * @param advertInterval   advertisement interval
 * @param preempt          whether a higher-priority backup takes over from a lower-priority master
 * @param authPassword     PASS authentication password (v2), or null for none
 * @param virtualAddresses addresses with prefix length, {@code 10.99.0.100/24}
 * @param initialState     MASTER or BACKUP
 */
public record VirtualRouterSpec(String instance, String interfaceName, int vrid, int priority, int version,
                                Duration advertInterval, boolean preempt, String authPassword,
                                List<String> virtualAddresses, VrrpState initialState, List<String> unicastPeers,
                                Duration preemptDelay, int unicastTtl, List<Option> options) {

    /**
     * A keyword the record has no field for, in both configuration languages: a HOCON line for the
     * appliance's instance block and a keepalived.conf line for keepalived's ({@code null} for none).
     */
    public record Option(String hocon, String keepalived, boolean topLevel) {
        public Option(String hocon, String keepalived) {
            this(hocon, keepalived, false);
        }
    }

    public static final String DEFAULT_VIP = "10.99.0.100/24";
    public static final String DEFAULT_VIP6 = "fd00:99::100/64";

    public VirtualRouterSpec {
        Objects.requireNonNull(instance);
        Objects.requireNonNull(interfaceName);
        Objects.requireNonNull(advertInterval);
        virtualAddresses = List.copyOf(virtualAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        Objects.requireNonNull(preemptDelay);
        options = List.copyOf(options);
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("virtual router id must be 1..255: " + vrid);
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority must be 1..255: " + priority);
        }
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version must be 2 or 3: " + version);
        }
        long millis = advertInterval.toMillis();
        if (version == 2 && (millis < 1000 || millis % 1000 != 0 || millis > 255_000)) {
            throw new IllegalArgumentException("VRRPv2 advert interval is 1..255 whole seconds: " + advertInterval);
        }
        if (version == 3 && (millis < 10 || millis % 10 != 0 || millis > 40_950)) {
            throw new IllegalArgumentException("VRRPv3 advert interval is 10 ms..40.95 s in 10 ms steps: "
                    + advertInterval);
        }
        if (authPassword != null && (version != 2 || authPassword.isEmpty() || authPassword.length() > 8)) {
            throw new IllegalArgumentException("PASS authentication is VRRPv2 only, 1..8 characters");
        }
        if (virtualAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one virtual address");
        }
        if (initialState != VrrpState.MASTER && initialState != VrrpState.BACKUP) {
            throw new IllegalArgumentException("initial state is MASTER or BACKUP: " + initialState);
        }
    }

    /** VI_1 on e0, VRID 51, priority 100, preempt, no authentication, 10.99.0.100/24, BACKUP. */
    public static VirtualRouterSpec v3(Duration advertInterval) {
        return new VirtualRouterSpec("VI_1", Host.INTERFACE, 51, 100, 3, advertInterval, true, null,
                List.of(DEFAULT_VIP), VrrpState.BACKUP, List.of(), Duration.ZERO, 0, List.of());
    }

    /** As {@link #v3} but VRRPv2. */
    public static VirtualRouterSpec v2(Duration advertInterval) {
        return v3(Duration.ofSeconds(1)).withVersion(2, advertInterval);
    }

    public VirtualRouterSpec withVersion(int version, Duration advertInterval) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /** On another interface (a host in the initial namespace has no {@code e0}). */
    public VirtualRouterSpec withInterface(String interfaceName) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    public VirtualRouterSpec withVrid(int vrid) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    public VirtualRouterSpec withPriority(int priority) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    public VirtualRouterSpec withPreempt(boolean preempt) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /** PASS authentication with this password; null for none. */
    public VirtualRouterSpec withAuthPassword(String authPassword) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    public VirtualRouterSpec withVirtualAddresses(String... virtualAddresses) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, List.of(virtualAddresses), initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    public VirtualRouterSpec withInitialState(VrrpState initialState) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /**
     * Adverts unicast to these lab hosts' addresses instead of multicast (keepalived's
     * unicast_peer); each node leaves its own address out of the list it is given.
     */
    public VirtualRouterSpec withUnicastPeers(String... addresses) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, List.of(addresses), preemptDelay, unicastTtl, options);
    }

    /** keepalived's unicast_ttl (1..255); 0 leaves it out of the configuration. */
    public VirtualRouterSpec withUnicastTtl(int unicastTtl) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /** keepalived's preempt_delay: a lower-priority master is let be this long before being preempted. */
    public VirtualRouterSpec withPreemptDelay(Duration preemptDelay) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /** With one more keyword: {@code hocon} in the appliance's instance, {@code keepalived} in keepalived's. */
    public VirtualRouterSpec withOption(String hocon, String keepalived) {
        List<Option> more = new java.util.ArrayList<>(options);
        more.add(new Option(hocon, keepalived));
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, more);
    }

    /**
     * With a block beside the instance rather than in it ({@code vrrp.scripts { ... }} and
     * keepalived's {@code vrrp_script NAME { ... }}); either may be {@code null}.
     */
    public VirtualRouterSpec withBlock(String hocon, String keepalived) {
        List<Option> more = new java.util.ArrayList<>(options);
        more.add(new Option(hocon, keepalived, true));
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, more);
    }

    /** The unicast peers {@code host} is configured with: all but its own addresses. */
    List<String> peersOf(Host host) {
        return unicastPeers.stream().filter(a -> host == null || !a.equals(host.address()) && !a.equals(host.address6()))
                .toList();
    }

    /** Whether its addresses are IPv6 (then it runs VRRPv3 over IPv6). */
    public boolean isIpv6() {
        return virtualAddresses.get(0).contains(":");
    }

    /** VI_6 on e0, VRID 61, VRRPv3 over IPv6, priority 100, preempt, fd00:99::100/64, BACKUP. */
    public static VirtualRouterSpec v3Ipv6(Duration advertInterval) {
        return v3(advertInterval).withVirtualAddresses(DEFAULT_VIP6).withVrid(61).withInstance("VI_6");
    }

    public VirtualRouterSpec withInstance(String instance) {
        return new VirtualRouterSpec(instance, interfaceName, vrid, priority, version, advertInterval, preempt,
                authPassword, virtualAddresses, initialState, unicastPeers, preemptDelay, unicastTtl, options);
    }

    /** The first virtual address without its prefix length, what a client pings. */
    public String primaryAddress() {
        String first = virtualAddresses.get(0);
        int slash = first.indexOf('/');
        return slash < 0 ? first : first.substring(0, slash);
    }

    /** This router's Skew_Time when it is a backup. */
    public Duration skewTime() {
        return ProtocolTimes.skewTime(version, priority, advertInterval);
    }

    /** This router's Master_Down_Interval when it is a backup. */
    public Duration masterDownInterval() {
        return ProtocolTimes.masterDownInterval(version, priority, advertInterval);
    }

    /** {@code VRRPv3, 100 ms adverts}. */
    public String describe() {
        long ms = advertInterval.toMillis();
        return "VRRPv" + version + ", " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " adverts"
                + (authPassword == null ? "" : ", PASS authentication")
                + (isIpv6() ? ", IPv6" : "")
                + (unicastPeers.isEmpty() ? "" : ", unicast");
    }
}
