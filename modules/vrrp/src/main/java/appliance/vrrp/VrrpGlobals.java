package appliance.vrrp;

import appliance.script.ScriptUser;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What keepalived keeps in global_defs and beside its instances that the VRRP component needs:
 * the notify FIFO, the {@code vrrp_script} and {@code vrrp_track_process} definitions the instances
 * track by name, who runs scripts ({@code script_user}, {@code enable_script_security}), and the
 * sync groups.
 */
public record VrrpGlobals(Optional<Path> notifyFifo, Map<String, VrrpScript> scripts, boolean enableScriptSecurity,
                          Optional<ScriptUser> scriptUser, java.util.List<SyncGroupConfig> syncGroups,
                          Map<String, VrrpProcess> processes) {

    public static final VrrpGlobals NONE = new VrrpGlobals(Optional.empty(), Map.of(), false, Optional.empty());

    public VrrpGlobals(Optional<Path> notifyFifo, Map<String, VrrpScript> scripts, boolean enableScriptSecurity,
                       Optional<ScriptUser> scriptUser) {
        this(notifyFifo, scripts, enableScriptSecurity, scriptUser, java.util.List.of(), Map.of());
    }

    /** The sync group {@code instance} belongs to, if any. */
    public Optional<SyncGroupConfig> syncGroupOf(String instance) {
        return syncGroups.stream().filter(g -> g.members().contains(instance)).findFirst();
    }

    public VrrpGlobals {
        syncGroups = java.util.List.copyOf(syncGroups);
        processes = Map.copyOf(processes);
        java.util.Set<String> grouped = new java.util.HashSet<>();
        for (SyncGroupConfig g : syncGroups) {
            for (String m : g.members()) {
                if (!grouped.add(m)) {
                    throw new IllegalArgumentException("instance " + m + " is in more than one sync group");
                }
            }
        }
        Objects.requireNonNull(notifyFifo, "notifyFifo");
        Objects.requireNonNull(scriptUser, "scriptUser");
        scripts = Map.copyOf(scripts);
        scripts.forEach((name, s) -> {
            if (!name.equals(s.name())) {
                throw new IllegalArgumentException("script " + s.name() + " filed under " + name);
            }
        });
    }
}
