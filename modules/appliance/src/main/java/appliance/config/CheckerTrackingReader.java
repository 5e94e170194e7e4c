package appliance.config;

import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.VirtualServer;
import appliance.vrrp.TrackedVirtualServer;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VrrpScript;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An instance's {@code track-virtual-server} and {@code track-real-server}: the checkers'
 * virtual servers and real servers it follows, each one of {@code virtual-servers}.
 */
final class CheckerTrackingReader {

    private static final Set<String> ENDPOINT = Set.of("address", "port", "protocol");
    private static final Set<String> VS_KEYS = Set.of("address", "port", "protocol", "weight", "reverse");
    private static final Set<String> RS_KEYS = Set.of("address", "port", "virtual-server", "weight", "reverse");

    private final AddressReader.Problems problems;
    /** null when virtual-servers could not be read: then any name is taken, the real problem is reported there. */
    private final List<VirtualServer> virtualServers;

    CheckerTrackingReader(AddressReader.Problems problems, List<VirtualServer> virtualServers) {
        this.problems = problems;
        this.virtualServers = virtualServers;
    }

    /** Both keys of the instance at {@code path}, in that order; null when an entry is wrong (reported). */
    List<TrackedVirtualServer> read(Config instance, String path) {
        List<TrackedVirtualServer> result = new ArrayList<>();
        boolean ok = read(instance, path, "track-virtual-server", "[{ address = \"10.97.0.100\", port = 80, weight = 0 }]",
                VS_KEYS, result, this::virtualServer);
        ok &= read(instance, path, "track-real-server", "[{ address = \"10.98.0.16\", port = 80, virtual-server ="
                + " { address = \"10.97.0.100\", port = 80 }, weight = -20 }]", RS_KEYS, result, this::realServer);
        return ok ? result : null;
    }

    private interface Entry {
        TrackedVirtualServer read(KeyReader r, int weight, boolean reverse);
    }

    private boolean read(Config instance, String path, String key, String example, Set<String> keys,
                         List<TrackedVirtualServer> result, Entry entry) {
        if (!instance.hasPath(key)) {
            return true;
        }
        ConfigValue v = instance.getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            problems.problem(v.origin(), path + "." + key, "must be a list like " + example + ", got " + KeyReader.describe(v));
            return false;
        }
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path + "." + key + "[" + i + "]";
            ConfigValue item = list.get(i);
            if (item.valueType() != ConfigValueType.OBJECT) {
                problems.problem(item.origin(), itemPath, "must be an object like " + example + ", got "
                        + KeyReader.describe(item));
                ok = false;
                continue;
            }
            problems.unknownKeys((ConfigObject) item, itemPath, keys);
            KeyReader r = new KeyReader(problems, itemPath, (ConfigObject) item);
            Integer weight = r.integer("weight", 0, VrrpScript::checkWeight);
            Boolean reverse = r.bool("reverse", false);
            TrackedVirtualServer t = weight == null || reverse == null ? null : entry.read(r, weight, reverse);
            if (t == null) {
                ok = false;
            } else {
                result.add(t);
            }
        }
        return ok;
    }

    private TrackedVirtualServer virtualServer(KeyReader r, int weight, boolean reverse) {
        String service = endpoint(r, "TCP");
        if (service == null) {
            return null;
        }
        if (virtualServers != null && virtualServers.stream().noneMatch(vs -> vs.text().equals(service))) {
            problems.problem(r.object.origin(), r.path, service + " is not one of virtual-servers" + known(
                    virtualServers.stream().map(VirtualServer::text).toList()));
            return null;
        }
        return new TrackedVirtualServer(service, weight, reverse);
    }

    /** Its virtual server named, or found: the one virtual server that has this real server. */
    private TrackedVirtualServer realServer(KeyReader r, int weight, boolean reverse) {
        String vsText = null;
        if (r.config.hasPath("virtual-server")) {
            ConfigValue v = r.config.getValue("virtual-server");
            if (v.valueType() != ConfigValueType.OBJECT) {
                problems.problem(v.origin(), r.path + ".virtual-server", "must be an object like { address ="
                        + " \"10.97.0.100\", port = 80 }, got " + KeyReader.describe(v));
                return null;
            }
            KeyReader vs = new KeyReader(problems, r.path + ".virtual-server", (ConfigObject) v);
            problems.unknownKeys(vs.object, vs.path, ENDPOINT);
            vsText = endpoint(vs, "TCP");
            if (vsText == null) {
                return null;
            }
        }
        String rsAddress = r.string("address", null, VirtualAddress::parseLiteral);
        Integer rsPort = r.integer("port", null, VirtualServersReader::port);
        if (rsAddress == null || rsPort == null) {
            return null;
        }
        if (virtualServers == null) { // reported where they are; this entry is never applied
            return new TrackedVirtualServer(vsText == null ? "?" : vsText, Optional.of(rsAddress + ":" + rsPort), weight,
                    reverse);
        }
        List<String> holders = new ArrayList<>();
        String rsText = null;
        for (VirtualServer vs : virtualServers) {
            for (RealServer rs : vs.realServers()) {
                if (rs.address().equals(VirtualAddress.parseLiteral(rsAddress)) && rs.port() == rsPort
                        && (vsText == null || vsText.equals(vs.text()))) {
                    holders.add(vs.text());
                    rsText = vs.text(rs);
                }
            }
        }
        if (holders.size() != 1) {
            String what = "[" + rsAddress + "]:" + rsPort;
            problems.problem(r.object.origin(), r.path, holders.isEmpty()
                    ? what + " is not a real server of " + (vsText == null ? "any of virtual-servers" : vsText)
                    : what + " is a real server of " + String.join(", ", holders) + ": name one in virtual-server");
            return null;
        }
        return new TrackedVirtualServer(holders.get(0), Optional.of(rsText), weight, reverse);
    }

    /** address, port and protocol (default {@code protocol}) as keepalived prints them; null when wrong. */
    private static String endpoint(KeyReader r, String protocol) {
        String address = r.string("address", null, VirtualAddress::parseLiteral);
        Integer port = r.integer("port", null, VirtualServersReader::port);
        String p = r.string("protocol", protocol, x -> {
            if (!Set.of("TCP", "UDP", "SCTP").contains(x.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("must be TCP, UDP or SCTP, got \"" + x + "\"");
            }
        });
        if (address == null || port == null || p == null) {
            return null;
        }
        return VirtualServer.endpoint(VirtualAddress.parseLiteral(address), Protocol.valueOf(p.toUpperCase(Locale.ROOT)),
                port);
    }

    private static String known(List<String> names) {
        return names.isEmpty() ? " (there are none)" : " (" + String.join(", ", new TreeSet<>(names)) + ")";
    }
}
