package appliance.config;

import appliance.codec.ipvs.IpvsDaemon;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's global IPVS settings: {@code lvs_sync_daemon} (the connection sync daemon, master
 * while {@code instance} is MASTER and backup otherwise), {@code lvs_flush} (the whole table
 * flushed at start, others' services too) and {@code lvs_flush_onstop} (flushed at stop rather than
 * only ours removed).
 */
public record IpvsSettings(Optional<SyncDaemon> syncDaemon, boolean flush, boolean flushOnStop) {

    public static final IpvsSettings NONE = new IpvsSettings(Optional.empty(), false, false);

    /** The daemon's settings (its state is set as the instance goes) and the VRRP instance it follows. */
    public record SyncDaemon(String instance, IpvsDaemon settings) {
        public SyncDaemon {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(settings, "settings");
        }
    }

    public IpvsSettings {
        Objects.requireNonNull(syncDaemon, "syncDaemon");
    }
}
