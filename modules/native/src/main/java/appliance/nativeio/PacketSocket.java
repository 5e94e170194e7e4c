package appliance.nativeio;

import java.util.Arrays;
import java.util.Objects;

import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AF_PACKET socket that sends whole Ethernet frames out of one interface: gratuitous ARP
 * when a router becomes master (RFC 5798 §6.4.2), as keepalived's {@code vrrp_arp.c} does.
 * Opened with protocol 0, so it receives nothing; it sits on the loop only so that the loop's
 * shutdown closes it.
 *
 * <p>Threading: {@link #open} off the loop; {@link #send} and {@link #close} from any thread.
 */
public final class PacketSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PacketSocket.class);

    private static final int ETHERNET_HEADER = 14;
    private static final int MAC_LENGTH = 6;

    private final EpollSocket socket;
    private final String interfaceName;
    private final int interfaceIndex;
    private final SendFailures sendFailures = new SendFailures();

    private PacketSocket(EpollSocket socket, String interfaceName, int interfaceIndex) {
        this.socket = socket;
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
    }

    /**
     * Opens the socket in the calling thread's network namespace. Off the loop only.
     *
     * @throws NativeException EPERM without CAP_NET_RAW, ENODEV for a missing interface
     */
    public static PacketSocket open(IoEventLoop loop, String interfaceName) throws NativeException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (loop.inEventLoop()) {
            throw new IllegalStateException("PacketSocket.open waits for its loop: call it off the loop");
        }
        int ifindex = NetworkInterfaces.indexOf(interfaceName);
        int fd = Syscalls.socket(Syscalls.AF_PACKET, Syscalls.SOCK_RAW, 0, "socket(AF_PACKET, SOCK_RAW, 0)");
        EpollSocket socket = EpollSocket.register(loop, fd, "packet socket on " + interfaceName, null, null);
        return new PacketSocket(socket, interfaceName, ifindex);
    }

    /**
     * Sends {@code ethernetFrame} (destination MAC, source MAC, EtherType, payload) as it is.
     * Any thread; never blocks.
     *
     * @param etherType the frame's EtherType, e.g. 0x0806 for ARP
     * @return false when it was not sent (counted in {@link #droppedSends()})
     */
    public boolean send(byte[] ethernetFrame, int etherType) {
        if (ethernetFrame.length < ETHERNET_HEADER) {
            throw new IllegalArgumentException("an Ethernet frame has at least " + ETHERNET_HEADER
                    + " bytes, was " + ethernetFrame.length);
        }
        if (etherType < 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("EtherType must be 0..65535, was " + etherType);
        }
        byte[] address = Syscalls.sockaddrLl(interfaceIndex, etherType, Arrays.copyOf(ethernetFrame, MAC_LENGTH));
        return sendFailures.sent(socket.sendTo(ethernetFrame, address), log, this, null);
    }

    public IoEventLoop eventLoop() {
        return socket.loop();
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** Frames {@link #send} could not send. */
    public long droppedSends() {
        return sendFailures.dropped();
    }

    /** Idempotent, any thread. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
