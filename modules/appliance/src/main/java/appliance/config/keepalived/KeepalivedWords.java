package appliance.config.keepalived;

import appliance.config.ConfigProblem;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HOCON reader's problems as a keepalived.conf user reads them: its key paths
 * (vrrp.instances.VI_1.advert-interval) in keepalived's words (vrrp_instance VI_1: advert_int).
 */
final class KeepalivedWords {

    private static final Pattern NAMED = Pattern.compile("^vrrp\\.(instances|sync-groups|scripts|processes)\\.(\"[^\"]*\"|[^.\\[]+)(.*)$");
    private static final Map<String, String> BLOCKS = Map.of("instances", "vrrp_instance", "sync-groups",
            "vrrp_sync_group", "scripts", "vrrp_script", "processes", "vrrp_track_process");
    /** Keys whose keepalived keyword is not the key with '_' for '-'. */
    private static final Map<String, String> KEYWORDS = Map.ofEntries(Map.entry("advert-interval", "advert_int"),
            Map.entry("unicast-peers", "unicast_peer"), Map.entry("type-of-query", "type"),
            Map.entry("password", "auth_pass"), Map.entry("bind-to", "bindto"), Map.entry("urls", "url"),
            Map.entry("hosts", "host"), Map.entry("real-servers", "real_server"), Map.entry("checks", "check"),
            Map.entry("preempt", "nopreempt"), Map.entry("accept", "accept/no_accept"), Map.entry("file", "track_file"),
            Map.entry("scheduler-flags", "flag-1..3/sh-*/mh-*"));

    private KeepalivedWords() {
    }

    static ConfigProblem reword(ConfigProblem p) {
        return new ConfigProblem(p.file(), p.line(), path(p.path()), message(p.message()));
    }

    static String path(String path) {
        if (path == null) {
            return null;
        }
        Matcher m = NAMED.matcher(path);
        if (m.matches()) {
            String rest = m.group(3).startsWith(".") ? m.group(3).substring(1) : m.group(3);
            return BLOCKS.get(m.group(1)) + " " + m.group(2).replace("\"", "") + (rest.isEmpty() ? "" : ": " + keys(rest));
        }
        if (path.startsWith("global.")) {
            return "global_defs: " + keys(path.substring("global.".length()));
        }
        if (path.startsWith("virtual-servers")) {
            return keys(path);
        }
        return path;
    }

    private static String keys(String dotted) {
        StringBuilder out = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            String key = part.replaceAll("\\[\\d+]$", "");
            String index = part.substring(key.length());
            String word = KEYWORDS.getOrDefault(key, key.replace('-', '_'));
            if (key.equals("virtual-servers")) {
                word = "virtual_server";
            }
            out.append(out.length() == 0 ? "" : " ").append(word).append(index);
        }
        return out.toString();
    }

    static String message(String message) {
        return message.replace("vrrp.scripts", "the vrrp_script blocks")
                .replace("vrrp.instances", "the vrrp_instance blocks")
                .replace("vrrp.processes", "the vrrp_track_process blocks")
                .replace("global.smtp-server", "global_defs' smtp_server")
                .replace("global.notification-email", "global_defs' notification_email")
                .replace("virtual-router-id", "virtual_router_id");
    }
}
