package appliance.config;

import appliance.vrrp.Scope;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRoute;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The list-valued keys that hold addresses and routes (virtual-ipaddress and its -excluded twin,
 * virtual-routes, and later the static ones): each entry a string, or an object with keepalived's
 * options. Every problem is reported with the entry's path ({@code ...virtual-routes[2].via}).
 */
final class AddressReader {

    /** Where problems go: the reader's list, with file and line from the origin. */
    interface Problems {
        void problem(ConfigOrigin origin, String path, String message);

        void unknownKeys(ConfigObject object, String path, Set<String> known);
    }

    static final Set<String> ADDRESS_KEYS = Set.of("address", "dev", "label", "scope", "brd");
    static final Set<String> ROUTE_KEYS = Set.of("to", "src", "via", "gw", "or", "dev", "scope", "table", "metric",
            "type");

    private final Problems problems;

    AddressReader(Problems problems) {
        this.problems = problems;
    }

    /** Null when any entry is wrong (each reported). */
    List<VirtualAddress> addresses(ConfigValue list, String path) {
        if (list.valueType() != ConfigValueType.LIST) {
            problems.problem(list.origin(), path, "must be a list like [\"10.99.0.100/24\"], got " + describe(list));
            return null;
        }
        List<VirtualAddress> result = new ArrayList<>();
        boolean ok = true;
        ConfigList items = (ConfigList) list;
        for (int i = 0; i < items.size(); i++) {
            VirtualAddress a = address(items.get(i), path + "[" + i + "]");
            ok &= a != null;
            if (a != null) {
                result.add(a);
            }
        }
        return ok ? result : null;
    }

    private VirtualAddress address(ConfigValue item, String path) {
        try {
            if (item.valueType() == ConfigValueType.STRING) {
                return VirtualAddress.parse((String) item.unwrapped());
            }
            if (item.valueType() != ConfigValueType.OBJECT) {
                throw new IllegalArgumentException("must be a string like \"10.99.0.100/24\" or an object like"
                        + " { address = \"10.99.0.101/24\", dev = e1 }, got " + describe(item));
            }
            ConfigObject o = (ConfigObject) item;
            problems.unknownKeys(o, path, ADDRESS_KEYS);
            String text = text(o, "address", path, true);
            VirtualAddress plain = VirtualAddress.parse(text);
            return new VirtualAddress(plain.address(), plain.prefixLength(),
                    Optional.ofNullable(text(o, "dev", path, false)),
                    Optional.ofNullable(text(o, "label", path, false)),
                    Optional.ofNullable(text(o, "scope", path, false)).map(Scope::parse).orElse(Scope.GLOBAL),
                    Optional.ofNullable(text(o, "brd", path, false)).map(VirtualAddress::parseLiteral));
        } catch (IllegalArgumentException e) {
            problems.problem(item.origin(), path, e.getMessage());
            return null;
        }
    }

    /** Null when any entry is wrong (each reported). */
    List<VirtualRoute> routes(ConfigValue list, String path) {
        if (list.valueType() != ConfigValueType.LIST) {
            problems.problem(list.origin(), path, "must be a list of routes like"
                    + " [{ to = \"10.98.0.0/16\", via = \"10.99.0.254\" }], got " + describe(list));
            return null;
        }
        List<VirtualRoute> result = new ArrayList<>();
        boolean ok = true;
        ConfigList items = (ConfigList) list;
        for (int i = 0; i < items.size(); i++) {
            VirtualRoute r = route(items.get(i), path + "[" + i + "]");
            ok &= r != null;
            if (r != null) {
                result.add(r);
            }
        }
        return ok ? result : null;
    }

    private VirtualRoute route(ConfigValue item, String path) {
        try {
            if (item.valueType() != ConfigValueType.OBJECT) {
                throw new IllegalArgumentException("must be an object like { to = \"10.98.0.0/16\", via = \"10.99.0.254\","
                        + " dev = e0 }, got " + describe(item));
            }
            ConfigObject o = (ConfigObject) item;
            problems.unknownKeys(o, path, ROUTE_KEYS);
            VirtualRoute.Prefix to = VirtualRoute.parsePrefix(text(o, "to", path, true));
            String via = text(o, "via", path, false);
            String gw = text(o, "gw", path, false);
            if (via != null && gw != null) {
                throw new IllegalArgumentException("via and gw are the same keyword: give one");
            }
            List<InetAddress> gateways = new ArrayList<>();
            if (via != null || gw != null) {
                gateways.add(VirtualAddress.parseLiteral(via != null ? via : gw));
            }
            String or = text(o, "or", path, false);
            if (or != null) {
                if (gateways.isEmpty()) {
                    throw new IllegalArgumentException("or names a second gateway: it needs via");
                }
                gateways.add(VirtualAddress.parseLiteral(or));
            }
            String type = text(o, "type", path, false);
            return new VirtualRoute(to.address(), to.length(),
                    Optional.ofNullable(text(o, "src", path, false)).map(VirtualAddress::parseLiteral), gateways,
                    Optional.ofNullable(text(o, "dev", path, false)),
                    Optional.ofNullable(text(o, "scope", path, false)).map(Scope::parse),
                    number(o, "table", VirtualRoute.TABLE_MAIN), number(o, "metric", 0),
                    type == null ? VirtualRoute.Type.UNICAST : routeType(type));
        } catch (IllegalArgumentException e) {
            problems.problem(item.origin(), path, e.getMessage());
            return null;
        }
    }

    private static VirtualRoute.Type routeType(String text) {
        for (VirtualRoute.Type t : VirtualRoute.Type.values()) {
            if (t.toString().equals(text.strip().toLowerCase(java.util.Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("type \"" + text + "\" is not one of unicast, blackhole, unreachable, prohibit");
    }

    private static String text(ConfigObject o, String key, String path, boolean required) {
        ConfigValue v = o.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException(key + " is missing");
            }
            return null;
        }
        if (v.valueType() != ConfigValueType.STRING) {
            throw new IllegalArgumentException(key + " must be a string, got " + describe(v));
        }
        return (String) v.unwrapped();
    }

    private static long number(ConfigObject o, String key, long defaultValue) {
        ConfigValue v = o.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.valueType() != ConfigValueType.NUMBER || !(v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long)) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + describe(v));
        }
        return ((Number) v.unwrapped()).longValue();
    }

    static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NULL -> "null";
            default -> v.valueType().name().toLowerCase(java.util.Locale.ROOT) + " " + v.render();
        };
    }
}
