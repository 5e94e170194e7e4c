package appliance.ipvs;

import appliance.codec.ipvs.IpvsDaemon;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's lvs_sync_daemon: the kernel's connection sync daemon follows a VRRP instance, the
 * master daemon while it is MASTER (it sends the connection table), the backup daemon otherwise
 * (it receives it), so that a takeover keeps the established connections. Each change stops the
 * other daemon first; a daemon already stopped (ESRCH) or already running (EEXIST) is no failure.
 * Threading: commands run in order on the IPVS client's loop; {@link #follow} from any thread.
 */
public final class SyncDaemon {

    private static final Logger log = LoggerFactory.getLogger(SyncDaemon.class);

    private final IpvsClient client;
    private final IpvsDaemon master;
    private final IpvsDaemon backup;
    /** The commands, one after another. Confined to the loop. */
    private CompletableFuture<Void> queue = CompletableFuture.completedFuture(null);
    private Boolean running;
    private boolean stopped;

    /** @param settings the daemon's interface, sync id and options; its state is ignored (both are made from it) */
    public SyncDaemon(IpvsClient client, IpvsDaemon settings) {
        this.client = client;
        this.master = new IpvsDaemon(IpvsDaemon.MASTER, settings.interfaceName(), settings.syncId(), settings.maxLength(),
                settings.group(), settings.port(), settings.ttl());
        this.backup = new IpvsDaemon(IpvsDaemon.BACKUP, settings.interfaceName(), settings.syncId(), settings.maxLength(),
                settings.group(), settings.port(), settings.ttl());
    }

    /** The instance is MASTER ({@code true}) or not: the matching daemon runs, the other stops. Any thread. */
    public void follow(boolean isMaster) {
        client.eventLoop().execute(() -> {
            if (stopped || (running != null && running == isMaster)) {
                return;
            }
            running = isMaster;
            IpvsDaemon start = isMaster ? master : backup;
            int other = isMaster ? IpvsDaemon.BACKUP : IpvsDaemon.MASTER;
            queue = queue.thenCompose(x -> tolerate(client.stopDaemon(other), IpvsClient.ESRCH))
                    .thenCompose(x -> tolerate(client.startDaemon(start), IpvsClient.EEXIST))
                    .thenRun(() -> log.info("IPVS: {} sync daemon on {} (syncid {})", isMaster ? "master" : "backup",
                            start.interfaceName(), start.syncId()))
                    .exceptionally(e -> {
                        log.warn("{}; the next change of the instance tries again", cause(e).getMessage());
                        running = null; // not running as asked: the next follow() does it all again
                        return null;
                    });
        });
    }

    /** Both daemons stopped (keepalived at stop). Completes when done. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            running = null;
            stopped = true;
            queue = queue.thenCompose(x -> tolerate(client.stopDaemon(IpvsDaemon.MASTER), IpvsClient.ESRCH))
                    .thenCompose(x -> tolerate(client.stopDaemon(IpvsDaemon.BACKUP), IpvsClient.ESRCH))
                    .exceptionally(e -> {
                        log.warn("{}", cause(e).getMessage());
                        return null;
                    });
            queue.whenComplete((x, e) -> done.complete(null));
        });
        return done;
    }

    private static CompletableFuture<Void> tolerate(CompletableFuture<Void> command, int errno) {
        return command.handle((x, e) -> {
            if (e != null && !(cause(e) instanceof IpvsException i && i.errno() == errno)) {
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return null;
        });
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
