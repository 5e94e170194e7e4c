package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP through an AF_PACKET socket, seen on the other end of a veth pair. Runs as root. */
class PacketSocketTest {

    private static final int ETH_P_ARP = 0x0806;

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;

    private TwoRouters routers;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void twoRouters() throws Exception {
        routers = TwoRouters.create();
    }

    @AfterEach
    void deleteNamespaces() throws Exception {
        routers.close();
    }

    @Test
    void gratuitousArpArrivesOnThePeerAsSent() throws Exception {
        byte[] garp = gratuitousArp(TwoRouters.MAC_A, new byte[] {(byte) 192, 0, 2, 100});
        int capture = routers.b.call(() -> arpCapture("vb"));
        try (PacketSocket a = routers.a.call(() -> PacketSocket.open(loop, "va"))) {

            assertTrue(a.send(garp, ETH_P_ARP));

            assertArrayEquals(garp, receiveFrame(capture, garp));
            assertEquals(0, a.droppedSends());
        } finally {
            Syscalls.close(capture);
        }
    }

    @Test
    void peerThatAcceptsGratuitousArpLearnsTheVirtualAddress() throws Exception {
        routers.b.exec("sysctl", "-q", "-w", "net.ipv4.conf.vb.arp_accept=1");
        byte[] garp = gratuitousArp(TwoRouters.MAC_A, new byte[] {(byte) 192, 0, 2, 100});
        try (PacketSocket a = routers.a.call(() -> PacketSocket.open(loop, "va"))) {

            assertTrue(a.send(garp, ETH_P_ARP));

            String neighbours = "";
            for (int i = 0; i < 50 && !neighbours.contains("192.0.2.100"); i++) {
                Thread.sleep(20);
                neighbours = routers.b.ip("neigh", "show", "dev", "vb");
            }
            assertTrue(neighbours.contains("192.0.2.100 lladdr " + TwoRouters.MAC_A), neighbours);
        }
    }

    @Test
    void openingOnAMissingInterfaceNamesIt() throws Exception {
        NativeException e = assertThrows(NativeException.class, () -> routers.a.call(() -> PacketSocket.open(loop, "e9")));
        assertTrue(e.isNoSuchDevice());
        assertEquals("no such network interface: e9", e.getMessage());
    }

    @Test
    void runtFrameIsRefusedAndClosedSocketSendsNothing() throws Exception {
        PacketSocket a = routers.a.call(() -> PacketSocket.open(loop, "va"));
        assertThrows(IllegalArgumentException.class, () -> a.send(new byte[13], ETH_P_ARP));
        a.close();
        assertFalse(a.send(gratuitousArp(TwoRouters.MAC_A, new byte[] {(byte) 192, 0, 2, 100}), ETH_P_ARP));
        assertEquals(1, a.droppedSends());
    }

    /** Broadcast ARP request for {@code ip} from {@code mac} about itself, as keepalived sends (RFC 5227 §3). */
    private static byte[] gratuitousArp(String mac, byte[] ip) {
        byte[] hw = HexFormat.ofDelimiter(":").parseHex(mac);
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        return ByteBuffer.allocate(42)
                .put(broadcast).put(hw).putShort((short) ETH_P_ARP)
                .putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1)
                .put(hw).put(ip).put(broadcast).put(ip)
                .array();
    }

    /** A non-blocking AF_PACKET socket receiving the ARP frames arriving on {@code interfaceName}. */
    private static int arpCapture(String interfaceName) throws Exception {
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ARP)); // htons
        int fd = Syscalls.socket(Syscalls.AF_PACKET, Syscalls.SOCK_RAW, protocol, "socket(AF_PACKET, SOCK_RAW, ETH_P_ARP)");
        Syscalls.bind(fd, Syscalls.sockaddrLl(NetworkInterfaces.indexOf(interfaceName), ETH_P_ARP, new byte[0]),
                "bind(" + interfaceName + ")");
        return fd;
    }

    /** The first captured frame equal to {@code expected}, or the last one seen if none is within 5 s. */
    private static byte[] receiveFrame(int fd, byte[] expected) throws Exception {
        ReceiveBuffer buffer = ReceiveBuffer.forThisThread();
        byte[] last = null;
        for (int i = 0; i < 250; i++) {
            int n = buffer.receive(fd);
            if (n > 0) {
                last = Arrays.copyOf(buffer.copy(n), n);
                if (Arrays.equals(expected, last)) {
                    return last;
                }
                continue;
            }
            Thread.sleep(20);
        }
        return last;
    }
}
