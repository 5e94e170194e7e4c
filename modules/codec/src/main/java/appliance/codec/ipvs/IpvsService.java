package appliance.codec.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPVS virtual service: what identifies it ({@link Key}), its scheduler (rr, wlc, mh ...), its
 * flags (IP_VS_SVC_F_*, without the kernel's internal HASHED bit), its persistence timeout in
 * seconds, its persistence netmask (an IPv4 mask as the kernel keeps it, or an IPv6 prefix length)
 * and its persistence engine ("" for none).
 */
public record IpvsService(Key key, String scheduler, int flags, int timeout, int netmask, String persistenceEngine) {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_SCTP = 132;

    public static final int F_PERSISTENT = 0x1;
    /** Set by the kernel on every service in its table; never part of what we ask for. */
    public static final int F_HASHED = 0x2;
    public static final int F_ONEPACKET = 0x4;
    public static final int F_SCHED1 = 0x8;
    public static final int F_SCHED2 = 0x10;
    public static final int F_SCHED3 = 0x20;
    /** IP_VS_SCHEDNAME_MAXLEN less its NUL. */
    public static final int MAX_SCHEDULER_NAME = 15;
    /** IP_VS_PENAME_MAXLEN less its NUL. */
    public static final int MAX_PE_NAME = 15;

    /**
     * A service's identity: a family and either a firewall mark (protocol 0, no address, port 0)
     * or a protocol, an address of that family and a port.
     */
    public record Key(int family, int protocol, InetAddress address, int port, int fwmark) {

        public Key {
            if (family != AF_INET && family != AF_INET6) {
                throw new IllegalArgumentException("an IPVS service is AF_INET (2) or AF_INET6 (10), not " + family);
            }
            if (fwmark != 0) {
                if (protocol != 0 || address != null || port != 0) {
                    throw new IllegalArgumentException("a fwmark service has no protocol, address or port");
                }
            } else {
                Objects.requireNonNull(address, "address");
                if ((family == AF_INET) != (address instanceof Inet4Address)) {
                    throw new IllegalArgumentException(address.getHostAddress() + " is not of family " + family);
                }
                if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP && protocol != IPPROTO_SCTP) {
                    throw new IllegalArgumentException("an IPVS service is TCP (6), UDP (17) or SCTP (132), not " + protocol);
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be 0..65535, was " + port);
                }
            }
        }

        public static Key of(int protocol, InetAddress address, int port) {
            return new Key(address instanceof Inet6Address ? AF_INET6 : AF_INET, protocol, address, port, 0);
        }

        public static Key fwmark(int family, int mark) {
            if (mark == 0) {
                throw new IllegalArgumentException("a fwmark service needs a mark other than 0");
            }
            return new Key(family, 0, null, 0, mark);
        }

        /** As ipvsadm -Ln prints it: {@code TCP 10.97.0.100:80}, {@code TCP [fd00::1]:80}, {@code FWM 7 IPv6}. */
        @Override
        public String toString() {
            if (fwmark != 0) {
                return "FWM " + Integer.toUnsignedString(fwmark) + (family == AF_INET6 ? " IPv6" : "");
            }
            String proto = protocol == IPPROTO_TCP ? "TCP" : protocol == IPPROTO_UDP ? "UDP" : "SCTP";
            String host = address.getHostAddress();
            return proto + " " + (family == AF_INET6 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public IpvsService {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(persistenceEngine, "persistenceEngine");
        if (scheduler.isEmpty() || scheduler.length() > MAX_SCHEDULER_NAME) {
            throw new IllegalArgumentException("a scheduler name has 1 to " + MAX_SCHEDULER_NAME + " characters: \""
                    + scheduler + "\"");
        }
        if (persistenceEngine.length() > MAX_PE_NAME) {
            throw new IllegalArgumentException("a persistence engine name has at most " + MAX_PE_NAME + " characters");
        }
        flags &= ~F_HASHED;
    }

    /** Without persistence: IPv4 mask 255.255.255.255 or IPv6 /128, as keepalived and ipvsadm send. */
    public static IpvsService of(Key key, String scheduler) {
        return new IpvsService(key, scheduler, 0, 0, key.family() == AF_INET ? 0xffffffff : 128, "");
    }
}
