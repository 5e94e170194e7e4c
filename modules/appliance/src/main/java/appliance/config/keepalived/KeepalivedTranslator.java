package appliance.config.keepalived;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed keepalived.conf (its keyword tree) as the appliance's HOCON document, every value
 * carrying its keepalived.conf file and line. Keywords become keys; keepalived's rules that
 * depend on where a keyword is written (global_defs' instance defaults, a server's keys for its
 * checks, a track_file block named by its users, state MASTER without a priority) are applied
 * here, so that the HOCON says what runs; every other default and rule is the HOCON reader's.
 */
final class KeepalivedTranslator {

    static final String ROOT_HAS = "linkbeat_use_polling net_namespace net_namespace_ipvs namespace_with_ipsets"
            + " use_pid_dir instance child_wait_time global_defs track_group static_ipaddress static_routes static_rules"
            + " vrrp_sync_group garp_group linkbeat_interfaces vrrp_instance vrrp_script vrrp_track_process"
            + " interface_up_down_delays SSL virtual_server_group virtual_server bfd_instance track_file vrrp_track_file";

    private final Findings findings;
    private final Args args;
    private final Map<String, VrrpKeywords.TrackFile> trackFiles = new LinkedHashMap<>();
    private final VrrpKeywords vrrp;
    private final GlobalDefsKeywords globalDefs;
    private final CheckerKeywords checkers;
    private final Keywords<HoconTree.Obj> trackFile;
    private final HoconTree.Obj root;
    private final HoconTree.Obj instanceDefaults;

    private KeepalivedTranslator(Findings findings, Origin top) {
        this.findings = findings;
        this.args = new Args(findings);
        this.vrrp = new VrrpKeywords(args, trackFiles);
        this.globalDefs = new GlobalDefsKeywords(args, vrrp);
        this.checkers = new CheckerKeywords(args, vrrp, trackFiles);
        this.root = new HoconTree.Obj(top);
        this.instanceDefaults = new HoconTree.Obj(top);
        this.trackFile = new Keywords<HoconTree.Obj>("track_file", "file weight init_file")
                .leaf("file", (n, o) -> args.put(n, o, "file", args.one(n, "the file's path")))
                .leaf("weight", (n, o) -> {
                    if (args.count(n, 1, 2, "a weight, then optionally reverse")) {
                        args.put(n, o, "weight", args.integer(n, n.args().get(0).text(), "a weight"));
                        if (n.args().size() == 2) {
                            if (n.args().get(1).text().equals("reverse")) {
                                o.put("reverse", true, n.origin());
                            } else {
                                args.error(n, "\"" + n.args().get(1).text() + "\" after the weight must be reverse");
                            }
                        }
                    }
                })
                .leaf("init_file", (n, o) -> {
                    // keepalived's init_file [VALUE] [overwrite], in either order
                    HoconTree.Obj init = o.object(INIT, n.origin());
                    init.put("value", 0, n.origin());
                    for (Word w : n.args()) {
                        if (w.text().equals("overwrite")) {
                            init.put("overwrite", true, n.origin());
                        } else {
                            Integer value = args.integer(n, w.text(), "a value, or overwrite");
                            if (value != null) {
                                init.put("value", value, n.origin());
                            }
                        }
                    }
                });
    }

    /** Where a track_file block keeps its init_file until the block is read (a key HOCON never sees). */
    private static final String INIT = "\u0000init";

    /** The HOCON document; problems go to {@code findings} (the document is only usable without errors). */
    static Config translate(List<Node> nodes, Origin top, Findings findings) {
        KeepalivedTranslator t = new KeepalivedTranslator(findings, top);
        t.run(nodes);
        return t.root.toConfig().toConfig();
    }

    private void run(List<Node> nodes) {
        // keepalived wants these before their users; reading them first makes the order free.
        for (Node n : nodes) {
            if (n.keyword().equals("track_file") || n.keyword().equals("vrrp_track_file")) {
                trackFile(n);
            } else if (n.keyword().equals("global_defs") && n.isBlock() && args.flag(n)) {
                globalDefs.keywords.translate(n.children(),
                        new GlobalDefsKeywords.Target(root.object("global", n.origin()), instanceDefaults), args);
            }
        }
        for (Node n : nodes) {
            switch (n.keyword()) {
                case "track_file", "vrrp_track_file", "global_defs" -> {
                    if (!n.isBlock()) {
                        args.error(n, "needs a block: " + n.keyword() + " { ... }");
                    }
                }
                case "vrrp_instance" -> named(n, "instances", vrrp.instance);
                case "vrrp_script" -> named(n, "scripts", vrrp.script);
                case "vrrp_track_process" -> named(n, "processes", vrrp.process);
                case "vrrp_sync_group" -> named(n, "sync-groups", vrrp.syncGroup);
                case "static_ipaddress" -> {
                    if (block(n)) {
                        new Entries(args).addresses(n, root.list("static-ipaddress", n.origin()));
                    }
                }
                case "static_routes" -> {
                    if (block(n)) {
                        new Entries(args).routes(n, root.list("static-routes", n.origin()));
                    }
                }
                case "virtual_server_group" -> {
                    if (!n.isBlock()) {
                        args.error(n, "needs a block: virtual_server_group NAME { ... }");
                    } else {
                        String name = args.one(n, "one name: virtual_server_group NAME { ... }");
                        if (name != null) {
                            HoconTree.Obj groups = root.object("virtual-server-groups", n.origin());
                            if (groups.has(name)) {
                                args.error(n, "virtual_server_group " + name + " is defined a second time");
                            } else {
                                HoconTree.Arr lines = groups.list(name, n.origin());
                                for (Node line : n.children()) {
                                    lines.add(line.keyword() + (line.args().isEmpty() ? "" : " " + line.joined()),
                                            line.origin());
                                }
                            }
                        }
                    }
                }
                case "virtual_server" -> {
                    if (n.isBlock()) {
                        checkers.virtualServer(n, root.list("virtual-servers", n.origin()));
                    } else {
                        args.error(n, "needs a block: virtual_server " + n.joined() + " { ... }");
                    }
                }
                default -> {
                    if (List.of(ROOT_HAS.split(" ")).contains(n.keyword())) {
                        args.error(n, n.keyword() + " is a keepalived keyword this appliance does not support yet");
                    } else if (!Keywords.blocksOf(n.keyword()).isEmpty()) {
                        args.error(n, n.keyword() + " does not belong at the top level; it is a keyword of "
                                + String.join(", ", Keywords.blocksOf(n.keyword())));
                    } else {
                        String near = appliance.config.Suggestions.nearest(n.keyword(), List.of(ROOT_HAS.split(" ")));
                        args.error(n, "unknown keyword at the top level" + (near == null ? "" : " (did you mean " + near
                                + "?)"));
                    }
                }
            }
        }
        applyInstanceDefaults();
        dropAlertsWithNowhereToGo();
    }

    /**
     * keepalived sends no e-mail, without a word, when smtp_alert is on and global_defs names no
     * smtp_server or no notification_email; the HOCON reader calls that an error. A keepalived.conf
     * keeps keepalived's meaning, with a warning instead of the silence.
     */
    private void dropAlertsWithNowhereToGo() {
        Object global = root.entries.get("global");
        if (global instanceof HoconTree.Obj && ((HoconTree.Obj) global).has("smtp-server")
                && ((HoconTree.Obj) global).has("notification-email")) {
            return;
        }
        java.util.List<HoconTree.Obj> holders = new java.util.ArrayList<>();
        if (global instanceof HoconTree.Obj) {
            holders.add((HoconTree.Obj) global);
        }
        Object vrrpObj = root.entries.get("vrrp");
        if (vrrpObj instanceof HoconTree.Obj) {
            for (String group : List.of("instances", "sync-groups")) {
                Object named = ((HoconTree.Obj) vrrpObj).entries.get(group);
                if (named instanceof HoconTree.Obj) {
                    ((HoconTree.Obj) named).entries.values().forEach(o -> holders.add((HoconTree.Obj) o));
                }
            }
        }
        if (root.entries.get("virtual-servers") instanceof HoconTree.Arr servers) {
            for (Object vs : servers.items) {
                holders.add((HoconTree.Obj) vs);
                if (((HoconTree.Obj) vs).entries.get("real-servers") instanceof HoconTree.Arr reals) {
                    reals.items.forEach(rs -> holders.add((HoconTree.Obj) rs));
                }
            }
        }
        for (HoconTree.Obj o : holders) {
            for (String key : List.of("smtp-alert", "smtp-alert-vrrp", "smtp-alert-checker")) {
                if (Boolean.TRUE.equals(o.leafValue(key))) {
                    findings.warning(o.leafOrigin(key), key.replace('-', '_'), "no e-mail will be sent: global_defs"
                            + " has no smtp_server and notification_email (keepalived sends none either)");
                    o.entries.remove(key);
                }
            }
        }
    }

    private boolean block(Node n) {
        if (!n.isBlock()) {
            args.error(n, "needs a block: " + n.keyword() + " { ... }");
            return false;
        }
        return args.flag(n);
    }

    private void named(Node n, String key, Keywords<HoconTree.Obj> keywords) {
        if (!n.isBlock()) {
            args.error(n, "needs a block: " + n.keyword() + " NAME { ... }");
            return;
        }
        String name = args.one(n, "one name: " + n.keyword() + " NAME { ... }");
        if (name == null) {
            return;
        }
        HoconTree.Obj group = root.object("vrrp", n.origin()).object(key, n.origin());
        if (group.has(name)) {
            args.error(n, n.keyword() + " " + name + " is defined a second time");
            return;
        }
        HoconTree.Obj target = group.object(name, n.origin());
        keywords.translate(n.children(), target, args);
        if (n.keyword().equals("vrrp_instance")) {
            if ("MASTER".equals(target.leafValue("state")) && !target.has("priority")) {
                // keepalived: an instance that starts as MASTER and names no priority owns its addresses.
                target.put("priority", 255, n.origin());
            }
            Object strict = target.entries.remove(VrrpKeywords.STRICT);
            boolean isStrict = strict == null ? vrrp.globalStrict : (Boolean) ((HoconTree.Obj) strict).leafValue("on");
            if (isStrict) {
                new StrictMode(args).apply(n, target);
            }
        }
    }

    private void trackFile(Node n) {
        if (!n.isBlock()) {
            return; // reported in the second pass
        }
        String name = args.one(n, "one name: track_file NAME { file PATH }");
        if (name == null) {
            return;
        }
        if (n.keyword().equals("vrrp_track_file")) {
            args.warning(n, "vrrp_track_file is keepalived's older spelling of track_file; write track_file");
        }
        if (trackFiles.containsKey(name)) {
            args.error(n, "track_file " + name + " is defined a second time");
            return;
        }
        HoconTree.Obj o = new HoconTree.Obj(n.origin());
        trackFile.translate(n.children(), o, args);
        if (!o.has("file")) {
            args.error(n, "track_file " + name + " needs a file: file /path/to/file");
        }
        trackFiles.put(name, new VrrpKeywords.TrackFile((String) o.leafValue("file"), (Integer) o.leafValue("weight"),
                (Boolean) o.leafValue("reverse"), n.origin()));
        if (o.entries.get(INIT) instanceof HoconTree.Obj init && o.has("file")) {
            HoconTree.Obj entry = root.object("global", n.origin()).list("init-files", n.origin()).addObject(n.origin());
            entry.put("file", o.leafValue("file"), o.leafOrigin("file"));
            entry.entries.putAll(init.entries);
        }
    }

    private void applyInstanceDefaults() {
        Object vrrpObj = root.entries.get("vrrp");
        if (!(vrrpObj instanceof HoconTree.Obj) || !(((HoconTree.Obj) vrrpObj).entries.get("instances")
                instanceof HoconTree.Obj)) {
            return;
        }
        HoconTree.Obj instances = (HoconTree.Obj) ((HoconTree.Obj) vrrpObj).entries.get("instances");
        for (Object i : instances.entries.values()) {
            HoconTree.Obj instance = (HoconTree.Obj) i;
            instanceDefaults.entries.forEach((key, value) -> {
                boolean applies = !key.equals("check-unicast-src") || instance.has("unicast-peers");
                if (applies && !instance.has(key)) {
                    instance.entries.put(key, value);
                }
            });
        }
    }
}
