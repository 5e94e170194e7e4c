package appliance.config.keepalived;

import appliance.check.VirtualServer;
import java.util.List;
import java.util.Map;

/**
 * keepalived's virtual_server blocks, their real_server blocks and the checkers in them, as the
 * HOCON list {@code virtual-servers}. keepalived lets a virtual server or real server give the
 * checks below it their retry, delay_before_retry, warmup, connect_timeout, delay_loop, alpha and
 * virtualhost; these are copied into each check that does not set its own, so the HOCON says
 * what runs.
 */
final class CheckerKeywords {

    static final String VS_HAS = "ip_family retry delay_before_retry warmup connect_timeout delay_loop"
            + " inhibit_on_failure lb_algo lvs_sched hashed ops flag-1 flag-2 flag-3 sh-port sh-fallback mh-port"
            + " mh-fallback lb_kind lvs_method persistence_engine persistence_timeout persistence_granularity protocol"
            + " ha_suspend smtp_alert virtualhost snmp_name alpha omega quorum_up quorum_down quorum hysteresis weight"
            + " sorry_server sorry_server_inhibit sorry_server_lvs_method real_server";
    static final String RS_HAS = "weight lvs_method uthreshold lthreshold inhibit_on_failure notify_up notify_down alpha"
            + " retry delay_before_retry warmup connect_timeout delay_loop smtp_alert virtualhost snmp_name MISC_CHECK"
            + " SMTP_CHECK TCP_CHECK PING_CHECK UDP_CHECK HTTP_GET SSL_GET DNS_CHECK FILE_CHECK BFD_CHECK";
    private static final String CONNECTION_HAS = " connect_ip connect_port bindto bind_port bind_if connect_timeout"
            + " fwmark retry delay_before_retry warmup delay_loop alpha log_all_failures";
    /** Keys a virtual or real server hands down to its checks, and the check types that take each. */
    private static final Map<String, List<String>> INHERITED = Map.of(
            "retry", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check", "ping-check",
                    "misc-check"),
            "delay-before-retry", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check",
                    "ping-check", "misc-check"),
            "warmup", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check", "ping-check",
                    "misc-check"),
            "connect-timeout", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check",
                    "ping-check"),
            "delay-loop", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check",
                    "ping-check", "misc-check"),
            "alpha", List.of("tcp-check", "http-get", "ssl-get", "smtp-check", "udp-check", "dns-check", "ping-check",
                    "misc-check"),
            "virtualhost", List.of("http-get", "ssl-get"));

    private final Args args;
    private final VrrpKeywords vrrp;
    private final Map<String, VrrpKeywords.TrackFile> trackFiles;
    private final Keywords<HoconTree.Obj> virtualServer;
    private final Keywords<HoconTree.Obj> realServer;
    private final Map<String, Keywords<HoconTree.Obj>> checks = new java.util.LinkedHashMap<>();
    private final Keywords<HoconTree.Obj> url;
    private final Keywords<HoconTree.Obj> host;

    CheckerKeywords(Args args, VrrpKeywords vrrp, Map<String, VrrpKeywords.TrackFile> trackFiles) {
        this.args = args;
        this.vrrp = vrrp;
        this.trackFiles = trackFiles;
        virtualServer = new Keywords<HoconTree.Obj>("virtual_server", VS_HAS)
                .leaf("delay_loop", (n, o) -> args.put(n, o, "delay-loop", args.seconds(n, true)))
                .leaf("lb_algo", (n, o) -> string(n, o, "lb-algo"))
                .leaf("ip_family", (n, o) -> string(n, o, "ip-family"))
                .leaf("persistence_granularity", (n, o) -> string(n, o, "persistence-granularity"))
                .leaf("ops", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "ops", true);
                    }
                })
                .leaf("hashed", (n, o) -> args.warning(n, "hashed has no effect (keepalived 2.2.7 reads and ignores it)"))
                .leaf("sorry_server_inhibit", (n, o) -> args.put(n, o, "sorry-server-inhibit", args.bool(n)))
                .leaf("sorry_server_lvs_method", (n, o) -> string(n, o, "sorry-server-lvs-method"))
                .leaf("lvs_sched", (n, o) -> string(n, o, "lb-algo"))
                .leaf("lb_kind", (n, o) -> lbKind(n, o))
                .leaf("lvs_method", (n, o) -> lbKind(n, o))
                .leaf("persistence_timeout", (n, o) -> args.put(n, o, "persistence-timeout", args.seconds(n, false)))
                .leaf("protocol", (n, o) -> string(n, o, "protocol"))
                .leaf("sorry_server", (n, o) -> endpoint(n, o.object("sorry-server", n.origin()), "sorry_server"))
                .leaf("quorum", (n, o) -> integer(n, o, "quorum"))
                .leaf("hysteresis", (n, o) -> integer(n, o, "hysteresis"))
                .leaf("smtp_alert", (n, o) -> args.put(n, o, "smtp-alert", args.bool(n)))
                .leaf("quorum_up", (n, o) -> vrrp.script(n, o, "quorum-up"))
                .leaf("quorum_down", (n, o) -> vrrp.script(n, o, "quorum-down"))
                .leaf("inhibit_on_failure", (n, o) -> args.put(n, o, "inhibit-on-failure", args.bool(n)))
                .leaf("omega", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "omega", true);
                    }
                })
                .block("real_server", (n, o) -> realServer(n, o))
                .leaf("retry", (n, o) -> inherited(n, o, "retry", args.integer(n, "a count")))
                .leaf("delay_before_retry", (n, o) -> inherited(n, o, "delay-before-retry", args.seconds(n, true)))
                .leaf("warmup", (n, o) -> inherited(n, o, "warmup", args.seconds(n, true)))
                .leaf("connect_timeout", (n, o) -> inherited(n, o, "connect-timeout", args.seconds(n, true)))
                .leaf("alpha", (n, o) -> inherited(n, o, "alpha", args.flag(n) ? true : null))
                .leaf("virtualhost", (n, o) -> inherited(n, o, "virtualhost", args.one(n, "a host name")));
        for (String flag : VirtualServer.IpvsOptions.FLAGS) {
            virtualServer.leaf(flag, (n, o) -> {
                if (args.flag(n)) {
                    o.list("scheduler-flags", n.origin()).add(flag, n.origin());
                }
            });
        }
        realServer = new Keywords<HoconTree.Obj>("real_server", RS_HAS)
                .leaf("weight", (n, o) -> integer(n, o, "weight"))
                .leaf("notify_up", (n, o) -> vrrp.script(n, o, "notify-up"))
                .leaf("notify_down", (n, o) -> vrrp.script(n, o, "notify-down"))
                .leaf("smtp_alert", (n, o) -> args.put(n, o, "smtp-alert", args.bool(n)))
                .leaf("inhibit_on_failure", (n, o) -> args.put(n, o, "inhibit-on-failure", args.bool(n)))
                .leaf("uthreshold", (n, o) -> integer(n, o, "uthreshold"))
                .leaf("lthreshold", (n, o) -> integer(n, o, "lthreshold"))
                .leaf("retry", (n, o) -> inherited(n, o, "retry", args.integer(n, "a count")))
                .leaf("delay_before_retry", (n, o) -> inherited(n, o, "delay-before-retry", args.seconds(n, true)))
                .leaf("warmup", (n, o) -> inherited(n, o, "warmup", args.seconds(n, true)))
                .leaf("connect_timeout", (n, o) -> inherited(n, o, "connect-timeout", args.seconds(n, true)))
                .leaf("delay_loop", (n, o) -> inherited(n, o, "delay-loop", args.seconds(n, true)))
                .leaf("alpha", (n, o) -> inherited(n, o, "alpha", args.flag(n) ? true : null))
                .leaf("virtualhost", (n, o) -> inherited(n, o, "virtualhost", args.one(n, "a host name")));
        for (String[] c : new String[][]{{"TCP_CHECK", "tcp-check", ""}, {"HTTP_GET", "http-get", " nb_get_retry"
                + " virtualhost http_protocol enable_sni fast_recovery url"}, {"SSL_GET", "ssl-get", " nb_get_retry"
                + " virtualhost http_protocol enable_sni fast_recovery url"}, {"SMTP_CHECK", "smtp-check", " helo_name host"},
                {"UDP_CHECK", "udp-check", " payload require_reply min_reply_length max_reply_length"},
                {"DNS_CHECK", "dns-check", " type name"}, {"PING_CHECK", "ping-check", ""}}) {
            checks.put(c[0], connection(new Keywords<>(c[0], CONNECTION_HAS + c[2]), !c[0].equals("PING_CHECK")));
            realServer.block(c[0], check(c[1]));
        }
        Keywords<HoconTree.Obj> http = checks.get("HTTP_GET");
        Keywords<HoconTree.Obj> https = checks.get("SSL_GET");
        for (Keywords<HoconTree.Obj> k : List.of(http, https)) {
            k.leaf("virtualhost", (n, o) -> string(n, o, "virtualhost"))
                    .leaf("http_protocol", (n, o) -> string(n, o, "http-protocol"))
                    .leaf("enable_sni", (n, o) -> args.put(n, o, "enable-sni", args.bool(n)))
                    .block("url", (n, o) -> {
                        if (args.flag(n)) {
                            url().translate(n.children(), o.list("urls", n.origin()).addObject(n.origin()), args);
                        }
                    });
        }
        url = new Keywords<HoconTree.Obj>("url", "path digest status_code virtualhost regex regex_no_match regex_options"
                + " regex_min_offset regex_max_offset regex_stack")
                .leaf("path", (n, o) -> string(n, o, "path"))
                .leaf("digest", (n, o) -> string(n, o, "digest"))
                .leaf("status_code", (n, o) -> statusCodes(n, o))
                .leaf("regex", (n, o) -> string(n, o, "regex"))
                .leaf("regex_no_match", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "regex-no-match", true);
                    }
                })
                .leaf("regex_options", (n, o) -> {
                    if (args.count(n, 1, Integer.MAX_VALUE, "one or more PCRE2 option names: regex_options caseless")) {
                        args.put(n, o, "regex-options", n.args().stream().map(Word::text).toList());
                    }
                })
                .leaf("regex_min_offset", (n, o) -> integer(n, o, "regex-min-offset"))
                .leaf("regex_max_offset", (n, o) -> integer(n, o, "regex-max-offset"))
                .leaf("regex_stack", (n, o) -> {
                    if (args.count(n, 2, 2, "a start and a maximum size: regex_stack 32768 524288")) {
                        args.warning(n, "regex_stack sizes PCRE2's JIT stack; Java's regex engine has none, so it"
                                + " changes nothing here");
                    }
                });
        host = connection(new Keywords<>("host", CONNECTION_HAS), true);
        checks.get("SMTP_CHECK")
                .leaf("helo_name", (n, o) -> string(n, o, "helo-name"))
                .block("host", (n, o) -> {
                    if (args.flag(n)) {
                        host.translate(n.children(), o.list("hosts", n.origin()).addObject(n.origin()), args);
                    }
                });
        checks.get("UDP_CHECK")
                .leaf("payload", (n, o) -> string(n, o, "payload"))
                .leaf("require_reply", (n, o) -> {
                    if (args.count(n, 0, 1, "at most the hex the reply starts with")) {
                        args.put(n, o, "require-reply", n.args().isEmpty() ? (Object) true : n.args().get(0).text());
                    }
                })
                .leaf("min_reply_length", (n, o) -> integer(n, o, "min-reply-length"))
                .leaf("max_reply_length", (n, o) -> integer(n, o, "max-reply-length"));
        checks.get("DNS_CHECK")
                .leaf("type", (n, o) -> string(n, o, "type-of-query"))
                .leaf("name", (n, o) -> string(n, o, "name"));
        checks.put("MISC_CHECK", timing(new Keywords<HoconTree.Obj>("MISC_CHECK", "retry delay_before_retry warmup"
                + " delay_loop alpha log_all_failures misc_path misc_timeout misc_dynamic user"))
                .leaf("misc_path", (n, o) -> {
                    if (args.count(n, 1, 1, "one command line, quoted when it has arguments: misc_path \"/bin/check"
                            + " arg\"")) {
                        args.put(n, o, "misc-path", n.commandLine());
                    }
                })
                .leaf("misc_timeout", (n, o) -> args.put(n, o, "misc-timeout", args.seconds(n, false)))
                .leaf("misc_dynamic", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "misc-dynamic", true);
                    }
                })
                .leaf("user", (n, o) -> {
                    if (args.count(n, 1, 2, "USER [GROUP]")) {
                        args.put(n, o, "user", n.joined());
                    }
                }));
        realServer.block("MISC_CHECK", check("misc-check"));
        checks.put("FILE_CHECK", new Keywords<HoconTree.Obj>("FILE_CHECK", "track_file weight")
                .leaf("track_file", (n, o) -> {
                    String name = args.one(n, "the name of a track_file block");
                    VrrpKeywords.TrackFile def = name == null ? null : trackFiles.get(name);
                    if (name != null && def == null) {
                        String near = appliance.config.Suggestions.nearest(name, trackFiles.keySet());
                        args.error(n, "names no track_file block: " + name + (near == null ? "" : " (did you mean "
                                + near + "?)") + "; a track_file must be defined before it is used, as keepalived"
                                + " requires");
                    } else if (def != null && def.file() != null) {
                        args.put(n, o, "file", def.file());
                        if (def.weight() != null && !o.has("weight")) {
                            o.put("weight", def.weight(), n.origin());
                        }
                        if (def.reverse() != null && !o.has("reverse")) {
                            o.put("reverse", def.reverse(), n.origin());
                        }
                    }
                })
                .leaf("weight", (n, o) -> {
                    if (args.count(n, 1, 2, "a weight, then optionally reverse")) {
                        Integer w = args.integer(n, n.args().get(0).text(), "a weight");
                        if (w != null) {
                            o.put("weight", w, n.origin());
                            o.put("reverse", n.args().size() == 2 && n.args().get(1).text().equals("reverse"),
                                    n.origin());
                        }
                    }
                }));
        realServer.block("FILE_CHECK", check("file-check"));
    }

    private Keywords<HoconTree.Obj> url() {
        return url;
    }

    /** virtual_server IP PORT, fwmark N or group NAME { ... } as one entry of virtual-servers. */
    void virtualServer(Node n, HoconTree.Arr list) {
        HoconTree.Obj vs = new HoconTree.Obj(n.origin());
        if (!n.args().isEmpty() && n.args().get(0).text().equals("group")) {
            if (!args.count(n, 2, 2, "a group's name: virtual_server group NAME")) {
                return;
            }
            vs.put("group", n.args().get(1).text(), n.origin());
        } else if (!n.args().isEmpty() && n.args().get(0).text().equals("fwmark")) {
            if (!args.count(n, 2, 2, "a mark: virtual_server fwmark 1")) {
                return;
            }
            Integer mark = args.integer(n, n.args().get(1).text(), "a firewall mark");
            if (mark == null) {
                return;
            }
            vs.put("fwmark", mark, n.origin());
        } else if (!endpoint(n, vs, "virtual_server")) {
            return;
        }
        list.items.add(vs);
        virtualServer.translate(n.children(), vs, args);
        inherit(vs, vs.entries.get("real-servers"));
        vs.entries.remove(INHERIT);
    }

    private static final String INHERIT = "\u0000inherit";

    /** Keeps a server's keys for its checks aside (under a key HOCON never sees), for {@link #inherit}. */
    private void inherited(Node n, HoconTree.Obj server, String key, Object value) {
        if (value == null) {
            return;
        }
        args.put(n, server.object(INHERIT, n.origin()), key, value);
    }

    private void inherit(HoconTree.Obj vs, Object realServers) {
        if (!(realServers instanceof HoconTree.Arr)) {
            return;
        }
        for (Object rs : ((HoconTree.Arr) realServers).items) {
            HoconTree.Obj server = (HoconTree.Obj) rs;
            Object checkList = server.entries.get("checks");
            if (checkList instanceof HoconTree.Arr) {
                for (Object c : ((HoconTree.Arr) checkList).items) {
                    HoconTree.Obj check = (HoconTree.Obj) c;
                    copyDown(server, check);
                    copyDown(vs, check);
                }
            }
            server.entries.remove(INHERIT);
        }
    }

    private static void copyDown(HoconTree.Obj server, HoconTree.Obj check) {
        Object aside = server.entries.get(INHERIT);
        if (!(aside instanceof HoconTree.Obj)) {
            return;
        }
        String type = (String) check.leafValue("type");
        ((HoconTree.Obj) aside).entries.forEach((key, value) -> {
            if (!check.has(key) && INHERITED.get(key).contains(type)) {
                check.entries.put(key, value);
            }
        });
    }

    private void realServer(Node n, HoconTree.Obj vs) {
        HoconTree.Obj rs = new HoconTree.Obj(n.origin());
        if (!endpoint(n, rs, "real_server")) {
            return;
        }
        vs.list("real-servers", n.origin()).items.add(rs);
        realServer.translate(n.children(), rs, args);
    }

    private Keywords.Handler<HoconTree.Obj> check(String type) {
        return (n, rs) -> {
            if (!args.flag(n)) {
                return;
            }
            HoconTree.Obj check = rs.list("checks", n.origin()).addObject(n.origin());
            check.put("type", type, n.origin());
            checks.get(n.keyword()).translate(n.children(), check, args);
        };
    }

    private Keywords<HoconTree.Obj> timing(Keywords<HoconTree.Obj> k) {
        return k.leaf("retry", (n, o) -> integer(n, o, "retry"))
                .deprecated("nb_get_retry", "retry")
                .leaf("delay_before_retry", (n, o) -> args.put(n, o, "delay-before-retry", args.seconds(n, true)))
                .leaf("warmup", (n, o) -> args.put(n, o, "warmup", args.seconds(n, true)))
                .leaf("delay_loop", (n, o) -> args.put(n, o, "delay-loop", args.seconds(n, true)))
                .leaf("alpha", (n, o) -> {
                    if (args.flag(n)) {
                        args.put(n, o, "alpha", true);
                    }
                })
                .leaf("log_all_failures", (n, o) -> args.put(n, o, "log-all-failures", args.bool(n)));
    }

    /**
     * The connection keys; a PING_CHECK has an address and a timeout only (keepalived 2.2.7 reads
     * its bind_if and fwmark but sends every echo from one socket without them).
     */
    private Keywords<HoconTree.Obj> connection(Keywords<HoconTree.Obj> k, boolean ports) {
        timing(k).leaf("connect_ip", (n, o) -> string(n, o, "connect-ip"))
                .leaf("connect_timeout", (n, o) -> args.put(n, o, "connect-timeout", args.seconds(n, true)));
        if (ports) {
            k.leaf("connect_port", (n, o) -> integer(n, o, "connect-port"))
                    .leaf("bindto", (n, o) -> string(n, o, "bind-to"))
                    .leaf("bind_port", (n, o) -> integer(n, o, "bind-port"))
                    .leaf("bind_if", (n, o) -> string(n, o, "bind-if"))
                    .leaf("fwmark", (n, o) -> {
                        String mark = args.one(n, "a mark from 0 to 4294967295");
                        if (mark != null) {
                            try {
                                args.put(n, o, "fwmark", Long.parseLong(mark));
                            } catch (NumberFormatException e) {
                                args.error(n, "\"" + mark + "\" is not a whole number; needs a mark from 0 to 4294967295");
                            }
                        }
                    });
        }
        return k;
    }

    /** IP [PORT] into address and port. */
    private boolean endpoint(Node n, HoconTree.Obj o, String what) {
        if (!args.count(n, 1, 2, "an address and a port: " + what + " 10.0.0.1 80")) {
            return false;
        }
        o.put("address", n.args().get(0).text(), n.origin());
        if (n.args().size() == 2) {
            Integer port = args.integer(n, n.args().get(1).text(), "a port");
            if (port == null) {
                return false;
            }
            o.put("port", port, n.origin());
        }
        return true;
    }

    private void lbKind(Node n, HoconTree.Obj o) {
        if (n.args().size() > 1) {
            args.error(n, "the TUN options (" + String.join(" ", n.args().subList(1, n.args().size()).stream()
                    .map(Word::text).toList()) + ") are keepalived options this appliance does not support yet");
            return;
        }
        string(n, o, "lb-kind");
    }

    /** status_code 200 201 300-399: one number stays a number, else a list of numbers and ranges. */
    private void statusCodes(Node n, HoconTree.Obj o) {
        if (!args.count(n, 1, Integer.MAX_VALUE, "status codes or ranges: status_code 200 300-399")) {
            return;
        }
        if (n.args().size() == 1 && n.args().get(0).text().matches("\\d+")) {
            args.put(n, o, "status-code", args.integer(n, n.args().get(0).text(), "a status code"));
            return;
        }
        if (o.has("status-code")) {
            args.error(n, "sets status-code a second time in this block");
            return;
        }
        HoconTree.Arr codes = o.list("status-code", n.origin());
        for (Word w : n.args()) {
            if (w.text().matches("\\d+")) {
                codes.add(Integer.parseInt(w.text()), n.origin());
            } else {
                codes.add(w.text(), n.origin());
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
