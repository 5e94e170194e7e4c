package appliance.vrrp;

import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code vrrp_sync_group}, as keepalived 2.2.7's vrrp_sync.c: a member becoming master
 * takes the others with it, but only once every member wants to (each one's Master_Down_Timer ran
 * out, or the group is master already), so the group prefers backup to thrashing; a master member
 * going back to backup takes the others back; while any member has a reason of its own to be in
 * FAULT, all are in FAULT ({@link FaultReason#SYNC_GROUP}), and they leave it together.
 * Its members share one event loop, and every call comes on it: no locks, no races.
 */
public final class SyncGroup implements VirtualRouter.SyncGate {

    private static final Logger log = LoggerFactory.getLogger(SyncGroup.class);

    private final String name;
    private final List<VirtualRouter> members;
    private final BiConsumer<String, VrrpState> transitions;
    private volatile VrrpState state = VrrpState.INITIALIZE;

    /** @param transitions gets the group's name and new state: its notify scripts and FIFO line */
    public SyncGroup(String name, List<VirtualRouter> members, BiConsumer<String, VrrpState> transitions) {
        this.name = name;
        this.members = List.copyOf(members);
        this.transitions = transitions;
        for (VirtualRouter m : this.members) {
            m.syncGroup(this);
        }
    }

    public String name() {
        return name;
    }

    /** From any thread. */
    public VrrpState state() {
        return state;
    }

    public List<String> memberNames() {
        return members.stream().map(m -> m.config().name()).toList();
    }

    @Override
    public boolean mayBecomeMaster(VirtualRouter member) {
        if (state == VrrpState.MASTER) {
            return true;
        }
        for (VirtualRouter m : members) {
            if (m != member && m.state() != VrrpState.MASTER && !m.isWaitingForGroup()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void changed(VirtualRouter member, VrrpState from, VrrpState to) {
        if (to == VrrpState.MASTER && state != VrrpState.MASTER) {
            enter(VrrpState.MASTER, "Syncing instances to MASTER state");
            for (VirtualRouter m : members) {
                m.syncToMaster("sync group " + name + " became master with " + member.config().name());
            }
        } else if (to == VrrpState.BACKUP && from == VrrpState.MASTER && state == VrrpState.MASTER) {
            enter(VrrpState.BACKUP, "Syncing instances to BACKUP state");
            for (VirtualRouter m : members) {
                m.syncToBackup("sync group " + name + " went back to backup with " + member.config().name());
            }
        } else if (to == VrrpState.BACKUP && state == VrrpState.MASTER) {
            // Started (or out of FAULT) while the group is master: join it.
            member.syncToMaster("sync group " + name + " is master");
        } else if (to == VrrpState.BACKUP && state != VrrpState.BACKUP) {
            enter(VrrpState.BACKUP, null);
        }
    }

    @Override
    public void faultsChanged(VirtualRouter member) {
        boolean anyOwnFault = members.stream().anyMatch(VirtualRouter::hasOwnFault);
        if (anyOwnFault && state != VrrpState.FAULT) {
            enter(VrrpState.FAULT, "Syncing instances to FAULT state");
            for (VirtualRouter m : members) {
                m.faultRaised(FaultReason.SYNC_GROUP);
            }
        } else if (!anyOwnFault && state == VrrpState.FAULT) {
            // Leaving FAULT: each member listens first (an owner takes over), as at startup.
            state = VrrpState.INITIALIZE;
            for (VirtualRouter m : members) {
                m.faultCleared(FaultReason.SYNC_GROUP);
            }
        }
    }

    private void enter(VrrpState to, String keepalivedLine) {
        state = to;
        if (keepalivedLine != null) {
            log.info("VRRP_Group({}) {}", name, keepalivedLine);
        }
        transitions.accept(name, to);
    }
}
