package appliance.config;

import appliance.codec.ipvs.IpvsDaemon;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouterConfig;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The global IPVS keys: {@code lvs-sync-daemon = { interface, instance, id, maxlen, port, ttl,
 * group }} (the id defaults to the instance's virtual router id, as keepalived's),
 * {@code lvs-flush}, {@code lvs-flush-on-stop}.
 */
final class IpvsSettingsReader {

    static final Set<String> GLOBAL_KEYS = Set.of("lvs-sync-daemon", "lvs-flush", "lvs-flush-on-stop");
    private static final Set<String> DAEMON_KEYS = Set.of("interface", "instance", "id", "maxlen", "port", "ttl", "group");

    private final AddressReader.Problems problems;

    IpvsSettingsReader(AddressReader.Problems problems) {
        this.problems = problems;
    }

    /** Null when something was wrong (reported); {@code instances} null when they could not be read. */
    IpvsSettings read(Config root, List<VirtualRouterConfig> instances) {
        if (!root.hasPath("global") || root.getValue("global").valueType() != ConfigValueType.OBJECT) {
            return IpvsSettings.NONE;
        }
        KeyReader g = new KeyReader(problems, "global", root.getObject("global"));
        Boolean flush = g.bool("lvs-flush", false);
        Boolean flushOnStop = g.bool("lvs-flush-on-stop", false);
        Optional<IpvsSettings.SyncDaemon> daemon = Optional.empty();
        if (g.config.hasPath("lvs-sync-daemon")) {
            IpvsSettings.SyncDaemon d = daemon(g.config.getValue("lvs-sync-daemon"), instances);
            if (d == null) {
                return null;
            }
            daemon = Optional.of(d);
        }
        return flush == null || flushOnStop == null ? null : new IpvsSettings(daemon, flush, flushOnStop);
    }

    private IpvsSettings.SyncDaemon daemon(ConfigValue v, List<VirtualRouterConfig> instances) {
        String path = "global.lvs-sync-daemon";
        String example = "{ interface = eth0, instance = VI_1 }";
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), path, "must be an object like " + example + ", got " + KeyReader.describe(v));
            return null;
        }
        problems.unknownKeys((ConfigObject) v, path, DAEMON_KEYS);
        KeyReader r = new KeyReader(problems, path, (ConfigObject) v);
        String ifname = r.string("interface", null, n -> {
            if (n.isEmpty() || n.length() > IpvsDaemon.MAX_INTERFACE_NAME) {
                throw new IllegalArgumentException("an interface name has 1 to " + IpvsDaemon.MAX_INTERFACE_NAME
                        + " characters, got \"" + n + "\"");
            }
        });
        String instance = r.string("instance", null, n -> {
            if (instances != null && instances.stream().noneMatch(i -> i.name().equals(n))) {
                throw new IllegalArgumentException("names no VRRP instance: " + n + (instances.isEmpty() ? " (there are none)"
                        : " (known: " + String.join(", ", instances.stream().map(VirtualRouterConfig::name).sorted().toList())
                        + ")"));
            }
        });
        int vrid = instance == null || instances == null ? 0 : instances.stream().filter(i -> i.name().equals(instance))
                .findFirst().map(VirtualRouterConfig::virtualRouterId).orElse(0);
        Integer id = r.integer("id", vrid, n -> range(n, 0, 255));
        Integer maxlen = r.integer("maxlen", 0, n -> range(n, 1, 65535 - 20 - 8));
        Integer port = r.integer("port", 0, n -> range(n, 1, 65535));
        Integer ttl = r.integer("ttl", 0, n -> range(n, 1, 255));
        String group = r.string("group", "", a -> {
            if (!VirtualAddress.parseLiteral(a).isMulticastAddress()) {
                throw new IllegalArgumentException(a + " is not a multicast address");
            }
        });
        if (ifname == null || instance == null || id == null || maxlen == null || port == null || ttl == null
                || group == null) {
            return null;
        }
        Optional<InetAddress> g = group.isEmpty() ? Optional.empty() : Optional.of(VirtualAddress.parseLiteral(group));
        return new IpvsSettings.SyncDaemon(instance, new IpvsDaemon(IpvsDaemon.BACKUP, ifname, id, maxlen, g, port, ttl));
    }

    private static void range(int n, int min, int max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be " + min + ".." + max + ", was " + n);
        }
    }
}
