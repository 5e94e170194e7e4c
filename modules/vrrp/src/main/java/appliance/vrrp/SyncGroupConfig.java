package appliance.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * keepalived's {@code vrrp_sync_group}: instances that are MASTER, BACKUP and FAULT together, with
 * notify scripts of their own and tracking that applies to every member. As keepalived 2.2.7, a
 * member's weighted tracking is not used unless {@code sync-group-tracking-weight} is set: a
 * weighted interface counts as weight 0 (down is FAULT), a weighted script or file is ignored;
 * each is named in a warning.
 */
public record SyncGroupConfig(String name, List<String> members, Notify notifyScripts, Tracking tracking,
                              boolean trackingWeight) {

    public SyncGroupConfig {
        Objects.requireNonNull(name, "name");
        VirtualRouterConfig.checkName(name);
        members = List.copyOf(members);
        Objects.requireNonNull(notifyScripts, "notifyScripts");
        Objects.requireNonNull(tracking, "tracking");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("sync group " + name + " has no instance in its group list");
        }
        if (members.stream().distinct().count() != members.size()) {
            throw new IllegalArgumentException("sync group " + name + " lists an instance twice");
        }
    }

    /**
     * A member as it runs in the group: the group's tracking added to its own, and, without
     * sync-group-tracking-weight, its weights dropped as keepalived drops them ({@code warn} gets
     * each such line).
     */
    public VirtualRouterConfig member(VirtualRouterConfig c, Map<String, VrrpScript> scripts, Consumer<String> warn) {
        List<TrackedInterface> interfaces = merged(c.tracking().interfaces(), tracking.interfaces(), TrackedInterface::name);
        List<TrackedFile> files = merged(c.tracking().files(), tracking.files(), TrackedFile::file);
        List<TrackedScript> tracked = merged(c.tracking().scripts(), tracking.scripts(), TrackedScript::name);
        List<TrackedProcess> processes = merged(c.tracking().processes(), tracking.processes(), TrackedProcess::name);
        if (!trackingWeight) {
            String why = " due to SYNC group " + name + " (set sync-group-tracking-weight to use weights)";
            interfaces.replaceAll(i -> {
                if (i.weight() == 0) {
                    return i;
                }
                warn.accept("(" + c.name() + ") ignoring weight of tracked interface " + i.name() + why);
                return new TrackedInterface(i.name(), 0);
            });
            files.removeIf(f -> {
                if (f.weight() != 0) {
                    warn.accept("(" + c.name() + ") ignoring tracked file " + f.file() + " with weight " + f.weight() + why);
                }
                return f.weight() != 0;
            });
            tracked.removeIf(s -> {
                VrrpScript script = scripts.get(s.name());
                boolean weighted = script != null && s.weightIn(script) != 0;
                if (weighted) {
                    warn.accept("(" + c.name() + ") ignoring tracked script " + s.name() + " with weights" + why);
                }
                return weighted;
            });
        }
        return c.withTracking(new Tracking(interfaces, files, tracked, processes, c.tracking().virtualServers()));
    }

    /** The member's own entries, then the group's for things the member does not track itself. */
    private static <T> List<T> merged(List<T> own, List<T> group, java.util.function.Function<T, ?> key) {
        List<T> all = new ArrayList<>(own);
        for (T g : group) {
            if (own.stream().noneMatch(o -> key.apply(o).equals(key.apply(g)))) {
                all.add(g);
            }
        }
        return all;
    }
}
