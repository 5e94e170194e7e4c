package appliance.config.keepalived;

import java.util.List;

/**
 * The lines of keepalived's free-form blocks (virtual_ipaddress, virtual_routes, track_*,
 * unicast_peer, group) as HOCON list entries. Options keepalived has and the appliance does not
 * are refused by name as "not supported yet".
 */
final class Entries {

    private static final List<String> ADDRESS_OPTIONS = List.of("dev", "scope", "label", "brd", "broadcast");
    private static final List<String> ADDRESS_NOT_YET = List.of("peer", "home", "-nodad", "nodad", "mngtmpaddr",
            "noprefixroute", "autojoin", "no_track", "preferred_lft", "use_vmac", "track_group");
    private static final List<String> ROUTE_TYPES = List.of("blackhole", "unreachable", "prohibit");
    private static final List<String> ROUTE_NOT_YET = List.of("unicast", "throw", "local", "broadcast", "multicast",
            "anycast", "nat", "from", "protocol", "proto", "tos", "dsfield", "realms", "mtu", "advmss", "rtt", "rttvar",
            "reordering", "window", "cwnd", "ssthresh", "rto_min", "initcwnd", "initrwnd", "features", "quickack",
            "congctl", "pref", "fastopen_no_cookie", "ttl-propagate", "onlink", "encap", "expires", "hoplimit",
            "nexthop", "vrf", "no_track", "track_group", "inet", "inet6");

    private final Args args;

    Entries(Args args) {
        this.args = args;
    }

    /** Each line a name, or NAME weight N [reverse|noreverse] as an object; false when a line was wrong. */
    void weighted(Node block, HoconTree.Arr list, boolean reverseAllowed) {
        for (Node line : block.children()) {
            if (nested(block, line)) {
                continue;
            }
            List<Word> w = words(line);
            if (w.size() == 1) {
                list.add(w.get(0).text(), line.origin());
                continue;
            }
            if (w.size() > 4 || !w.get(1).text().equals("weight") || w.size() < 3) {
                args.error(line, "a line of " + block.keyword() + " is NAME [weight N" + (reverseAllowed
                        ? " [reverse]" : "") + "], got \"" + line.keyword() + " " + line.joined() + "\"");
                continue;
            }
            Integer weight = args.integer(line, w.get(2).text(), "a weight");
            if (weight == null) {
                continue;
            }
            HoconTree.Obj o = list.addObject(line.origin());
            o.put("name", w.get(0).text(), line.origin());
            o.put("weight", weight, line.origin());
            if (w.size() == 4) {
                String r = w.get(3).text();
                if (!r.equals("reverse") && !r.equals("noreverse")) {
                    args.error(line, "\"" + r + "\" after the weight must be reverse or noreverse");
                } else if (!reverseAllowed) {
                    args.error(line, "reverse in " + block.keyword() + " is a keepalived option this appliance does"
                            + " not support yet");
                } else {
                    o.put("reverse", r.equals("reverse"), line.origin());
                }
            }
        }
    }

    /** Each word of each line a name (keepalived's group and notification_email blocks). */
    void names(Node block, HoconTree.Arr list) {
        for (Node line : block.children()) {
            if (nested(block, line)) {
                continue;
            }
            for (Word w : words(line)) {
                list.add(w.text(), line.origin());
            }
        }
    }

    /** ADDRESS[/PREFIX] [dev IF] [scope S] [brd IP] [label L]: a string alone, else an object. */
    void addresses(Node block, HoconTree.Arr list) {
        java.util.Map<String, Origin> seen = new java.util.HashMap<>();
        for (Node line : block.children()) {
            String address = line.keyword().endsWith("/32") || line.keyword().endsWith("/128")
                    ? line.keyword().substring(0, line.keyword().lastIndexOf('/')) : line.keyword();
            if (!line.isBlock() && seen.containsKey(address)) {
                // keepalived adds both; the kernel keeps the first and refuses the second (EEXIST).
                args.warning(line, address + " is written a second time in " + block.keyword() + " (first at line "
                        + seen.get(address).line() + "); the kernel holds an address once, so this line is left out");
                continue;
            }
            seen.put(address, line.origin());
            if (nested(block, line)) {
                continue;
            }
            List<Word> w = words(line);
            if (w.size() == 1) {
                list.add(w.get(0).text(), line.origin());
                continue;
            }
            HoconTree.Obj o = new HoconTree.Obj(line.origin());
            o.put("address", w.get(0).text(), line.origin());
            boolean ok = true;
            for (int i = 1; i < w.size(); i++) {
                String option = w.get(i).text();
                if (ADDRESS_NOT_YET.contains(option)) {
                    args.error(line, "address option " + option + " is a keepalived option this appliance does not"
                            + " support yet");
                    ok = false;
                    break;
                }
                if (!ADDRESS_OPTIONS.contains(option) || i + 1 >= w.size()) {
                    args.error(line, ADDRESS_OPTIONS.contains(option) ? option + " needs a value"
                            : "unknown address option \"" + option + "\"; known: dev, scope, brd, label");
                    ok = false;
                    break;
                }
                String key = option.equals("broadcast") ? "brd" : option;
                o.put(key, w.get(++i).text(), line.origin());
            }
            if (ok) {
                list.items.add(o);
            }
        }
    }

    /**
     * ip route's syntax as keepalived reads it: [src IP] [to] [TYPE] PREFIX [via|gw IP] [or IP]
     * [dev IF] [scope S] [table N] [metric N].
     */
    void routes(Node block, HoconTree.Arr list) {
        for (Node line : block.children()) {
            if (nested(block, line)) {
                continue;
            }
            List<Word> w = words(line);
            HoconTree.Obj o = new HoconTree.Obj(line.origin());
            boolean ok = true;
            for (int i = 0; i < w.size() && ok; i++) {
                String t = w.get(i).text();
                String key = switch (t) {
                    case "src", "via", "gw", "or", "dev", "scope", "table", "metric", "to" -> t;
                    case "priority", "preference" -> "metric";
                    default -> null;
                };
                if (key != null) {
                    if (i + 1 >= w.size()) {
                        args.error(line, t + " needs a value");
                        ok = false;
                    } else if (key.equals("table") || key.equals("metric")) {
                        Integer n = args.integer(line, w.get(++i).text(), t + " as a number");
                        ok = n != null;
                        if (ok) {
                            o.put(key, n, line.origin());
                        }
                    } else {
                        o.put(key, w.get(++i).text(), line.origin());
                    }
                } else if (ROUTE_TYPES.contains(t)) {
                    o.put("type", t, line.origin());
                } else if (ROUTE_NOT_YET.contains(t)) {
                    args.error(line, "route option " + t + " is a keepalived option this appliance does not support"
                            + " yet");
                    ok = false;
                } else if (!o.has("to") && (t.contains(".") || t.contains(":") || t.equals("default"))) {
                    o.put("to", t.equals("default") ? "0.0.0.0/0" : t, line.origin());
                } else {
                    args.error(line, "unknown route word \"" + t + "\"");
                    ok = false;
                }
            }
            if (ok) {
                list.items.add(o);
            }
        }
    }

    /** unicast_peer lines: IP [min_ttl N] [max_ttl N]; the TTL bounds are not supported yet. */
    void peers(Node block, HoconTree.Arr list) {
        for (Node line : block.children()) {
            List<Word> w = words(line);
            if (line.isBlock() || w.size() != 1) {
                args.error(line, w.size() > 1 && (w.get(1).text().equals("min_ttl") || w.get(1).text().equals("max_ttl"))
                        ? w.get(1).text() + " is a keepalived option this appliance does not support yet"
                        : "a line of unicast_peer is one address");
                continue;
            }
            list.add(w.get(0).text(), line.origin());
        }
    }

    /** A line of a free-form block that opens a block of its own: reported, and skipped. */
    private boolean nested(Node block, Node line) {
        if (line.isBlock()) {
            args.error(line, "a line of " + block.keyword() + " takes no block");
        }
        return line.isBlock();
    }

    /** A free-form line's words: its "keyword" is its first word. */
    static List<Word> words(Node line) {
        List<Word> w = new java.util.ArrayList<>();
        w.add(new Word(line.keyword(), false));
        w.addAll(line.args());
        return w;
    }
}
