package appliance.config;

import appliance.codec.vrrp.VrrpVersion;
import appliance.vrrp.Announcements;
import appliance.vrrp.UnicastPeers;
import appliance.vrrp.Notify;
import appliance.vrrp.TrackedFile;
import appliance.vrrp.SyncGroupConfig;
import appliance.vrrp.TrackedProcess;
import appliance.vrrp.TrackedVirtualServer;
import appliance.vrrp.TrackedScript;
import appliance.vrrp.VrrpProcess;
import appliance.vrrp.Tracking;
import appliance.vrrp.VrrpGlobals;
import appliance.vrrp.VrrpScript;
import appliance.vrrp.TrackedInterface;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.StaticConfig;
import appliance.vrrp.VirtualRoute;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.Vmac;
import appliance.vrrp.VrrpState;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.StringReader;
import java.nio.file.Files;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads conf/appliance.conf. Strict: unknown keys, wrong types and out-of-range values are all
 * reported, each with file, line and key path, and nothing is started from a configuration with
 * any problem. Defaults are keepalived's (priority 100, version 2, advert_int 1 s, state BACKUP,
 * preempt on), so that a keepalived user's expectations carry over.
 */
public final class HoconConfigReader {

    static final String INSTANCES = "vrrp.instances";
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("vrrp", "static-ipaddress", "static-routes", "global",
            VirtualServersReader.KEY, VirtualServersReader.GROUPS_KEY);
    private static final Set<String> VRRP_KEYS = Set.of("instances", "scripts", "processes", "sync-groups");
    private static final Set<String> SYNC_GROUP_KEYS = Set.of("group", "notify-master", "notify-backup", "notify-fault",
            "notify-stop", "notify", "track-interface", "track-file", "track-script", "track-process", "sync-group-tracking-weight");
    private static final Set<String> INSTANCE_KEYS = Set.of("interface", "virtual-router-id", "priority", "version",
            "advert-interval", "state", "preempt", "authentication", "virtual-ipaddress", "garp-master-delay",
            "garp-master-repeat", "garp-master-refresh", "garp-master-refresh-repeat", "garp-lower-prio-delay",
            "garp-lower-prio-repeat", "garp-interval", "gna-interval", "lower-prio-no-advert", "virtual-ipaddress-excluded",
            "skip-check-adv-addr", "mcast-src-ip",
            "virtual-routes", "accept", "use-vmac", "vmac-xmit-base", "track-interface", "track-file", "track-script", "track-process", "notify-master", "notify-backup",
            "notify-fault", "notify-stop", "notify", "unicast-src-ip", "unicast-peers", "check-unicast-src", "unicast-ttl",
            "preempt-delay", "smtp-alert", "track-virtual-server", "track-real-server");
    private static final Set<String> AUTH_KEYS = Set.of("type", "password");

    private final String fileName;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, ConfigProblem> origins = new HashMap<>();
    /** The vrrp.scripts that track-script may name; null when they could not be read. */
    private Map<String, VrrpScript> scripts = Map.of();
    /** The e-mail settings smtp-alert needs and its default; null when they could not be read. */
    private VrrpGlobalsReader.Mail mail;
    /** The virtual servers track-virtual-server and track-real-server may name; null when they could not be read. */
    private List<appliance.check.VirtualServer> virtualServerList = List.of();
    /** The vrrp.processes that track-process may name; null when they could not be read. */
    private Map<String, VrrpProcess> processes = Map.of();
    private final AddressReader.Problems sink = new AddressReader.Problems() {
        @Override
        public void problem(ConfigOrigin origin, String path, String message) {
            HoconConfigReader.this.problem(origin, path, message);
        }

        @Override
        public void unknownKeys(ConfigObject object, String path, Set<String> known) {
            HoconConfigReader.this.unknownKeys(object, path, known);
        }
    };
    private final AddressReader addressReader = new AddressReader(sink);

    private HoconConfigReader(String fileName) {
        this.fileName = fileName;
    }

    public static ApplianceConfig read(Path file) throws ConfigException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of(new ConfigProblem(name, 0, null,
                    Files.exists(file) ? "not a regular file" : "no such file")));
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new ConfigException(List.of(new ConfigProblem(name, 0, null, "cannot read: " + e.getMessage())));
        }
        return parse(text, name);
    }

    public static ApplianceConfig parse(String text, String fileName) throws ConfigException {
        Config root;
        try {
            root = ConfigFactory.parseReader(new StringReader(text),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(fileName)
                            .setAllowMissing(false)).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            int line = e.origin() == null ? 0 : e.origin().lineNumber();
            throw new ConfigException(List.of(new ConfigProblem(fileName, line, null, stripOrigin(e.getMessage()))));
        }
        return read(root, fileName);
    }

    /**
     * The model of a HOCON document however it was written (a file, or a keepalived.conf turned
     * into HOCON, whose values carry their keepalived.conf lines).
     */
    public static ApplianceConfig read(Config root, String fileName) throws ConfigException {
        HoconConfigReader reader = new HoconConfigReader(fileName);
        VrrpGlobalsReader globalsReader = new VrrpGlobalsReader(reader.sink,
                (path, origin) -> reader.origins.put(path, reader.locate(origin, path, "")));
        VrrpGlobals globals = globalsReader.read(root);
        VrrpGlobalsReader.Mail mail = globalsReader.mail(root);
        ThreadPriorities priorities = globalsReader.priorities(root);
        reader.mail = mail;
        reader.scripts = globals == null ? null : globals.scripts();
        reader.processes = globals == null ? null : globals.processes();
        List<appliance.check.VirtualServer> virtualServers = new VirtualServersReader(reader.sink, mail).read(root);
        reader.virtualServerList = virtualServers;
        List<VirtualRouterConfig> instances = reader.readInstances(root);
        List<SyncGroupConfig> groups = reader.readSyncGroups(root, instances);
        if (globals != null && groups != null) {
            try {
                globals = new VrrpGlobals(globals.notifyFifo(), globals.scripts(), globals.enableScriptSecurity(),
                        globals.scriptUser(), groups, globals.processes());
            } catch (IllegalArgumentException e) {
                reader.problem(root.getValue("vrrp.sync-groups").origin(), "vrrp.sync-groups", e.getMessage());
            }
        }
        StaticConfig statics = reader.readStatics(root);
        IpvsSettings ipvs = new IpvsSettingsReader(reader.sink).read(root, instances);
        List<InitFile> initFiles = new InitFilesReader(reader.sink).read(root);
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return new ApplianceConfig(instances, reader.origins, statics, globals, mail.settings(), mail.noEmailFaults(),
                mail.noCheckerEmails(), virtualServers, priorities, ipvs, initFiles);
    }

    /** keepalived's static_ipaddress and static_routes, at the top level; null when wrong (reported). */
    private StaticConfig readStatics(Config root) {
        List<VirtualAddress> addresses = root.hasPath("static-ipaddress")
                ? addressReader.addresses(root.getValue("static-ipaddress"), "static-ipaddress") : List.of();
        List<VirtualRoute> routes = root.hasPath("static-routes")
                ? addressReader.routes(root.getValue("static-routes"), "static-routes") : List.of();
        if (addresses == null || routes == null) {
            return null;
        }
        try {
            return new StaticConfig(addresses, routes);
        } catch (IllegalArgumentException e) {
            String key = root.hasPath("static-ipaddress") ? "static-ipaddress" : "static-routes";
            problem(root.getValue(key).origin(), key, e.getMessage());
            return null;
        }
    }

    /**
     * keepalived's vrrp_sync_group: {@code vrrp.sync-groups { VGM { group = [VI_1, VI_2], notify-*,
     * track-*, sync-group-tracking-weight } }}; null when wrong (reported).
     */
    private List<SyncGroupConfig> readSyncGroups(Config root, List<VirtualRouterConfig> instances) {
        if (!root.hasPath("vrrp.sync-groups")) {
            return List.of();
        }
        ConfigValue v = root.getValue("vrrp.sync-groups");
        if (v.valueType() != ConfigValueType.OBJECT) {
            problem(v.origin(), "vrrp.sync-groups", "must be an object of named groups like"
                    + " { VGM { group = [VI_1, VI_2] } }, got " + describe(v));
            return null;
        }
        Set<String> known = root.hasPath(INSTANCES) && root.getValue(INSTANCES).valueType() == ConfigValueType.OBJECT
                ? new java.util.TreeSet<>(((ConfigObject) root.getValue(INSTANCES)).keySet()) : Set.of();
        Map<String, String> groupOf = new HashMap<>();
        List<SyncGroupConfig> groups = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
            String path = "vrrp.sync-groups." + quoteIfNeeded(e.getKey());
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problem(e.getValue().origin(), path, "must be an object, got " + describe(e.getValue()));
                ok = false;
                continue;
            }
            origins.put(path, locate(e.getValue().origin(), path, ""));
            TrackingKeys r = new TrackingKeys(path, (ConfigObject) e.getValue());
            unknownKeys(r.object, path, SYNC_GROUP_KEYS);
            int before = problems.size();
            List<String> members = new ArrayList<>();
            if (!r.config.hasPath("group") || r.config.getValue("group").valueType() != ConfigValueType.LIST) {
                problem(r.config.hasPath("group") ? r.config.getValue("group").origin() : r.object.origin(),
                        path + ".group", "must be a list of instance names like [VI_1, VI_2]");
            } else {
                ConfigList list = (ConfigList) r.config.getValue("group");
                for (int i = 0; i < list.size(); i++) {
                    ConfigValue item = list.get(i);
                    String itemPath = path + ".group[" + i + "]";
                    if (item.valueType() != ConfigValueType.STRING) {
                        problem(item.origin(), itemPath, "must be an instance name, got " + describe(item));
                        continue;
                    }
                    String m = (String) item.unwrapped();
                    if (!known.contains(m)) {
                        String suggestion = nearest(m, known);
                        problem(item.origin(), itemPath, "names no instance in vrrp.instances: " + m
                                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
                    } else if (groupOf.containsKey(m)) {
                        problem(item.origin(), itemPath, "instance " + m + " is already in sync group "
                                + groupOf.get(m) + "; an instance belongs to one group at most");
                    } else {
                        groupOf.put(m, e.getKey());
                        members.add(m);
                    }
                }
            }
            Notify notify = r.notifyScripts();
            List<TrackedInterface> interfaces = r.trackInterfaces();
            List<TrackedFile> files = r.trackFiles();
            List<TrackedScript> trackedScripts = r.trackScripts();
            List<TrackedProcess> trackedProcesses = r.trackProcesses();
            Boolean weight = r.bool("sync-group-tracking-weight", false);
            if (problems.size() > before) {
                ok = false;
                continue;
            }
            try {
                groups.add(new SyncGroupConfig(e.getKey(), members, notify,
                        new Tracking(interfaces, files, trackedScripts, trackedProcesses), weight));
            } catch (IllegalArgumentException ex) {
                problem(e.getValue().origin(), path, ex.getMessage());
                ok = false;
            }
        }
        groups.sort(java.util.Comparator.comparing(SyncGroupConfig::name));
        return ok ? groups : null;
    }

    static String instancePath(String instance) {
        return INSTANCES + "." + quoteIfNeeded(instance);
    }

    private List<VirtualRouterConfig> readInstances(Config root) {
        unknownKeys(root.root(), "", TOP_LEVEL_KEYS);
        if (!root.hasPath(INSTANCES)) {
            if (!root.hasPath(VirtualServersReader.KEY)) { // checkers alone are a configuration, as keepalived -C
                problem(root.origin(), INSTANCES, "missing: the configuration defines no VRRP instance and no"
                        + " virtual server");
            }
            return List.of();
        }
        if (root.getValue("vrrp").valueType() == ConfigValueType.OBJECT) {
            unknownKeys(root.getObject("vrrp"), "vrrp", VRRP_KEYS);
        }
        ConfigValue instancesValue = root.getValue(INSTANCES);
        if (instancesValue.valueType() != ConfigValueType.OBJECT) {
            problem(instancesValue.origin(), INSTANCES, "must be an object of named instances, got "
                    + describe(instancesValue));
            return List.of();
        }
        ConfigObject instances = (ConfigObject) instancesValue;
        if (instances.isEmpty()) {
            if (!root.hasPath(VirtualServersReader.KEY)) {
                problem(instances.origin(), INSTANCES, "is empty: the configuration defines no VRRP instance and no"
                        + " virtual server");
            }
        }
        List<VirtualRouterConfig> result = new ArrayList<>();
        Map<String, String> vridOwners = new LinkedHashMap<>();
        // HOCON objects are unordered; take instances in the order they were written.
        List<Map.Entry<String, ConfigValue>> ordered = new ArrayList<>(instances.entrySet());
        ordered.sort(java.util.Comparator.comparingInt((Map.Entry<String, ConfigValue> e) ->
                e.getValue().origin().lineNumber()).thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, ConfigValue> e : ordered) {
            String name = e.getKey();
            String path = instancePath(name);
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problem(e.getValue().origin(), path, "must be an object, got " + describe(e.getValue()));
                continue;
            }
            origins.put(path, locate(e.getValue().origin(), path, ""));
            VirtualRouterConfig c = new InstanceReader(name, path, (ConfigObject) e.getValue()).read();
            // As keepalived: a VRID is unique per interface and address family. An instance with other
            // problems still takes part, so that one run reports the clash too.
            String[] identity = c != null ? new String[] {c.interfaceName(), c.isIpv6() ? "IPv6" : "IPv4",
                    Integer.toString(c.virtualRouterId())} : rawIdentity((ConfigObject) e.getValue());
            if (identity == null) {
                continue;
            }
            String other = vridOwners.putIfAbsent(String.join("/", identity), name);
            if (other != null) {
                problemAtKey(path, "virtual-router-id", "virtual-router-id " + identity[2] + " on " + identity[0] + " ("
                        + identity[1] + ") is already used by instance " + other);
            } else if (c != null) {
                result.add(c);
            }
        }
        return result;
    }

    /** Interface, family and VRID of an instance that could not be read whole; null when they cannot be told. */
    private static String[] rawIdentity(ConfigObject o) {
        ConfigValue iface = o.get("interface");
        ConfigValue vrid = o.get("virtual-router-id");
        ConfigValue addresses = o.get("virtual-ipaddress");
        if (iface == null || vrid == null || iface.valueType() != ConfigValueType.STRING
                || !(vrid.unwrapped() instanceof Integer)) {
            return null;
        }
        ConfigValue first = addresses != null && addresses.valueType() == ConfigValueType.LIST
                && !((ConfigList) addresses).isEmpty() ? ((ConfigList) addresses).get(0) : null;
        if (first != null && first.valueType() == ConfigValueType.OBJECT) {
            first = ((ConfigObject) first).get("address");
        }
        boolean ipv6 = first != null && first.valueType() == ConfigValueType.STRING
                && ((String) first.unwrapped()).contains(":");
        return new String[] {(String) iface.unwrapped(), ipv6 ? "IPv6" : "IPv4", vrid.unwrapped().toString()};
    }

    /** The keys instances and sync groups share: notify scripts and tracking. */
    private class TrackingKeys extends KeyReader {

        TrackingKeys(String path, ConfigObject object) {
            super(sink, path, object);
        }

        /** keepalived's notify_master, notify_backup, notify_fault, notify_stop and notify; null when wrong (reported). */
        Notify notifyScripts() {
            List<Optional<String>> scripts = new ArrayList<>();
            for (String key : List.of("notify-master", "notify-backup", "notify-fault", "notify-stop", "notify")) {
                String command = config.hasPath(key) ? string(key, null, c -> Notify.split(c)) : null;
                if (config.hasPath(key) && command == null) {
                    return null;
                }
                scripts.add(Optional.ofNullable(command));
            }
            Boolean smtpAlert = bool("smtp-alert", mail != null && mail.alertDefault());
            if (Boolean.TRUE.equals(smtpAlert) && mail != null && mail.settings().isEmpty()) {
                problem(config.getValue("smtp-alert").origin(), path + ".smtp-alert",
                        "needs global.smtp-server and global.notification-email");
                return null;
            }
            if (smtpAlert == null) {
                return null;
            }
            return new Notify(scripts.get(0), scripts.get(1), scripts.get(2), scripts.get(3), scripts.get(4), smtpAlert);
        }

        /** keepalived's track_file: [{ name = "/run/ha/weight", weight = 1 }]; null when wrong (reported). */
        List<TrackedFile> trackFiles() {
            return namedWeights("track-file", "[{ name = \"/run/ha/weight\", weight = 1 }]", false,
                    (name, weight) -> new TrackedFile(java.nio.file.Path.of(name), weight));
        }

        /**
         * keepalived's track_script: names of vrrp.scripts, or { name, weight, reverse } objects
         * (the weight overriding the script's); null when wrong (reported).
         */
        List<TrackedScript> trackScripts() {
            return references("track-script", "[check_server, { name = other, weight = 10 }]", scripts,
                    "script in vrrp.scripts", TrackedScript::new);
        }

        /** track-virtual-server and track-real-server, each one of virtual-servers; null when wrong (reported). */
        List<TrackedVirtualServer> trackVirtualServers() {
            return new CheckerTrackingReader(sink, virtualServerList).read(config, path);
        }

        /** keepalived's track_process: names of vrrp.processes, or { name, weight, reverse } objects. */
        List<TrackedProcess> trackProcesses() {
            return references("track-process", "[haproxy, { name = nginx, weight = -30 }]", processes,
                    "process in vrrp.processes", TrackedProcess::new);
        }

        /** The list at {@code key}: empty when absent, null when not a list (reported with {@code example}). */
        List<ConfigValue> listAt(String key, String example) {
            if (!config.hasPath(key)) {
                return List.of();
            }
            ConfigValue v = config.getValue(key);
            if (v.valueType() != ConfigValueType.LIST) {
                problem(v.origin(), path + "." + key, "must be a list like " + example + ", got " + describe(v));
                return null;
            }
            return (ConfigList) v;
        }

        /** What a reference to a named definition becomes: its name, a weight override, reverse. */
        interface Reference<T> {
            T make(String name, Optional<Integer> weight, boolean reverse);
        }

        /**
         * A list of names of definitions ({@code known}; null when they could not be read), or
         * { name, weight, reverse } objects whose weight overrides the definition's; null when an
         * entry is wrong (reported, with the nearest name).
         */
        <T> List<T> references(String key, String example, Map<String, ?> known, String what, Reference<T> make) {
            List<ConfigValue> list = listAt(key, example);
            if (list == null) {
                return null;
            }
            List<T> result = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < list.size(); i++) {
                ConfigValue item = list.get(i);
                String itemPath = path + "." + key + "[" + i + "]";
                String name = null;
                Integer weight = Integer.MIN_VALUE;
                Boolean reverse = false;
                if (item.valueType() == ConfigValueType.STRING) {
                    name = (String) item.unwrapped();
                } else if (item.valueType() == ConfigValueType.OBJECT) {
                    KeyReader r = new KeyReader(sink, itemPath, (ConfigObject) item);
                    unknownKeys(r.object, itemPath, Set.of("name", "weight", "reverse"));
                    name = r.string("name", null, n -> { });
                    weight = r.integer("weight", Integer.MIN_VALUE, VrrpScript::checkWeight);
                    reverse = r.bool("reverse", false);
                    if (Boolean.TRUE.equals(reverse) && weight != null && weight == Integer.MIN_VALUE) {
                        problem(item.origin(), itemPath, "reverse needs a weight here (keepalived's weight W reverse)");
                        reverse = null;
                    }
                } else {
                    problem(item.origin(), itemPath, "must be a name or like " + example + ", got " + describe(item));
                }
                if (name != null && known != null && !known.containsKey(name)) {
                    String suggestion = nearest(name, known.keySet());
                    problem(item.origin(), itemPath, "names no " + what + ": " + name
                            + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
                    name = null;
                }
                if (name == null || weight == null || reverse == null) {
                    ok = false;
                } else {
                    result.add(make.make(name, weight == Integer.MIN_VALUE ? Optional.empty() : Optional.of(weight), reverse));
                }
            }
            return ok ? result : null;
        }

        /** keepalived's track_interface: names, or { name, weight } objects; null when wrong (reported). */
        List<TrackedInterface> trackInterfaces() {
            return namedWeights("track-interface", "[e1, { name = e2, weight = -10 }]", true, TrackedInterface::new);
        }

        /**
         * The list-of-tracked-things shape: each entry { name = ..., weight = N } (weight 0 when
         * absent), or just the name when {@code bareName}; null when an entry is wrong (reported).
         */
        <T> List<T> namedWeights(String key, String example, boolean bareName,
                                         java.util.function.BiFunction<String, Integer, T> make) {
            List<ConfigValue> list = listAt(key, example);
            if (list == null) {
                return null;
            }
            List<T> result = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigValue item = list.get(i);
                String itemPath = path + "." + key + "[" + i + "]";
                try {
                    if (bareName && item.valueType() == ConfigValueType.STRING) {
                        result.add(make.apply((String) item.unwrapped(), 0));
                        continue;
                    }
                    if (item.valueType() != ConfigValueType.OBJECT) {
                        throw new IllegalArgumentException("must be like " + example + ", got " + describe(item));
                    }
                    ConfigObject o = (ConfigObject) item;
                    unknownKeys(o, itemPath, Set.of("name", "weight"));
                    ConfigValue name = o.get("name");
                    ConfigValue weight = o.get("weight");
                    if (name == null || name.valueType() != ConfigValueType.STRING) {
                        throw new IllegalArgumentException("name is missing or not a string");
                    }
                    if (weight != null && !(weight.unwrapped() instanceof Integer)) {
                        throw new IllegalArgumentException("weight must be a whole number, got " + describe(weight));
                    }
                    result.add(make.apply((String) name.unwrapped(), weight == null ? 0 : (Integer) weight.unwrapped()));
                } catch (IllegalArgumentException e) { // InvalidPathException included
                    problem(item.origin(), itemPath, e.getMessage());
                    return null;
                }
            }
            return result;
        }
    }

    /** Reads one instance; returns null when any of its keys has a problem (all of them reported). */
    private final class InstanceReader extends TrackingKeys {
        final String name;
        final int problemsBefore = HoconConfigReader.this.problems.size();

        InstanceReader(String name, String path, ConfigObject object) {
            super(path, object);
            this.name = name;
        }

        VirtualRouterConfig read() {
            unknownKeys(object, path, INSTANCE_KEYS);
            try {
                VirtualRouterConfig.checkName(name);
            } catch (IllegalArgumentException e) {
                problem(object.origin(), path, e.getMessage());
            }
            for (String key : INSTANCE_KEYS) {
                if (config.hasPath(key)) {
                    origins.put(path + "." + key, locate(config.getValue(key).origin(), path + "." + key, ""));
                }
            }
            String iface = string("interface", null, VirtualRouterConfig::checkInterfaceName);
            Integer vrid = integer("virtual-router-id", null, VirtualRouterConfig::checkVirtualRouterId);
            Integer priority = integer("priority", 100, VirtualRouterConfig::checkPriority);
            Integer versionNumber = integer("version", 2, v -> {
                if (v != 2 && v != 3) {
                    throw new IllegalArgumentException("version must be 2 or 3, got " + v);
                }
            });
            VrrpVersion version = versionNumber == null ? null : VrrpVersion.of(versionNumber);
            Duration interval = duration("advert-interval", Duration.ofSeconds(1));
            if (interval != null && version != null) {
                check("advert-interval", () -> VirtualRouterConfig.checkAdvertInterval(version, interval));
            }
            VrrpState state = initialState();
            Boolean preempt = bool("preempt", true);
            Optional<String> password = authentication(version);
            List<VirtualAddress> vips = virtualAddresses(version);
            Announcements announcements = announcements();
            Boolean lowerPrioNoAdvert = bool("lower-prio-no-advert", false);
            Boolean skipCheckAdvAddr = bool("skip-check-adv-addr", false);
            List<VirtualAddress> excluded = config.hasPath("virtual-ipaddress-excluded")
                    ? addressReader.addresses(config.getValue("virtual-ipaddress-excluded"), path + ".virtual-ipaddress-excluded")
                    : List.of();
            List<VirtualRoute> routes = config.hasPath("virtual-routes")
                    ? addressReader.routes(config.getValue("virtual-routes"), path + ".virtual-routes")
                    : List.of();
            Vmac vmac = vmac();
            Boolean accept = bool("accept", true);
            List<TrackedInterface> tracked = trackInterfaces();
            List<TrackedFile> trackedFiles = trackFiles();
            List<TrackedScript> trackedScripts = trackScripts();
            List<TrackedProcess> trackedProcesses = trackProcesses();
            List<TrackedVirtualServer> trackedVirtualServers = trackVirtualServers();
            Notify notify = notifyScripts();
            UnicastPeers unicast = unicast();
            Duration preemptDelay = duration("preempt-delay", Duration.ZERO);
            if (preemptDelay != null && preempt != null && state != null) {
                check("preempt-delay", () -> VirtualRouterConfig.checkPreemptDelay(preemptDelay, preempt, state));
            }
            if (HoconConfigReader.this.problems.size() > problemsBefore) {
                return null;
            }
            try {
                return new VirtualRouterConfig(name, iface, vrid, priority, version, interval, state, preempt, password,
                        vips, announcements, lowerPrioNoAdvert, unicast, preemptDelay, excluded, routes, vmac,
                        accept, new Tracking(tracked, trackedFiles, trackedScripts, trackedProcesses,
                                trackedVirtualServers), notify, skipCheckAdvAddr);
            } catch (IllegalArgumentException e) {
                problem(object.origin(), path, e.getMessage());
                return null;
            }
        }

        /** keepalived's use_vmac (true, or the macvlan's name) and vmac_xmit_base; null when wrong (reported). */
        private Vmac vmac() {
            Boolean xmitBase = bool("vmac-xmit-base", false);
            if (!config.hasPath("use-vmac")) {
                if (Boolean.TRUE.equals(xmitBase)) {
                    problem(config.getValue("vmac-xmit-base").origin(), path + ".vmac-xmit-base", "needs use-vmac");
                    return null;
                }
                return Vmac.NONE;
            }
            ConfigValue v = config.getValue("use-vmac");
            try {
                if (v.valueType() == ConfigValueType.BOOLEAN) {
                    boolean on = (Boolean) v.unwrapped();
                    if (!on && Boolean.TRUE.equals(xmitBase)) {
                        throw new IllegalArgumentException("vmac-xmit-base needs use-vmac");
                    }
                    return on ? new Vmac(true, Optional.empty(), Boolean.TRUE.equals(xmitBase)) : Vmac.NONE;
                }
                if (v.valueType() == ConfigValueType.STRING) {
                    return new Vmac(true, Optional.of((String) v.unwrapped()), Boolean.TRUE.equals(xmitBase));
                }
                throw new IllegalArgumentException("must be true, false or the macvlan's name, got " + describe(v));
            } catch (IllegalArgumentException e) {
                problem(v.origin(), path + ".use-vmac", e.getMessage());
                return null;
            }
        }

        /** keepalived's garp_* and gna_* timing; null (with the problems recorded) when a value is wrong. */
        private Announcements announcements() {
            Announcements d = Announcements.DEFAULTS;
            Duration masterDelay = delay("garp-master-delay", d.masterDelay());
            Integer masterRepeat = repeat("garp-master-repeat", d.masterRepeat(), 1);
            Duration refresh = delay("garp-master-refresh", d.masterRefresh());
            Integer refreshRepeat = repeat("garp-master-refresh-repeat", d.masterRefreshRepeat(), 1);
            Duration lowerDelay = delay("garp-lower-prio-delay", d.lowerPrioDelay());
            Integer lowerRepeat = repeat("garp-lower-prio-repeat", d.lowerPrioRepeat(), 0);
            Duration garpInterval = interval("garp-interval", d.garpInterval());
            Duration gnaInterval = interval("gna-interval", d.gnaInterval());
            if (masterDelay == null || masterRepeat == null || refresh == null || refreshRepeat == null
                    || lowerDelay == null || lowerRepeat == null || garpInterval == null || gnaInterval == null) {
                return null;
            }
            return new Announcements(masterDelay, masterRepeat, refresh, refreshRepeat, lowerDelay, lowerRepeat,
                    garpInterval, gnaInterval);
        }

        private Duration delay(String key, Duration defaultValue) {
            Duration d = duration(key, defaultValue);
            return d != null && check(key, () -> Announcements.checkDelay(key, d)) ? d : null;
        }

        private Duration interval(String key, Duration defaultValue) {
            Duration d = duration(key, defaultValue);
            return d != null && check(key, () -> Announcements.checkInterval(key, d)) ? d : null;
        }

        private Integer repeat(String key, int defaultValue, int min) {
            return integer(key, defaultValue, r -> Announcements.checkRepeat(key, r, min));
        }

        private VrrpState initialState() {
            String s = string("state", "BACKUP", v -> {
                String u = v.toUpperCase(Locale.ROOT);
                if (!u.equals("MASTER") && !u.equals("BACKUP")) {
                    throw new IllegalArgumentException("state must be MASTER or BACKUP, got \"" + v + "\"");
                }
            });
            return s == null ? null : VrrpState.valueOf(s.toUpperCase(Locale.ROOT));
        }

        private Optional<String> authentication(VrrpVersion version) {
            if (!config.hasPath("authentication")) {
                return Optional.empty();
            }
            ConfigValue v = config.getValue("authentication");
            String authPath = path + ".authentication";
            if (v.valueType() != ConfigValueType.OBJECT) {
                problem(v.origin(), authPath, "must be an object like { type = PASS, password = \"1111\" }, got "
                        + describe(v));
                return Optional.empty();
            }
            ConfigObject auth = (ConfigObject) v;
            unknownKeys(auth, authPath, AUTH_KEYS);
            Config a = auth.toConfig();
            if (!a.hasPath("type")) {
                problem(auth.origin(), authPath + ".type", "missing (PASS is the only supported type)");
                return Optional.empty();
            }
            String type = a.getValue("type").unwrapped().toString();
            if (!"PASS".equalsIgnoreCase(type)) {
                problem(a.getValue("type").origin(), authPath + ".type", "\"" + type
                        + "\" is not supported; only PASS (AH was removed from VRRP by RFC 3768)");
                return Optional.empty();
            }
            if (!a.hasPath("password")) {
                problem(auth.origin(), authPath + ".password", "missing");
                return Optional.empty();
            }
            ConfigValue pw = a.getValue("password");
            if (pw.valueType() != ConfigValueType.STRING && pw.valueType() != ConfigValueType.NUMBER) {
                problem(pw.origin(), authPath + ".password", "must be a string, got " + describe(pw));
                return Optional.empty();
            }
            String password = pw.unwrapped().toString();
            if (version != null) {
                try {
                    VirtualRouterConfig.checkAuthPassword(version, password);
                } catch (IllegalArgumentException e) {
                    problem(pw.origin(), authPath + ".password", e.getMessage());
                    return Optional.empty();
                }
            }
            return Optional.of(password);
        }

        private List<VirtualAddress> virtualAddresses(VrrpVersion version) {
            String key = "virtual-ipaddress";
            if (!config.hasPath(key)) {
                problem(object.origin(), path + "." + key, "missing (the addresses this instance moves)");
                return null;
            }
            ConfigValue v = config.getValue(key);
            List<VirtualAddress> result = addressReader.addresses(v, path + "." + key);
            if (result == null) {
                return null;
            }
            if (version != null) {
                check(key, () -> VirtualRouterConfig.checkVirtualAddresses(version, result));
            }
            return result;
        }

        /** keepalived's unicast_src_ip, unicast_peer and check_unicast_src; none of them: multicast. */
        private UnicastPeers unicast() {
            String source = config.hasPath("unicast-src-ip") ? string("unicast-src-ip", null, VirtualAddress::parseLiteral) : null;
            // keepalived's mcast_src_ip: the adverts' source, multicast or (without unicast-src-ip) unicast.
            String mcastSource = config.hasPath("mcast-src-ip") ? string("mcast-src-ip", null, VirtualAddress::parseLiteral)
                    : null;
            if (source != null && mcastSource != null) {
                problem(config.getValue("mcast-src-ip").origin(), path + ".mcast-src-ip", "give unicast-src-ip or"
                        + " mcast-src-ip, not both: both set the adverts' source");
                return null;
            }
            List<InetAddress> peers = new ArrayList<>();
            if (config.hasPath("unicast-peers")) {
                ConfigValue v = config.getValue("unicast-peers");
                if (v.valueType() != ConfigValueType.LIST) {
                    problem(v.origin(), path + ".unicast-peers", "must be a list like [\"10.99.0.2\"], got " + describe(v));
                    return null;
                }
                ConfigList list = (ConfigList) v;
                for (int i = 0; i < list.size(); i++) {
                    ConfigValue item = list.get(i);
                    String itemPath = path + ".unicast-peers[" + i + "]";
                    try {
                        if (item.valueType() != ConfigValueType.STRING) {
                            throw new IllegalArgumentException("must be an address like \"10.99.0.2\", got " + describe(item));
                        }
                        peers.add(VirtualAddress.parseLiteral((String) item.unwrapped()));
                    } catch (IllegalArgumentException e) {
                        problem(item.origin(), itemPath, e.getMessage());
                        return null;
                    }
                }
            }
            Boolean checkSource = bool("check-unicast-src", false);
            Integer ttl = integer("unicast-ttl", UnicastPeers.DEFAULT_TTL, t -> {
                if (t < 1 || t > 255) {
                    throw new IllegalArgumentException("unicast-ttl must be 1..255, got " + t);
                }
            });
            if (checkSource == null || ttl == null) {
                return null;
            }
            if (peers.isEmpty() && (source != null || checkSource || config.hasPath("unicast-ttl"))) {
                String key = source != null ? "unicast-src-ip" : checkSource ? "check-unicast-src" : "unicast-ttl";
                problem(config.getValue(key).origin(), path + "." + key, "needs unicast-peers (without peers, adverts are multicast)");
                return null;
            }
            try {
                String from = source != null ? source : mcastSource;
                return new UnicastPeers(Optional.ofNullable(from).map(VirtualAddress::parseLiteral), peers, checkSource,
                        ttl);
            } catch (IllegalArgumentException e) {
                problem(config.hasPath("unicast-peers") ? config.getValue("unicast-peers").origin() : object.origin(),
                        path + ".unicast-peers", e.getMessage());
                return null;
            }
        }

    }

    private void unknownKeys(ConfigObject object, String path, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                String suggestion = nearest(key, known);
                String where = path.isEmpty() ? quoteIfNeeded(key) : path + "." + quoteIfNeeded(key);
                problem(object.get(key).origin(), where, "unknown key" + (suggestion == null ? "" : " (did you mean "
                        + suggestion + "?)") + "; known here: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private void problemAtKey(String instancePath, String key, String message) {
        ConfigProblem where = origins.getOrDefault(instancePath + "." + key, origins.get(instancePath));
        problems.add(new ConfigProblem(where == null ? fileName : where.file(), where == null ? 0 : where.line(),
                instancePath + "." + key, message));
    }

    private void problem(ConfigOrigin origin, String path, String message) {
        ConfigProblem at = locate(origin, path, message);
        problems.add(at);
    }

    private ConfigProblem locate(ConfigOrigin origin, String path, String message) {
        String file = origin != null && origin.filename() != null ? origin.filename() : fileName;
        int line = origin == null ? 0 : Math.max(0, origin.lineNumber());
        return new ConfigProblem(file, line, path, message);
    }

    static String describe(ConfigValue v) {
        String type = v.valueType().name().toLowerCase(Locale.ROOT);
        return switch (v.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NULL -> "null";
            default -> type + " " + v.render();
        };
    }

    static String nearest(String key, Set<String> known) {
        return Suggestions.nearest(key, known);
    }

    private static String quoteIfNeeded(String key) {
        return key.matches("[A-Za-z0-9_\\-]+") ? key : "\"" + key + "\"";
    }

    private static String stripOrigin(String message) {
        // typesafe-config prefixes "desc: line: "; we print file and line ourselves.
        return message.replaceFirst("^.*?: \\d+: ", "");
    }
}
