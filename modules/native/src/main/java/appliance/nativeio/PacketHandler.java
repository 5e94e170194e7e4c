package appliance.nativeio;

/**
 * Receives the packets of a socket, on the socket's event loop.
 *
 * <p>The buffer is reused: its bytes are valid only during the call; copy what must outlive it.
 * An exception thrown here is logged and counted, and reading goes on.
 */
@FunctionalInterface
public interface PacketHandler {

    /** @param length bytes of {@code buffer} that hold the packet, from index 0 */
    void packetReceived(byte[] buffer, int length);
}
