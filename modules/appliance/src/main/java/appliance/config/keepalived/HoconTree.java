package appliance.config.keepalived;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HOCON document a keepalived.conf becomes, built key by key: each value carries the file and
 * line of the keyword it came from, so that the HOCON reader's errors point into keepalived.conf.
 */
final class HoconTree {

    /** An object under construction: its keys in the order written. */
    static final class Obj {
        final Origin origin;
        final Map<String, Object> entries = new LinkedHashMap<>();

        Obj(Origin origin) {
            this.origin = origin;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        void put(String key, Object value, Origin at) {
            entries.put(key, new Leaf(value, at));
        }

        /** The plain value at key, or null when there is none (or it is an object or list). */
        Object leafValue(String key) {
            Object o = entries.get(key);
            return o instanceof Leaf ? ((Leaf) o).value() : null;
        }

        /** Where the plain value at key was written (the object's own origin when there is none). */
        Origin leafOrigin(String key) {
            Object o = entries.get(key);
            return o instanceof Leaf ? ((Leaf) o).origin() : origin;
        }

        Obj object(String key, Origin at) {
            Object o = entries.get(key);
            if (o instanceof Obj) {
                return (Obj) o;
            }
            Obj created = new Obj(at);
            entries.put(key, created);
            return created;
        }

        Arr list(String key, Origin at) {
            Object o = entries.get(key);
            if (o instanceof Arr) {
                return (Arr) o;
            }
            Arr created = new Arr(at);
            entries.put(key, created);
            return created;
        }

        ConfigObject toConfig() {
            Map<String, ConfigValue> values = new LinkedHashMap<>();
            entries.forEach((k, v) -> values.put(k, convert(v)));
            return ConfigValueFactory.fromMap(values).withOrigin(origin(origin));
        }
    }

    /** A list under construction. */
    static final class Arr {
        final Origin origin;
        final List<Object> items = new ArrayList<>();

        Arr(Origin origin) {
            this.origin = origin;
        }

        void add(Object value, Origin at) {
            items.add(new Leaf(value, at));
        }

        Obj addObject(Origin at) {
            Obj o = new Obj(at);
            items.add(o);
            return o;
        }

        ConfigList toConfig() {
            List<ConfigValue> values = new ArrayList<>();
            items.forEach(v -> values.add(convert(v)));
            return ConfigValueFactory.fromIterable(values).withOrigin(origin(origin));
        }
    }

    private record Leaf(Object value, Origin origin) {
    }

    private HoconTree() {
    }

    private static ConfigValue convert(Object v) {
        if (v instanceof Obj) {
            return ((Obj) v).toConfig();
        }
        if (v instanceof Arr) {
            return ((Arr) v).toConfig();
        }
        Leaf leaf = (Leaf) v;
        return ConfigValueFactory.fromAnyRef(leaf.value()).withOrigin(origin(leaf.origin()));
    }

    static ConfigOrigin origin(Origin o) {
        return ConfigOriginFactory.newFile(o.file()).withLineNumber(o.line());
    }
}
