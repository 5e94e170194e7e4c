package appliance.codec.ipvs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The IPVS connection sync daemon (keepalived's lvs_sync_daemon): master or backup, the interface
 * it sends or listens on, its sync id, and optionally the datagram size, multicast group, port and
 * TTL (0: the kernel's default).
 */
public record IpvsDaemon(int state, String interfaceName, int syncId, int maxLength, Optional<InetAddress> group,
                         int port, int ttl) {

    public static final int MASTER = 1;
    public static final int BACKUP = 2;
    /** IP_VS_IFNAME_MAXLEN less its NUL. */
    public static final int MAX_INTERFACE_NAME = 15;

    public IpvsDaemon {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(group, "group");
        if (state != MASTER && state != BACKUP) {
            throw new IllegalArgumentException("a sync daemon is MASTER (1) or BACKUP (2), not " + state);
        }
        if (interfaceName.isEmpty() || interfaceName.length() > MAX_INTERFACE_NAME) {
            throw new IllegalArgumentException("an interface name has 1 to " + MAX_INTERFACE_NAME + " characters");
        }
        if (syncId < 0 || syncId > 255 || maxLength < 0 || maxLength > 65535 || port < 0 || port > 65535
                || ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("sync id 0..255, max length and port 0..65535, ttl 0..255");
        }
    }

    public static IpvsDaemon of(int state, String interfaceName, int syncId) {
        return new IpvsDaemon(state, interfaceName, syncId, 0, Optional.empty(), 0, 0);
    }

    boolean ipv4Group() {
        return group.isPresent() && group.get() instanceof Inet4Address;
    }
}
