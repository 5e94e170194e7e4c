package appliance.config.keepalived;

/**
 * keepalived's global_defs as HOCON's {@code global}; the vrrp_* defaults of every instance
 * (vrrp_version, vrrp_garp_*, ...) are kept aside and copied into each instance that does not set
 * the key itself, which is what keepalived does when it reads an instance.
 */
final class GlobalDefsKeywords {

    static final String HAS = "process_names process_name vrrp_process_name checker_process_name lvs_process_name"
            + " bfd_process_name router_id notification_email_from smtp_server smtp_helo_name smtp_connect_timeout"
            + " notification_email smtp_alert startup_script startup_script_timeout shutdown_script"
            + " shutdown_script_timeout max_auto_priority min_auto_priority_delay smtp_alert_vrrp smtp_alert_checker"
            + " checker_log_all_failures dynamic_interfaces no_email_faults default_interface disable_local_igmp"
            + " lvs_timeouts lvs_flush lvs_flush_on_stop lvs_flush_onstop lvs_sync_daemon vrrp_mcast_group4"
            + " vrrp_mcast_group6 vrrp_garp_master_delay vrrp_garp_master_repeat vrrp_garp_master_refresh"
            + " vrrp_garp_master_refresh_repeat vrrp_garp_lower_prio_delay vrrp_garp_lower_prio_repeat"
            + " vrrp_down_timer_adverts vrrp_garp_interval vrrp_gna_interval vrrp_min_garp vrrp_garp_extra_if"
            + " vrrp_vmac_garp_intvl vrrp_lower_prio_no_advert vrrp_higher_prio_send_advert vrrp_version vrrp_iptables"
            + " vrrp_ipsets nftables nftables_priority nftables_ifindex nftables_ipvs nftables_ipvs_priority"
            + " nftables_ipvs_start_fwmark nftables_counters vrrp_check_unicast_src vrrp_skip_check_adv_addr vrrp_strict"
            + " vrrp_priority vrrp_no_swap vrrp_rt_priority vrrp_cpu_affinity vrrp_rlimit_rttime vrrp_rlimit_rtime"
            + " notify_fifo notify_fifo_script vrrp_notify_fifo vrrp_notify_fifo_script vrrp_notify_priority_changes"
            + " fifo_write_vrrp_states_on_reload lvs_notify_fifo lvs_notify_fifo_script checker_priority checker_no_swap"
            + " checker_rt_priority checker_cpu_affinity checker_rlimit_rttime checker_rlimit_rtime bfd_priority"
            + " bfd_no_swap bfd_rt_priority bfd_cpu_affinity bfd_rlimit_rttime bfd_rlimit_rtime snmp_socket enable_traps"
            + " enable_snmp_vrrp enable_snmp_keepalived enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3"
            + " enable_snmp_checker enable_dbus dbus_service_name script_user enable_script_security"
            + " vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs"
            + " vrrp_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs process_monitor_rcv_bufs_force"
            + " lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force lvs_netlink_monitor_rcv_bufs"
            + " lvs_netlink_monitor_rcv_bufs_force rs_init_notifies no_checker_emails vrrp_rx_bufs_policy"
            + " vrrp_rx_bufs_multiplier vrrp_startup_delay log_unknown_vrids vmac_prefix vmac_addr_prefix umask"
            + " random_seed reload_check_config reload_time_file reload_repeat reload_file include_check config_save_dir"
            + " tmp_config_directory data_use_instance";

    /** What global_defs gives: HOCON's global object and the instances' defaults. */
    record Target(HoconTree.Obj global, HoconTree.Obj instanceDefaults) {
    }

    final Keywords<Target> keywords;

    GlobalDefsKeywords(Args args, VrrpKeywords vrrp) {
        Entries entries = new Entries(args);
        keywords = new Keywords<Target>("global_defs", HAS)
                .leaf("router_id", (n, t) -> args.put(n, t.global(), "router-id", args.one(n, "one name")))
                .block("notification_email", (n, t) -> {
                    if (args.flag(n)) {
                        entries.names(n, t.global().list("notification-email", n.origin()));
                    }
                })
                .leaf("notification_email_from", (n, t) -> args.put(n, t.global(), "notification-email-from",
                        args.one(n, "an e-mail address")))
                .leaf("smtp_server", (n, t) -> {
                    if (args.count(n, 1, 2, "a host, then optionally a port: smtp_server 10.0.0.1 25")) {
                        String host = n.args().get(0).text();
                        String server = n.args().size() == 1 ? host
                                : (host.contains(":") ? "[" + host + "]" : host) + ":" + n.args().get(1).text();
                        args.put(n, t.global(), "smtp-server", server);
                    }
                })
                .leaf("smtp_helo_name", (n, t) -> args.put(n, t.global(), "smtp-helo-name", args.one(n, "one name")))
                .leaf("smtp_connect_timeout", (n, t) -> args.put(n, t.global(), "smtp-connect-timeout",
                        args.seconds(n, false)))
                .leaf("smtp_alert", (n, t) -> args.put(n, t.global(), "smtp-alert", args.bool(n)))
                .leaf("smtp_alert_vrrp", (n, t) -> args.put(n, t.global(), "smtp-alert-vrrp", args.bool(n)))
                .leaf("smtp_alert_checker", (n, t) -> args.put(n, t.global(), "smtp-alert-checker", args.bool(n)))
                .leaf("lvs_flush", (n, t) -> {
                    if (args.flag(n)) {
                        args.put(n, t.global(), "lvs-flush", true);
                    }
                })
                .leaf("lvs_flush_on_stop", (n, t) -> flushOnStop(args, n, t))
                .leaf("lvs_flush_onstop", (n, t) -> flushOnStop(args, n, t))
                .leaf("lvs_sync_daemon", (n, t) -> syncDaemon(args, n, t))
                .leaf("no_checker_emails", (n, t) -> args.put(n, t.global(), "no-checker-emails", args.bool(n)))
                .leaf("no_email_faults", (n, t) -> {
                    if (args.flag(n)) {
                        args.put(n, t.global(), "no-email-faults", true);
                    }
                })
                .leaf("checker_log_all_failures", (n, t) -> args.put(n, t.global(), "checker-log-all-failures",
                        args.bool(n)))
                .leaf("enable_script_security", (n, t) -> {
                    if (args.flag(n)) {
                        args.put(n, t.global(), "enable-script-security", true);
                    }
                })
                .leaf("script_user", (n, t) -> {
                    if (args.count(n, 1, 2, "USER [GROUP]")) {
                        args.put(n, t.global(), "script-user", n.joined());
                    }
                })
                .leaf("notify_fifo", (n, t) -> fifo(args, vrrp, n, t))
                .leaf("vrrp_notify_fifo", (n, t) -> fifo(args, vrrp, n, t))
                .leaf("vrrp_priority", (n, t) -> args.put(n, t.global(), "vrrp-priority", args.integer(n, "a nice value")))
                .leaf("checker_priority", (n, t) -> args.put(n, t.global(), "checker-priority",
                        args.integer(n, "a nice value")))
                .leaf("vrrp_rt_priority", (n, t) -> args.put(n, t.global(), "vrrp-rt-priority",
                        args.integer(n, "a SCHED_RR priority")))
                .leaf("checker_rt_priority", (n, t) -> args.put(n, t.global(), "checker-rt-priority",
                        args.integer(n, "a SCHED_RR priority")))
                .leaf("vrrp_version", (n, t) -> args.put(n, t.instanceDefaults(), "version", args.integer(n, "2 or 3")))
                .leaf("vrrp_garp_master_delay", (n, t) -> args.put(n, t.instanceDefaults(), "garp-master-delay",
                        args.seconds(n, false)))
                .leaf("vrrp_garp_master_repeat", (n, t) -> args.put(n, t.instanceDefaults(), "garp-master-repeat",
                        args.integer(n, "a count")))
                .leaf("vrrp_garp_master_refresh", (n, t) -> args.put(n, t.instanceDefaults(), "garp-master-refresh",
                        args.seconds(n, false)))
                .leaf("vrrp_garp_master_refresh_repeat", (n, t) -> args.put(n, t.instanceDefaults(),
                        "garp-master-refresh-repeat", args.integer(n, "a count")))
                .leaf("vrrp_garp_lower_prio_delay", (n, t) -> args.put(n, t.instanceDefaults(), "garp-lower-prio-delay",
                        args.seconds(n, false)))
                .leaf("vrrp_garp_lower_prio_repeat", (n, t) -> args.put(n, t.instanceDefaults(),
                        "garp-lower-prio-repeat", args.integer(n, "a count")))
                .leaf("vrrp_garp_interval", (n, t) -> args.put(n, t.instanceDefaults(), "garp-interval",
                        args.seconds(n, true)))
                .leaf("vrrp_gna_interval", (n, t) -> args.put(n, t.instanceDefaults(), "gna-interval",
                        args.seconds(n, true)))
                .leaf("vrrp_lower_prio_no_advert", (n, t) -> args.put(n, t.instanceDefaults(), "lower-prio-no-advert",
                        args.bool(n)))
                .leaf("vrrp_skip_check_adv_addr", (n, t) -> {
                    if (args.flag(n)) {
                        args.put(n, t.instanceDefaults(), "skip-check-adv-addr", true);
                    }
                })
                .leaf("vrrp_strict", (n, t) -> {
                    if (args.flag(n)) {
                        vrrp.globalStrict = true;
                    }
                })
                .leaf("vrrp_check_unicast_src", (n, t) -> {
                    if (args.flag(n)) {
                        args.put(n, t.instanceDefaults(), "check-unicast-src", true);
                    }
                });
    }

    /** keepalived's lvs_flush_on_stop: alone, the whole table; "VS", only the configured services (the default here). */
    private static void flushOnStop(Args args, Node n, Target t) {
        if (!args.count(n, 0, 1, "nothing (the whole table) or VS (only the configured services)")) {
            return;
        }
        if (n.args().isEmpty()) {
            args.put(n, t.global(), "lvs-flush-on-stop", true);
        } else if (!n.args().get(0).text().equals("VS")) {
            args.error(n, "\"" + n.args().get(0).text() + "\" is not VS (the only option of lvs_flush_on_stop)");
        }
    }

    /**
     * keepalived's {@code lvs_sync_daemon IFNAME [inst INSTANCE] [id SYNCID] [maxlen LEN] [port PORT]
     * [ttl TTL] [group ADDRESS]}, and its older {@code lvs_sync_daemon IFNAME INSTANCE [SYNCID]}.
     */
    private static void syncDaemon(Args args, Node n, Target t) {
        if (!args.count(n, 1, 13, "an interface, then inst, id, maxlen, port, ttl, group: lvs_sync_daemon eth0 inst VI_1")) {
            return;
        }
        java.util.List<Word> w = n.args();
        HoconTree.Obj d = t.global().object("lvs-sync-daemon", n.origin());
        d.put("interface", w.get(0).text(), n.origin());
        java.util.Map<String, String> keys = java.util.Map.of("inst", "instance", "id", "id", "maxlen", "maxlen", "port",
                "port", "ttl", "ttl", "group", "group");
        for (int i = 1; i < w.size(); i++) {
            String word = w.get(i).text();
            String key = keys.get(word);
            if (key != null && i + 1 < w.size()) {
                String value = w.get(++i).text();
                Object v = key.equals("instance") || key.equals("group") ? value : args.integer(n, value, "a number after " + word);
                if (v != null) {
                    d.put(key, v, n.origin());
                }
            } else if (i == 1) {
                d.put("instance", word, n.origin()); // keepalived 1.x: lvs_sync_daemon IFNAME INSTANCE [SYNCID]
            } else if (i == 2 && !keys.containsKey(word)) {
                Integer id = args.integer(n, word, "a sync id after the instance");
                if (id != null) {
                    d.put("id", id, n.origin());
                }
            } else {
                args.error(n, "\"" + word + "\" is not one of inst, id, maxlen, port, ttl, group (each with its value)");
                return;
            }
        }
    }

    private static void fifo(Args args, VrrpKeywords vrrp, Node n, Target t) {
        if (n.args().size() > 1) {
            args.error(n, "a user for the FIFO is a keepalived option this appliance does not support yet");
            return;
        }
        args.put(n, t.global(), "notify-fifo", args.one(n, "the FIFO's path"));
    }
}
