package appliance.config;

import appliance.vrrp.ScriptUser;
import appliance.vrrp.VrrpGlobals;
import appliance.vrrp.VrrpScript;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * keepalived's global_defs as far as VRRP uses them ({@code global { notify-fifo,
 * enable-script-security, script-user }}) and its {@code vrrp_script} blocks
 * ({@code vrrp.scripts { NAME { script, interval, timeout, weight, reverse, rise, fall, user,
 * init-fail } }}), keepalived's defaults: interval 1s, timeout the interval, weight 0, rise and
 * fall 1.
 */
final class VrrpGlobalsReader {

    static final Set<String> GLOBAL_KEYS = Set.of("notify-fifo", "enable-script-security", "script-user");
    static final Set<String> SCRIPT_KEYS = Set.of("script", "interval", "timeout", "weight", "reverse", "rise", "fall",
            "user", "init-fail");

    private final AddressReader.Problems problems;
    private final BiConsumer<String, ConfigOrigin> origins;

    VrrpGlobalsReader(AddressReader.Problems problems, BiConsumer<String, ConfigOrigin> origins) {
        this.problems = problems;
        this.origins = origins;
    }

    /** Null when anything is wrong (all of it reported). */
    VrrpGlobals read(Config root) {
        Optional<Path> fifo = Optional.empty();
        Boolean security = false;
        Optional<ScriptUser> user = Optional.empty();
        boolean ok = true;
        if (root.hasPath("global")) {
            ConfigValue g = root.getValue("global");
            if (g.valueType() != ConfigValueType.OBJECT) {
                problems.problem(g.origin(), "global", "must be an object, got " + HoconConfigReader.describe(g));
                return null;
            }
            KeyReader global = new KeyReader(problems, "global", (ConfigObject) g);
            problems.unknownKeys(global.object, "global", GLOBAL_KEYS);
            String fifoPath = global.string("notify-fifo", "", p -> {
                if (!p.startsWith("/")) {
                    throw new IllegalArgumentException("must be an absolute path, got \"" + p + "\"");
                }
            });
            fifo = fifoPath == null || fifoPath.isEmpty() ? Optional.empty() : Optional.of(Path.of(fifoPath));
            security = global.bool("enable-script-security", false);
            String u = global.string("script-user", "", ScriptUser::parse);
            user = u == null || u.isEmpty() ? Optional.empty() : Optional.of(ScriptUser.parse(u));
            ok = fifoPath != null && security != null && u != null;
        }
        Map<String, VrrpScript> scripts = scripts(root);
        if (!ok || scripts == null) {
            return null;
        }
        return new VrrpGlobals(fifo, scripts, security, user);
    }

    private Map<String, VrrpScript> scripts(Config root) {
        if (!root.hasPath("vrrp.scripts")) {
            return Map.of();
        }
        ConfigValue v = root.getValue("vrrp.scripts");
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.problem(v.origin(), "vrrp.scripts", "must be an object of named scripts like"
                    + " { check_server { script = \"/usr/local/bin/check.sh\", interval = 2s, weight = -20 } }, got "
                    + HoconConfigReader.describe(v));
            return null;
        }
        Map<String, VrrpScript> scripts = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
            String path = "vrrp.scripts." + e.getKey();
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.problem(e.getValue().origin(), path, "must be an object, got "
                        + HoconConfigReader.describe(e.getValue()));
                ok = false;
                continue;
            }
            VrrpScript s = script(e.getKey(), path, (ConfigObject) e.getValue());
            if (s == null) {
                ok = false;
            } else {
                scripts.put(s.name(), s);
            }
        }
        return ok ? scripts : null;
    }

    private VrrpScript script(String name, String path, ConfigObject object) {
        KeyReader r = new KeyReader(problems, path, object);
        problems.unknownKeys(object, path, SCRIPT_KEYS);
        origins.accept(path, object.origin());
        for (String key : SCRIPT_KEYS) {
            if (r.config.hasPath(key)) {
                origins.accept(path + "." + key, r.config.getValue(key).origin());
            }
        }
        String command = r.string("script", null, appliance.vrrp.Notify::split);
        Duration interval = r.duration("interval", Duration.ofSeconds(1));
        Duration timeout = r.duration("timeout", Duration.ZERO);
        Integer weight = r.integer("weight", 0, VrrpScript::checkWeight);
        Boolean reverse = r.bool("reverse", false);
        Integer rise = r.integer("rise", 1, n -> atLeastOne("rise", n));
        Integer fall = r.integer("fall", 1, n -> atLeastOne("fall", n));
        String user = r.string("user", "", ScriptUser::parse);
        Boolean initFail = r.bool("init-fail", false);
        if (command == null || interval == null || timeout == null || weight == null || reverse == null || rise == null
                || fall == null || user == null || initFail == null) {
            return null;
        }
        try {
            return new VrrpScript(name, command, interval, timeout.isZero() ? Optional.empty() : Optional.of(timeout),
                    weight, reverse, rise, fall, user.isEmpty() ? Optional.empty() : Optional.of(ScriptUser.parse(user)),
                    initFail);
        } catch (IllegalArgumentException e) {
            problems.problem(object.origin(), path, e.getMessage());
            return null;
        }
    }

    private static void atLeastOne(String key, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + n);
        }
    }
}
