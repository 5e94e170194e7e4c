package appliance.vrrp;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What keepalived keeps in global_defs and beside its instances that the VRRP component needs:
 * the notify FIFO, the {@code vrrp_script} definitions the instances track by name, and who runs
 * scripts ({@code script_user}, {@code enable_script_security}).
 */
public record VrrpGlobals(Optional<Path> notifyFifo, Map<String, VrrpScript> scripts, boolean enableScriptSecurity,
                          Optional<ScriptUser> scriptUser) {

    public static final VrrpGlobals NONE = new VrrpGlobals(Optional.empty(), Map.of(), false, Optional.empty());

    public VrrpGlobals {
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
