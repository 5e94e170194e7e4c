package appliance.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether VRRP nodes agree on who is master, judged from both sides of each node: its latest
 * logged state and the addresses on its {@code e0}. Agreement: the master logs MASTER and holds
 * all virtual addresses; every backup logs BACKUP and holds none; and that picture holds,
 * without a new state line, for two advert intervals (at least 200 ms, at most 2 s).
 */
public final class Agreement {

    private static final Duration POLL = Duration.ofMillis(20);

    private Agreement() {
    }

    /**
     * Waits until {@code master} and {@code backups} agree and returns the agreed picture, one
     * node per line; throws with the last picture seen (and the logs' tails) after {@code timeout}.
     */
    public static String await(Duration timeout, VrrpNode master, VrrpNode... backups) {
        List<VrrpNode> all = Stream.concat(Stream.of(master), Stream.of(backups)).collect(Collectors.toList());
        Duration hold = clamp(master.spec().advertInterval().multipliedBy(2));
        long deadline = System.nanoTime() + timeout.toNanos();
        String problem;
        while (true) {
            problem = disagreement(master, backups);
            if (problem == null) {
                int[] marks = all.stream().mapToInt(n -> n.process().mark()).toArray();
                Lab.pause(hold);
                problem = disagreement(master, backups);
                if (problem == null) {
                    problem = newStateLines(all, marks);
                }
                if (problem == null) {
                    return picture(all);
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Lab.pause(POLL);
        }
        StringBuilder message = new StringBuilder("no agreement on " + master.name() + " as master within "
                + ProtocolTimes.seconds(timeout) + ": " + problem + "\n" + picture(all));
        for (VrrpNode node : all) {
            message.append("\nlast output of ").append(node.name()).append(":\n").append(node.process().tail(15));
        }
        throw new LabException(message.toString());
    }

    /** What is wrong with the picture now, or null if it is the agreed one. */
    private static String disagreement(VrrpNode master, VrrpNode... backups) {
        if (state(master) != VrrpState.MASTER) {
            return master.name() + " is " + stateName(master);
        }
        if (!master.holdsVirtualAddresses()) {
            return master.name() + " lacks " + master.spec().virtualAddresses();
        }
        for (VrrpNode backup : backups) {
            if (state(backup) != VrrpState.BACKUP) {
                return backup.name() + " is " + stateName(backup);
            }
            if (backup.holdsAnyVirtualAddress()) {
                return backup.name() + " holds a virtual address";
            }
        }
        return null;
    }

    private static String newStateLines(List<VrrpNode> nodes, int[] marks) {
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int mark = marks[i];
            VrrpNode node = nodes.get(i);
            node.stateChanges().stream()
                    .filter(c -> c.line().index() >= mark)
                    .forEach(c -> changes.add(node.name() + " changed to " + c.state()));
        }
        return changes.isEmpty() ? null : "flapping: " + String.join(", ", changes);
    }

    private static VrrpState state(VrrpNode node) {
        return node.state().map(VrrpNode.StateChange::state).orElse(null);
    }

    private static String stateName(VrrpNode node) {
        VrrpState state = state(node);
        return state == null ? "in no state yet" : state.toString();
    }

    /** One line per node: name, latest state, addresses. */
    public static String picture(List<VrrpNode> nodes) {
        return nodes.stream().map(n -> "  " + n.describe()).collect(Collectors.joining("\n"));
    }

    private static Duration clamp(Duration d) {
        Duration min = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(2);
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
