package appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;

/**
 * Typed, checked reads of one HOCON object's keys: each wrong or missing key is reported with its
 * origin and full path (and read as null) instead of throwing, so that one run reports them all.
 */
class KeyReader {

    final AddressReader.Problems problems;
    final String path;
    final ConfigObject object;
    final Config config;

    KeyReader(AddressReader.Problems problems, String path, ConfigObject object) {
        this.problems = problems;
        this.path = path;
        this.object = object;
        this.config = object.toConfig();
    }

    String string(String key, String defaultValue, java.util.function.Consumer<String> rule) {
        if (!config.hasPath(key)) {
            return missing(key, defaultValue);
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() != ConfigValueType.STRING) {
            problems.problem(v.origin(), path + "." + key, "must be a string, got " + describe(v));
            return null;
        }
        String s = (String) v.unwrapped();
        return check(key, () -> rule.accept(s)) ? s : null;
    }

    Integer integer(String key, Integer defaultValue, java.util.function.IntConsumer rule) {
        if (!config.hasPath(key)) {
            return missing(key, defaultValue);
        }
        ConfigValue v = config.getValue(key);
        Object raw = v.unwrapped();
        if (v.valueType() != ConfigValueType.NUMBER || !(raw instanceof Integer)) {
            problems.problem(v.origin(), path + "." + key, "must be a whole number, got " + describe(v));
            return null;
        }
        int i = (Integer) raw;
        return check(key, () -> rule.accept(i)) ? i : null;
    }

    Boolean bool(String key, Boolean defaultValue) {
        if (!config.hasPath(key)) {
            return missing(key, defaultValue);
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() != ConfigValueType.BOOLEAN) {
            problems.problem(v.origin(), path + "." + key, "must be true or false, got " + describe(v));
            return null;
        }
        return (Boolean) v.unwrapped();
    }

    Duration duration(String key, Duration defaultValue) {
        if (!config.hasPath(key)) {
            return missing(key, defaultValue);
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() != ConfigValueType.STRING) {
            // HOCON reads a bare number as milliseconds; keepalived reads advert_int 1 as seconds.
            // Refuse to guess.
            problems.problem(v.origin(), path + "." + key, "needs a unit, e.g. 1s or 100ms (got " + describe(v) + ")");
            return null;
        }
        try {
            return config.getDuration(key);
        } catch (com.typesafe.config.ConfigException e) {
            problems.problem(v.origin(), path + "." + key, "\"" + v.unwrapped() + "\" is not a duration like 1s or 100ms");
            return null;
        }
    }

    <T> T missing(String key, T defaultValue) {
        if (defaultValue == null) {
            problems.problem(object.origin(), path + "." + key, "missing");
        }
        return defaultValue;
    }

    boolean check(String key, Runnable rule) {
        try {
            rule.run();
            return true;
        } catch (IllegalArgumentException e) {
            ConfigOrigin o = config.hasPath(key) ? config.getValue(key).origin() : object.origin();
            problems.problem(o, path + "." + key, e.getMessage());
            return false;
        }
    }

    static String describe(ConfigValue v) {
        return HoconConfigReader.describe(v);
    }
}
