package appliance.check;

/**
 * Told of checks' verdicts and of real servers going alive or dead (alive while none of their
 * checks is down). Called on an event loop: implementations must not block.
 */
public interface VerdictListener {

    default void verdict(Verdict verdict) {
    }

    /** A real server of {@code vs} became alive, or dead. */
    default void realServerChanged(VirtualServer vs, RealServer rs, boolean alive) {
    }

    /** The weight of a real server of {@code vs} changed (misc-dynamic, FILE_CHECK): {@code weight} from now on. */
    default void realServerWeightChanged(VirtualServer vs, RealServer rs, int weight) {
    }

    /** {@code vs} gained or lost quorum: the weights of its alive real servers add up to at least 1, or no longer. */
    default void virtualServerChanged(VirtualServer vs, boolean up) {
    }
}
