package appliance.check;

/**
 * Told of checks' verdicts and of real servers going alive or dead (alive while none of their
 * checks is down). Called on an event loop: implementations must not block.
 */
public interface VerdictListener {

    void verdict(Verdict verdict);

    /** A real server of {@code vs} became alive, or dead. */
    default void realServerChanged(VirtualServer vs, RealServer rs, boolean alive) {
    }
}
