package appliance.config.keepalived;

import java.util.Map;

/**
 * keepalived's VRRP blocks (vrrp_instance, vrrp_script, vrrp_track_process, vrrp_sync_group,
 * track_file) as the HOCON keys under {@code vrrp}. No defaults here: a keyword not written is a
 * key not written, and the HOCON reader's defaults apply.
 */
final class VrrpKeywords {

    static final String INSTANCE_HAS = "use_vmac use_vmac_addr vmac_xmit_base use_ipvlan unicast_peer"
            + " unicast_fault_no_peer check_unicast_src old_unicast_checksum native_ipv6 state interface vrf"
            + " dont_track_primary track_interface track_script track_file track_process track_bfd mcast_src_ip"
            + " unicast_src_ip mcast_dst_ip track_src_ip virtual_router_id unicast_ttl version priority advert_int"
            + " virtual_ipaddress virtual_ipaddress_excluded promote_secondaries linkbeat_use_polling virtual_routes"
            + " virtual_rules accept no_accept skip_check_adv_addr strict_mode preempt nopreempt preempt_delay debug"
            + " notify_backup notify_master notify_fault notify_stop notify_deleted notify notify_master_rx_lower_pri"
            + " smtp_alert notify_priority_changes lvs_sync_daemon_interface garp_master_delay garp_master_refresh"
            + " garp_master_repeat garp_master_refresh_repeat garp_lower_prio_delay garp_lower_prio_repeat"
            + " down_timer_adverts garp_extra_if vmac_garp_intvl lower_prio_no_advert higher_prio_send_advert"
            + " kernel_rx_buf_size authentication";
    static final String SYNC_GROUP_HAS = "group track_interface track_script track_file track_process track_bfd"
            + " notify_backup notify_master notify_fault notify_stop notify smtp_alert global_tracking"
            + " sync_group_tracking_weight notify_priority_changes";

    private final Args args;
    private final Entries entries;
    /** keepalived's track_file blocks by name, which track_file lines and FILE_CHECKs name. */
    private final Map<String, TrackFile> trackFiles;

    /** A track_file block: its file and weight (null when not written). */
    record TrackFile(String file, Integer weight, Boolean reverse, Origin origin) {
    }

    /** Where an instance's strict_mode waits (a key HOCON never sees) until the instance is complete. */
    static final String STRICT = "\u0000strict";
    /** global_defs' vrrp_strict: every instance's strict_mode unless it says otherwise. */
    boolean globalStrict;

    final Keywords<HoconTree.Obj> instance;
    final Keywords<HoconTree.Obj> script;
    final Keywords<HoconTree.Obj> process;
    final Keywords<HoconTree.Obj> syncGroup;
    private final Keywords<HoconTree.Obj> authentication;

    VrrpKeywords(Args args, Map<String, TrackFile> trackFiles) {
        this.args = args;
        this.entries = new Entries(args);
        this.trackFiles = trackFiles;
        authentication = new Keywords<HoconTree.Obj>("authentication", "auth_type auth_pass")
                .leaf("auth_type", (n, o) -> string(n, o, "type"))
                .leaf("auth_pass", (n, o) -> string(n, o, "password"));
        instance = trackingAndNotify(new Keywords<HoconTree.Obj>("vrrp_instance", INSTANCE_HAS))
                .leaf("state", (n, o) -> string(n, o, "state"))
                .leaf("interface", (n, o) -> string(n, o, "interface"))
                .leaf("virtual_router_id", (n, o) -> integer(n, o, "virtual-router-id"))
                .leaf("priority", (n, o) -> integer(n, o, "priority"))
                .leaf("version", (n, o) -> integer(n, o, "version"))
                .leaf("advert_int", (n, o) -> args.put(n, o, "advert-interval", args.seconds(n, true)))
                .leaf("nopreempt", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "preempt", false);
                    }
                })
                .leaf("preempt", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "preempt", true);
                    }
                })
                .leaf("preempt_delay", (n, o) -> args.put(n, o, "preempt-delay", args.seconds(n, true)))
                .block("authentication", (n, o) -> {
                    if (args.flag(n)) {
                        authentication.translate(n.children(), o.object("authentication", n.origin()), args);
                    }
                })
                .block("virtual_ipaddress", (n, o) -> entries.addresses(n, o.list("virtual-ipaddress", n.origin())))
                .block("virtual_ipaddress_excluded",
                        (n, o) -> entries.addresses(n, o.list("virtual-ipaddress-excluded", n.origin())))
                .block("virtual_routes", (n, o) -> entries.routes(n, o.list("virtual-routes", n.origin())))
                .leaf("accept", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "accept", true);
                    }
                })
                .leaf("no_accept", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "accept", false);
                    }
                })
                .leaf("smtp_alert", (n, o) -> args.put(n, o, "smtp-alert", args.bool(n)))
                .leaf("use_vmac", (n, o) -> {
                    if (args.count(n, 0, 1, "at most an interface name (a MAC is not supported yet)")) {
                        args.put(n, o, "use-vmac", n.args().isEmpty() ? (Object) true : n.args().get(0).text());
                    }
                })
                .leaf("vmac_xmit_base", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "vmac-xmit-base", true);
                    }
                })
                .leaf("unicast_src_ip", (n, o) -> string(n, o, "unicast-src-ip"))
                .leaf("mcast_src_ip", (n, o) -> string(n, o, "mcast-src-ip"))
                .block("unicast_peer", (n, o) -> entries.peers(n, o.list("unicast-peers", n.origin())))
                .leaf("check_unicast_src", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "check-unicast-src", true);
                    }
                })
                .leaf("unicast_ttl", (n, o) -> integer(n, o, "unicast-ttl"))
                .leaf("garp_master_delay", (n, o) -> args.put(n, o, "garp-master-delay", args.seconds(n, false)))
                .leaf("garp_master_repeat", (n, o) -> integer(n, o, "garp-master-repeat"))
                .leaf("garp_master_refresh", (n, o) -> args.put(n, o, "garp-master-refresh", args.seconds(n, false)))
                .leaf("garp_master_refresh_repeat", (n, o) -> integer(n, o, "garp-master-refresh-repeat"))
                .leaf("garp_lower_prio_delay", (n, o) -> args.put(n, o, "garp-lower-prio-delay", args.seconds(n, false)))
                .leaf("garp_lower_prio_repeat", (n, o) -> integer(n, o, "garp-lower-prio-repeat"))
                .leaf("lower_prio_no_advert", (n, o) -> args.put(n, o, "lower-prio-no-advert", args.bool(n)))
                .leaf("skip_check_adv_addr", (n, o) -> args.put(n, o, "skip-check-adv-addr", args.bool(n)))
                .leaf("strict_mode", (n, o) -> {
                    Boolean on = args.bool(n);
                    if (on != null) {
                        o.object(STRICT, n.origin()).put("on", on, n.origin());
                    }
                });
        script = new Keywords<HoconTree.Obj>("vrrp_script", "script interval timeout weight rise fall user init_fail")
                .leaf("script", (n, o) -> {
                    if (args.count(n, 1, 1, "one command line, quoted when it has arguments: script \"/bin/check arg\"")) {
                        args.put(n, o, "script", n.commandLine());
                    }
                })
                .leaf("interval", (n, o) -> args.put(n, o, "interval", args.seconds(n, false)))
                .leaf("timeout", (n, o) -> args.put(n, o, "timeout", args.seconds(n, false)))
                .leaf("weight", (n, o) -> weight(n, o))
                .leaf("rise", (n, o) -> integer(n, o, "rise"))
                .leaf("fall", (n, o) -> integer(n, o, "fall"))
                .leaf("user", (n, o) -> {
                    if (args.count(n, 1, 2, "USER [GROUP]")) {
                        args.put(n, o, "user", n.joined());
                    }
                })
                .leaf("init_fail", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "init-fail", true);
                    }
                });
        process = new Keywords<HoconTree.Obj>("vrrp_track_process", "process param_match weight quorum quorum_max delay"
                + " terminate_delay fork_delay full_command")
                .leaf("process", (n, o) -> {
                    if (args.count(n, 1, Integer.MAX_VALUE, "a process name, then its parameters")) {
                        args.put(n, o, "process", n.joined());
                    }
                })
                .leaf("param_match", (n, o) -> {
                    if (args.count(n, 0, 1, "at most initial or partial")) {
                        args.put(n, o, "param-match", n.args().isEmpty() ? "exact" : n.args().get(0).text());
                    }
                })
                .leaf("weight", (n, o) -> weight(n, o))
                .leaf("quorum", (n, o) -> integer(n, o, "quorum"))
                .leaf("quorum_max", (n, o) -> integer(n, o, "quorum-max"))
                .leaf("delay", (n, o) -> args.put(n, o, "delay", args.seconds(n, true)))
                .leaf("terminate_delay", (n, o) -> args.put(n, o, "terminate-delay", args.seconds(n, true)))
                .leaf("fork_delay", (n, o) -> args.put(n, o, "fork-delay", args.seconds(n, true)))
                .leaf("full_command", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "full-command", true);
                    }
                });
        syncGroup = trackingAndNotify(new Keywords<HoconTree.Obj>("vrrp_sync_group", SYNC_GROUP_HAS))
                .block("group", (n, o) -> entries.names(n, o.list("group", n.origin())))
                .leaf("sync_group_tracking_weight", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "sync-group-tracking-weight", true);
                    }
                })
                .deprecated("global_tracking", "sync_group_tracking_weight");
    }

    /** What instances and sync groups both have: the track_* blocks and the notify scripts. */
    private Keywords<HoconTree.Obj> trackingAndNotify(Keywords<HoconTree.Obj> k) {
        return k
                .block("track_interface", (n, o) -> entries.weighted(n, o.list("track-interface", n.origin()), false))
                .block("track_script", (n, o) -> entries.weighted(n, o.list("track-script", n.origin()), true))
                .block("track_process", (n, o) -> entries.weighted(n, o.list("track-process", n.origin()), true))
                .block("track_file", (n, o) -> trackFileLines(n, o))
                .leaf("notify_master", (n, o) -> script(n, o, "notify-master"))
                .leaf("notify_backup", (n, o) -> script(n, o, "notify-backup"))
                .leaf("notify_fault", (n, o) -> script(n, o, "notify-fault"))
                .leaf("notify_stop", (n, o) -> script(n, o, "notify-stop"))
                .leaf("notify", (n, o) -> script(n, o, "notify"));
    }

    /**
     * keepalived's track_file lines name track_file blocks; the HOCON key takes the file itself,
     * with the line's weight or else the block's.
     */
    private void trackFileLines(Node block, HoconTree.Obj o) {
        HoconTree.Arr list = o.list("track-file", block.origin());
        for (Node line : block.children()) {
            java.util.List<Word> w = Entries.words(line);
            TrackFile def = trackFiles.get(w.get(0).text());
            if (def == null) {
                String near = appliance.config.Suggestions.nearest(w.get(0).text(), trackFiles.keySet());
                args.error(line, "names no track_file block: " + w.get(0).text()
                        + (near == null ? "" : " (did you mean " + near + "?)") + "; a track_file must be defined"
                        + " before it is used, as keepalived requires");
                continue;
            }
            Integer weight = def.weight();
            boolean reverse = def.reverse() != null && def.reverse();
            if (w.size() >= 3 && w.get(1).text().equals("weight")) {
                weight = args.integer(line, w.get(2).text(), "a weight");
                reverse = w.size() == 4 && w.get(3).text().equals("reverse");
                if (w.size() == 4 && !w.get(3).text().equals("reverse") && !w.get(3).text().equals("noreverse")) {
                    args.error(line, "\"" + w.get(3).text() + "\" after the weight must be reverse or noreverse");
                    continue;
                }
            } else if (w.size() != 1) {
                args.error(line, "a line of track_file is NAME [weight N [reverse]]");
                continue;
            }
            if (reverse) {
                args.error(line, "reverse for a tracked file is a keepalived option this appliance does not support yet");
                continue;
            }
            if (def.file() == null) {
                continue; // the block's missing file is reported where the block is
            }
            HoconTree.Obj item = list.addObject(line.origin());
            item.put("name", def.file(), line.origin());
            if (weight != null) {
                item.put("weight", weight, line.origin());
            }
        }
    }

    /** A notify script: one quoted command line; a user after it is not supported yet. */
    void script(Node n, HoconTree.Obj o, String key) {
        if (n.args().isEmpty()) {
            args.error(n, "needs a command line, quoted when it has arguments: " + n.keyword() + " \"/bin/notify arg\"");
            return;
        }
        if (n.args().size() > 1) {
            args.error(n, "running a notify script as its own user (\"" + n.args().get(1).text() + "\") is a keepalived"
                    + " option this appliance does not support yet; notify scripts run as global_defs' script_user."
                    + " A command with arguments is one quoted word: " + n.keyword() + " \"" + n.joined() + "\"");
            return;
        }
        args.put(n, o, key, n.commandLine());
    }

    /** weight N [reverse] */
    private void weight(Node n, HoconTree.Obj o) {
        if (!args.count(n, 1, 2, "a weight, then optionally reverse")) {
            return;
        }
        Integer w = args.integer(n, n.args().get(0).text(), "a weight");
        if (w == null) {
            return;
        }
        args.put(n, o, "weight", w);
        if (n.args().size() == 2) {
            if (!n.args().get(1).text().equals("reverse")) {
                args.error(n, "\"" + n.args().get(1).text() + "\" after the weight must be reverse");
            } else {
                args.put(n, o, "reverse", true);
            }
        }
    }

    private void string(Node n, HoconTree.Obj o, String key) {
        args.put(n, o, key, args.one(n, "one value"));
    }

    private void integer(Node n, HoconTree.Obj o, String key) {
        args.put(n, o, key, args.integer(n, "a whole number"));
    }

}
