package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import jnr.ffi.byref.IntByReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mechanism everything else stands on: an fd of our own, registered on Netty's epoll loop as
 * an EpollIoHandle, is read on the loop when a datagram arrives. A UDP socket on 127.0.0.1.
 */
class EpollIoHandleRegistrationTest {

    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;

    @BeforeEach
    void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void registeredSocketReceivesADatagramOnItsLoop() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        AtomicBoolean onLoop = new AtomicBoolean(true);
        int fd = loopbackUdpSocket();
        EpollSocket socket = EpollSocket.register(loop, fd, "udp test socket", s -> {
            onLoop.compareAndSet(true, loop.inEventLoop());
            ReceiveBuffer buffer = ReceiveBuffer.forThisThread();
            int n;
            while ((n = buffer.receive(s.intValue())) >= 0) {
                received.add(new String(buffer.copy(n), 0, n, StandardCharsets.US_ASCII));
            }
        }, null);
        try {
            send("hello", portOf(fd));
            send("again", portOf(fd));
            assertEquals("hello", received.poll(5, TimeUnit.SECONDS));
            assertEquals("again", received.poll(5, TimeUnit.SECONDS));
            assertTrue(onLoop.get(), "read on the event loop thread");
        } finally {
            socket.close();
        }
    }

    @Test
    void closedSocketIsNoLongerReadAndItsFdIsClosed() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        int fd = loopbackUdpSocket();
        int port = portOf(fd);
        EpollSocket socket = EpollSocket.register(loop, fd, "udp test socket", s -> received.add("read"), null);

        socket.close();

        assertFalse(socket.fd().isOpen());
        assertEquals(-Errno.EBADF, socket.sendTo(new byte[1], Syscalls.sockaddrIn(loopback())));
        send("late", port); // nobody listens any more: dropped by the kernel
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
        socket.close(); // idempotent
    }

    @Test
    void shuttingTheLoopDownClosesRegisteredSockets() throws Exception {
        EpollSocket socket = EpollSocket.register(loop, loopbackUdpSocket(), "udp test socket", s -> { }, null);

        // A quiet period matters: with 0, Netty 4.2.7 may leave its run loop without calling
        // IoHandler.prepareToDestroy(), and then handles are not closed.
        group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();

        assertFalse(socket.fd().isOpen(), "Netty closes every handle when its loop ends");
    }

    @Test
    void registeringFromTheLoopItselfIsRefused() throws Exception {
        int fd = loopbackUdpSocket();
        Exception e = loop.submit(() -> assertThrows(IllegalStateException.class,
                () -> EpollSocket.register(loop, fd, "udp test socket", s -> { }, null))).get(5, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("off its event loop"), e.getMessage());
    }

    private static Inet4Address loopback() throws Exception {
        return (Inet4Address) InetAddress.getByName("127.0.0.1");
    }

    /** A non-blocking UDP socket bound to 127.0.0.1 on a port the kernel picks. */
    private static int loopbackUdpSocket() throws Exception {
        int fd = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM, 0)");
        Syscalls.bind(fd, Syscalls.sockaddrIn(loopback()), "bind(127.0.0.1:0)");
        return fd;
    }

    private static int portOf(int fd) {
        byte[] address = new byte[16];
        IntByReference length = new IntByReference(address.length);
        assertEquals(0, TestLibC.INSTANCE.getsockname(fd, address, length));
        return Short.toUnsignedInt(ByteBuffer.wrap(address, 2, 2).getShort()); // sin_port, network order
    }

    private static void send(String text, int port) throws Exception {
        try (DatagramSocket sender = new DatagramSocket()) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            sender.send(new DatagramPacket(Arrays.copyOf(bytes, bytes.length), bytes.length, loopback(), port));
        }
    }
}
