package appliance.config;

import appliance.vrrp.StaticConfig;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.VrrpGlobals;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration as typed models, one per component (VRRP, the checkers, IPVS), plus where
 * each instance's keys were written so that errors found later (an interface missing at start)
 * still point at a file and line.
 */
public record ApplianceConfig(List<VirtualRouterConfig> vrrpInstances, Map<String, ConfigProblem> keyOrigins,
                              StaticConfig statics, VrrpGlobals vrrpGlobals,
                              java.util.Optional<appliance.smtp.SmtpSettings> smtp, boolean noEmailFaults,
                              boolean noCheckerEmails,
                              List<appliance.check.VirtualServer> virtualServers, ThreadPriorities priorities,
                              IpvsSettings ipvs, List<InitFile> initFiles) {

    public ApplianceConfig {
        vrrpInstances = List.copyOf(vrrpInstances);
        keyOrigins = Map.copyOf(keyOrigins);
        java.util.Objects.requireNonNull(statics, "statics");
        java.util.Objects.requireNonNull(vrrpGlobals, "vrrpGlobals");
        java.util.Objects.requireNonNull(smtp, "smtp");
        virtualServers = List.copyOf(virtualServers);
        java.util.Objects.requireNonNull(priorities, "priorities");
        java.util.Objects.requireNonNull(ipvs, "ipvs");
        initFiles = List.copyOf(initFiles);
    }

    public ApplianceConfig(List<VirtualRouterConfig> vrrpInstances, Map<String, ConfigProblem> keyOrigins,
                           StaticConfig statics) {
        this(vrrpInstances, keyOrigins, statics, VrrpGlobals.NONE, java.util.Optional.empty(), false, false, List.of(),
                ThreadPriorities.NONE, IpvsSettings.NONE, List.of());
    }

    public ApplianceConfig(List<VirtualRouterConfig> vrrpInstances, Map<String, ConfigProblem> keyOrigins) {
        this(vrrpInstances, keyOrigins, StaticConfig.NONE);
    }

    /** The same configuration with these instances and virtual servers (what a reload has applied). */
    public ApplianceConfig with(List<VirtualRouterConfig> vrrpInstances, List<appliance.check.VirtualServer> virtualServers) {
        return new ApplianceConfig(vrrpInstances, keyOrigins, statics, vrrpGlobals, smtp, noEmailFaults,
                noCheckerEmails, virtualServers, priorities, ipvs, initFiles);
    }

    /** keepalived's -P: the VRRP side alone (the checkers' virtual servers left out). */
    public ApplianceConfig vrrpOnly() {
        return with(vrrpInstances, List.of());
    }

    /** keepalived's -C: the checkers alone (no VRRP instance, sync group or static address). */
    public ApplianceConfig checkersOnly() {
        VrrpGlobals globals = new VrrpGlobals(vrrpGlobals.notifyFifo(), Map.of(), vrrpGlobals.enableScriptSecurity(),
                vrrpGlobals.scriptUser(), List.of(), Map.of());
        return new ApplianceConfig(List.of(), keyOrigins, StaticConfig.NONE, globals, smtp, noEmailFaults,
                noCheckerEmails, virtualServers, priorities, ipvs, initFiles);
    }

    /** A problem located at {@code vrrp.instances.INSTANCE.KEY} (or the instance, or the file), or at a full key path when there is no instance. */
    public ConfigProblem problemAt(String instance, String key, String message) {
        if (instance == null && key != null && keyOrigins.containsKey(key)) {
            ConfigProblem where = keyOrigins.get(key);
            return new ConfigProblem(where.file(), where.line(), key, message);
        }
        String path = instance == null ? null : HoconConfigReader.instancePath(instance) + (key == null ? "" : "." + key);
        ConfigProblem where = path == null ? null : keyOrigins.getOrDefault(path,
                keyOrigins.get(HoconConfigReader.instancePath(instance)));
        if (where == null) {
            return new ConfigProblem(null, 0, path, message);
        }
        return new ConfigProblem(where.file(), where.line(), path, message);
    }
}
