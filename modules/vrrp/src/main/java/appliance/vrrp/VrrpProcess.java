package appliance.vrrp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's {@code vrrp_track_process}: how many running processes match, against a quorum.
 * A process matches by its name (the kernel's comm, at most 15 characters) or, with
 * {@code full-command}, by its program path (argv[0]); with {@code param-match} its arguments
 * must also equal ({@code exact}), start with ({@code initial}) or contain ({@code partial}) the
 * ones written after the name. It is up while quorum ≤ count ≤ quorum-max; a change counts only
 * once it has lasted {@code fork-delay} (coming up) or {@code terminate-delay} (going down).
 */
public record VrrpProcess(String name, String process, Optional<ParamMatch> paramMatch, boolean fullCommand,
                          int quorum, int quorumMax, int weight, boolean reverse, Duration forkDelay,
                          Duration terminateDelay) {

    /** keepalived's comm is the kernel's TASK_COMM_LEN - 1. */
    public static final int COMM_LENGTH = 15;

    public enum ParamMatch { EXACT, INITIAL, PARTIAL }

    public VrrpProcess {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paramMatch, "paramMatch");
        Objects.requireNonNull(forkDelay, "forkDelay");
        Objects.requireNonNull(terminateDelay, "terminateDelay");
        if (process == null || process.isBlank()) {
            throw new IllegalArgumentException("process must name a process");
        }
        if (quorum < 0 || quorumMax < quorum) {
            throw new IllegalArgumentException("quorum must be 0.." + quorumMax + " and quorum-max at least quorum, got "
                    + quorum + ".." + quorumMax);
        }
        VrrpScript.checkWeight(weight);
        for (Duration d : List.of(forkDelay, terminateDelay)) {
            if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("delays must be 0s..1h, got " + d);
            }
        }
    }

    /** The words of {@code process}: the name, then the parameters param-match compares. */
    public List<String> words() {
        return List.of(process.strip().split("\\s+"));
    }

    /** Whether a process with this comm and command line (argv) matches. */
    public boolean matches(String comm, List<String> argv) {
        List<String> words = words();
        String wanted = words.get(0);
        if (fullCommand) {
            if (argv.isEmpty() || !argv.get(0).equals(wanted)) {
                return false;
            }
        } else if (!comm.equals(wanted.length() > COMM_LENGTH ? wanted.substring(0, COMM_LENGTH) : wanted)) {
            return false;
        }
        if (paramMatch.isEmpty()) {
            return true;
        }
        List<String> wantedArgs = words.subList(1, words.size());
        List<String> args = argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
        return switch (paramMatch.get()) {
            case EXACT -> args.equals(wantedArgs);
            case INITIAL -> args.size() >= wantedArgs.size() && args.subList(0, wantedArgs.size()).equals(wantedArgs);
            case PARTIAL -> java.util.Collections.indexOfSubList(args, wantedArgs) >= 0;
        };
    }

    public boolean isUp(int count) {
        return count >= quorum && count <= quorumMax;
    }
}
