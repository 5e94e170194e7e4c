package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VRRP over IPv6 through raw sockets, between two namespaces joined by a veth pair. Runs as root. */
class RawIpv6SocketTest {

    private static final int VRRP = 112;
    private static final int ETH_P_IPV6 = 0x86dd;
    /** Bytes 6 and 7 are where VRRPv3 keeps its checksum: a kernel doing IPV6_CHECKSUM would rewrite them. */
    private static final byte[] ADVERT = "not really a VRRPv3 advertisement".getBytes(StandardCharsets.US_ASCII);

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;
    private static Inet6Address vrrpGroup;
    private static Inet6Address linkLocalA;
    private static Inet6Address linkLocalB;
    private static Inet6Address globalA;
    private static Inet6Address globalB;

    /** What a handler was given, copied. */
    private record Received(byte[] payload, Inet6Address source, Inet6Address destination, int hopLimit) {
    }

    private TwoRouters routers;
    private final BlockingQueue<Received> receivedOnA = new LinkedBlockingQueue<>();
    private final BlockingQueue<Received> receivedOnB = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startLoop() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
        vrrpGroup = address("ff02::12");
        linkLocalA = address(TwoRouters.LINK_LOCAL_A);
        linkLocalB = address(TwoRouters.LINK_LOCAL_B);
        globalA = address(TwoRouters.GLOBAL_A);
        globalB = address(TwoRouters.GLOBAL_B);
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void twoRouters() throws Exception {
        routers = TwoRouters.createDualStack();
    }

    @AfterEach
    void deleteNamespaces() throws Exception {
        routers.close();
    }

    @Test
    void advertToTheVrrpGroupArrivesWithHopLimit255FromTheSendersLinkLocalAddress() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, vrrpGroup, linkLocalA, 0));

            Received r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "nothing arrived on vb");
            assertArrayEquals(ADVERT, r.payload(), "the payload, and nothing before it");
            assertEquals(linkLocalA, r.source());
            assertEquals(vrrpGroup, r.destination());
            assertEquals(255, r.hopLimit());
            assertEquals("fe80:0:0:0:0:0:0:a", r.source().getHostAddress(), "no scope id");
            assertEquals(1, b.receivedPackets());
            assertEquals(0, b.receiveErrors());
            assertEquals(a.interfaceIndex(), routers.a.call(() -> NetworkInterfaces.indexOf("va")));
        }
    }

    @Test
    void theSenderDoesNotHearItsOwnMulticast() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {
            // a does receive the group: from b.
            assertTrue(b.send(ADVERT, vrrpGroup, linkLocalB, 0));
            Received fromB = receivedOnA.poll(5, TimeUnit.SECONDS);
            assertNotNull(fromB, "a hears b's advert");
            assertEquals(linkLocalB, fromB.source());

            assertTrue(a.send(ADVERT, vrrpGroup, linkLocalA, 0));

            assertNotNull(receivedOnB.poll(5, TimeUnit.SECONDS), "b hears a's advert");
            assertNull(receivedOnA.poll(300, TimeUnit.MILLISECONDS), "no multicast loop back to the sender");
            assertEquals(1, a.receivedPackets());
        }
    }

    /** IPV6_PKTINFO: the VRRPv3 checksum covers the source, so the one asked for must be the one used. */
    @Test
    void anAdvertGoesOutFromTheSourceAskedFor() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, vrrpGroup, globalA, 0));
            Received r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "nothing arrived on vb");
            assertEquals(globalA, r.source());
            assertEquals(vrrpGroup, r.destination());

            assertTrue(a.send(ADVERT, vrrpGroup, linkLocalA, 0));
            r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(linkLocalA, r.source());
        }
    }

    /** keepalived's unicast peers: the destination tells the receiver it was not multicast. */
    @Test
    void unicastToThePeersGlobalAddressArrivesWithThatDestination() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, globalB, globalA, 0));

            Received r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "nothing arrived on vb");
            assertEquals(globalB, r.destination());
            assertEquals(globalA, r.source());
            assertEquals(255, r.hopLimit(), "IPV6_UNICAST_HOPS");
            assertArrayEquals(ADVERT, r.payload());
        }
    }

    /** The socket's interface scopes a link-local destination, not the scope id the address brings. */
    @Test
    void unicastToThePeersLinkLocalAddressLeavesByTheSocketsInterface() throws Exception {
        Inet6Address wronglyScoped = Inet6Address.getByAddress(null, linkLocalB.getAddress(), 999);
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, wronglyScoped, linkLocalA, 0));

            Received r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "nothing arrived on vb");
            assertEquals(linkLocalB, r.destination());
            assertEquals(linkLocalA, r.source());
            assertEquals(0, a.droppedSends());
        }
    }

    /** keepalived's unicast_ttl: the hop limit of one datagram, through an IPV6_HOPLIMIT control message. */
    @Test
    void aHopLimitGivenOnSendIsTheOneReceived() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, globalB, globalA, 64));
            Received r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "nothing arrived on vb");
            assertEquals(64, r.hopLimit());

            assertTrue(a.send(ADVERT, vrrpGroup, linkLocalA, 64));
            r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(64, r.hopLimit(), "multicast too");

            assertTrue(a.send(ADVERT, globalB, globalA, 0));
            r = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(255, r.hopLimit(), "0: the socket's");
        }
    }

    /** What a capture on the peer sees: traffic class CS6, next header 112, the payload byte for byte. */
    @Test
    void onTheWireTheAdvertHasTrafficClass0xc0AndAnUntouchedPayload() throws Exception {
        int capture = routers.b.call(() -> ipv6Capture("vb"));
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA)) {
            assertTrue(a.send(ADVERT, vrrpGroup, linkLocalA, 0));

            byte[] frame = receiveVrrpFrame(capture);
            assertNotNull(frame, "no VRRP frame captured on vb");
            int ip = 14;
            assertEquals(6, (frame[ip] & 0xff) >> 4, "version");
            int trafficClass = ((frame[ip] & 0x0f) << 4) | ((frame[ip + 1] & 0xff) >> 4);
            assertEquals(0xc0, trafficClass, "traffic class");
            assertEquals(ADVERT.length, ((frame[ip + 4] & 0xff) << 8) | (frame[ip + 5] & 0xff), "payload length");
            assertEquals(VRRP, frame[ip + 6] & 0xff, "next header");
            assertEquals(255, frame[ip + 7] & 0xff, "hop limit");
            assertEquals(linkLocalA, InetAddress.getByAddress(Arrays.copyOfRange(frame, ip + 8, ip + 24)));
            assertEquals(vrrpGroup, InetAddress.getByAddress(Arrays.copyOfRange(frame, ip + 24, ip + 40)));
            assertArrayEquals(ADVERT, Arrays.copyOfRange(frame, ip + 40, ip + 40 + ADVERT.length),
                    "no checksum written by the kernel");
        } finally {
            Syscalls.close(capture);
        }
    }

    /** The kernel checks an IPV6_PKTINFO source against the interface's addresses. */
    @Test
    void aSourceThatIsNotOneOfOurAddressesIsRefusedAndCounted() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {

            assertFalse(a.send(ADVERT, vrrpGroup, address("fd00:99::77"), 0));

            assertEquals(1, a.droppedSends());
            assertNull(receivedOnB.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    /** The first datagram already has its kernel timestamp: timestamping is switched on at open. */
    @Test
    void handlerSeesTheKernelsReceiveTimeOfEachDatagram() throws Exception {
        AtomicReference<RawIpv6Socket> self = new AtomicReference<>();
        BlockingQueue<long[]> stamps = new LinkedBlockingQueue<>();
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = routers.b.call(() -> RawIpv6Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len, src, dst, hops) -> stamps.add(
                             new long[] {self.get().kernelReceiveTime(), epochNanos()})))) {
            self.set(b);
            for (int i = 0; i < 3; i++) {
                long before = epochNanos();
                a.send(ADVERT, vrrpGroup, linkLocalA, 0);
                long[] got = stamps.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "nothing arrived on vb");
                // Instant.now() has microseconds: allow one of rounding on either side.
                assertTrue(got[0] >= before - 1_000, "received " + (before - got[0]) + " ns before it was sent");
                assertTrue(got[0] <= got[1] + 1_000, "stamped " + (got[0] - got[1]) + " ns after the handler ran");
            }
        }
    }

    /** Addresses are kept from one datagram to the next: the same sender is the same object. */
    @Test
    void aSteadySenderIsHandedTheSameAddressObjects() throws Exception {
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = open(routers.b, "vb", receivedOnB)) {
            a.send(ADVERT, vrrpGroup, linkLocalA, 0);
            a.send(ADVERT, vrrpGroup, linkLocalA, 0);
            a.send(ADVERT, vrrpGroup, globalA, 0);

            Received first = receivedOnB.poll(5, TimeUnit.SECONDS);
            Received second = receivedOnB.poll(5, TimeUnit.SECONDS);
            Received third = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(third, "three adverts arrive");
            assertSame(first.source(), second.source());
            assertSame(first.destination(), second.destination());
            assertEquals(globalA, third.source(), "a new sender is not mistaken for the last");
        }
    }

    @Test
    void failingHandlerDoesNotStopReading() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA);
             RawIpv6Socket b = routers.b.call(() -> RawIpv6Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len, src, dst, hops) -> {
                         if (first.getAndSet(false)) {
                             throw new IllegalStateException("handler bug");
                         }
                         receivedOnB.add(new Received(Arrays.copyOf(buf, len), src, dst, hops));
                     }))) {

            a.send(ADVERT, vrrpGroup, linkLocalA, 0);
            a.send(ADVERT, vrrpGroup, linkLocalA, 0);

            assertNotNull(receivedOnB.poll(5, TimeUnit.SECONDS), "the second packet still arrives");
            assertEquals(1, b.receiveErrors());
            assertEquals(2, b.receivedPackets());
        }
    }

    @Test
    void closedSocketSendsNothingAndCountsTheDrop() throws Exception {
        RawIpv6Socket a = open(routers.a, "va", receivedOnA);
        a.close();

        assertFalse(a.send(ADVERT, vrrpGroup, linkLocalA, 0));
        assertEquals(1, a.droppedSends());
        a.close(); // idempotent
    }

    @Test
    void openingOnAMissingInterfaceFailsWithEnodevNamingTheCall() throws Exception {
        NativeException e = assertThrows(NativeException.class,
                () -> routers.a.call(() -> RawIpv6Socket.open(loop, VRRP, "e9", List.of(vrrpGroup), 255,
                        (b, l, s, d, h) -> { })));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.isNoSuchDevice());
        assertEquals("if_nametoindex(e9)", e.call());
        assertEquals("no such network interface: e9", e.getMessage());
    }

    @Test
    void withoutCapNetRawOpeningFailsWithEperm() throws Exception {
        NativeException e = assertThrows(NativeException.class, () -> routers.a.call(() -> {
            Capabilities.dropFromThisThread(Capabilities.CAP_NET_RAW);
            return RawIpv6Socket.open(loop, VRRP, "va", List.of(vrrpGroup), 255, (b, l, s, d, h) -> { });
        }));
        assertTrue(e.isPermissionDenied());
        assertEquals("socket(AF_INET6, SOCK_RAW, 112)", e.call());
    }

    @Test
    void argumentsAreCheckedBeforeAnySystemCall() throws Exception {
        Ipv6PacketHandler ignore = (b, l, s, d, h) -> { };
        assertThrows(IllegalArgumentException.class,
                () -> RawIpv6Socket.open(loop, VRRP, "va", List.of(linkLocalA), 255, ignore));
        assertThrows(IllegalArgumentException.class, () -> RawIpv6Socket.open(loop, 0, "va", List.of(), 255, ignore));
        assertThrows(IllegalArgumentException.class, () -> RawIpv6Socket.open(loop, VRRP, "va", List.of(), 0, ignore));
        assertThrows(IllegalStateException.class, () -> {
            try {
                loop.submit(() -> RawIpv6Socket.open(loop, VRRP, "lo", List.of(), 255, ignore))
                        .get(5, TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                throw ex.getCause();
            }
        }, "open on the loop would wait for itself");
        try (RawIpv6Socket a = open(routers.a, "va", receivedOnA)) {
            assertThrows(IllegalArgumentException.class, () -> a.send(ADVERT, vrrpGroup, linkLocalA, 256));
        }
    }

    private static RawIpv6Socket open(TestNetns ns, String interfaceName, BlockingQueue<Received> into)
            throws Exception {
        return ns.call(() -> RawIpv6Socket.open(loop, VRRP, interfaceName, List.of(vrrpGroup), 255,
                (buf, len, src, dst, hops) -> into.add(new Received(Arrays.copyOf(buf, len), src, dst, hops))));
    }

    private static Inet6Address address(String literal) throws Exception {
        return (Inet6Address) InetAddress.getByName(literal);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** A non-blocking AF_PACKET socket receiving the IPv6 frames arriving on {@code interfaceName}. */
    private static int ipv6Capture(String interfaceName) throws Exception {
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_IPV6)); // htons
        int fd = Syscalls.socket(Syscalls.AF_PACKET, Syscalls.SOCK_RAW, protocol,
                "socket(AF_PACKET, SOCK_RAW, ETH_P_IPV6)");
        Syscalls.bind(fd, Syscalls.sockaddrLl(NetworkInterfaces.indexOf(interfaceName), ETH_P_IPV6, new byte[0]),
                "bind(" + interfaceName + ")");
        return fd;
    }

    /** The first captured frame whose IPv6 next header is VRRP (not MLD), or null if none is within 5 s. */
    private static byte[] receiveVrrpFrame(int fd) throws Exception {
        ReceiveBuffer buffer = ReceiveBuffer.forThisThread();
        for (int i = 0; i < 250; i++) {
            int n = buffer.receive(fd);
            if (n > 0) {
                byte[] frame = Arrays.copyOf(buffer.copy(n), n);
                if (n >= 54 && (frame[14 + 6] & 0xff) == VRRP) {
                    return frame;
                }
                continue;
            }
            Thread.sleep(20);
        }
        return null;
    }
}
