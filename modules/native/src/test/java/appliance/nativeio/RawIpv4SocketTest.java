package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VRRP's raw socket between two namespaces joined by a veth pair. Runs as root. */
class RawIpv4SocketTest {

    private static final int VRRP = 112;
    private static final byte[] ADVERT = "not really a VRRP advertisement".getBytes(StandardCharsets.US_ASCII);

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;
    private static Inet4Address vrrpGroup;

    private TwoRouters routers;
    private final BlockingQueue<byte[]> receivedOnA = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> receivedOnB = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startLoop() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
        vrrpGroup = (Inet4Address) InetAddress.getByName("224.0.0.18");
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
    void advertisementToTheVrrpGroupArrivesOnThePeerWithTtl255() throws Exception {
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, vrrpGroup));

            byte[] packet = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(packet, "nothing arrived on vb");
            int headerLength = (packet[0] & 0x0f) * 4;
            assertEquals(4, (packet[0] & 0xff) >> 4, "IPv4 header first");
            assertEquals(0xc0, packet[1] & 0xff, "TOS internetwork control");
            assertEquals(255, packet[8] & 0xff, "TTL");
            assertEquals(VRRP, packet[9] & 0xff, "protocol");
            assertEquals(InetAddress.getByName("192.0.2.1"), InetAddress.getByAddress(Arrays.copyOfRange(packet, 12, 16)));
            assertEquals(vrrpGroup, InetAddress.getByAddress(Arrays.copyOfRange(packet, 16, 20)));
            assertArrayEquals(ADVERT, Arrays.copyOfRange(packet, headerLength, packet.length));
            assertEquals(1, b.receivedPackets());
            assertEquals(a.interfaceIndex(), routers.a.call(() -> NetworkInterfaces.indexOf("va")));

            assertNull(receivedOnA.poll(200, TimeUnit.MILLISECONDS), "no multicast loop back to the sender");
        }
    }

    /** IP_PKTINFO: the kernel would pick the first primary address (192.0.2.1); the source given wins. */
    @Test
    void anAdvertGoesOutFromTheSourceAskedForNotTheKernelsChoice() throws Exception {
        routers.a.ip("addr", "add", "192.0.2.11/24", "dev", "va");
        Inet4Address secondary = (Inet4Address) InetAddress.getByName("192.0.2.11");
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = open(routers.b, "vb", receivedOnB)) {
            assertTrue(a.send(ADVERT, vrrpGroup, secondary));
            byte[] packet = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(packet, "nothing arrived on vb");
            assertEquals(secondary, InetAddress.getByAddress(Arrays.copyOfRange(packet, 12, 16)));
            assertEquals(255, packet[8] & 0xff, "TTL");
            assertEquals(0xc0, packet[1] & 0xff, "TOS internetwork control");
            int headerLength = (packet[0] & 0x0f) * 4;
            assertArrayEquals(ADVERT, Arrays.copyOfRange(packet, headerLength, packet.length));

            assertTrue(a.send(ADVERT, vrrpGroup));
            packet = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(packet);
            assertEquals(InetAddress.getByName("192.0.2.1"), InetAddress.getByAddress(Arrays.copyOfRange(packet, 12, 16)),
                    "without a source, the kernel's choice");
        }
    }

    /** keepalived's unicast_ttl: a unicast advert with its own TTL, through an IP_TTL control message. */
    @Test
    void aUnicastAdvertCarriesTheTtlAskedFor() throws Exception {
        Inet4Address source = (Inet4Address) InetAddress.getByName("192.0.2.1");
        Inet4Address peer = (Inet4Address) InetAddress.getByName("192.0.2.2");
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = open(routers.b, "vb", receivedOnB)) {
            assertTrue(a.send(ADVERT, peer, source, 64));
            byte[] packet = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(packet, "nothing arrived on vb");
            assertEquals(64, packet[8] & 0xff, "TTL");
            assertEquals(peer, InetAddress.getByAddress(Arrays.copyOfRange(packet, 16, 20)));
        }
    }

    @Test
    void unicastAdvertisementAlsoCarriesTtl255() throws Exception {
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = open(routers.b, "vb", receivedOnB)) {

            assertTrue(a.send(ADVERT, (Inet4Address) InetAddress.getByName("192.0.2.2")));

            byte[] packet = receivedOnB.poll(5, TimeUnit.SECONDS);
            assertNotNull(packet, "nothing arrived on vb");
            assertEquals(255, packet[8] & 0xff, "TTL");
            assertEquals(InetAddress.getByName("192.0.2.2"), InetAddress.getByAddress(Arrays.copyOfRange(packet, 16, 20)));
        }
    }

    /** The first datagram already has its kernel timestamp: timestamping is switched on at open. */
    @Test
    void handlerSeesTheKernelsReceiveTimeOfEachDatagram() throws Exception {
        java.util.concurrent.atomic.AtomicReference<RawIpv4Socket> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.LinkedBlockingQueue<long[]> stamps = new java.util.concurrent.LinkedBlockingQueue<>();
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = routers.b.call(() -> RawIpv4Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len) -> stamps.add(new long[] {self.get().kernelReceiveTime(), epochNanos()})))) {
            self.set(b);
            for (int i = 0; i < 3; i++) {
                long before = epochNanos();
                a.send(ADVERT, vrrpGroup);
                long[] got = stamps.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "nothing arrived on vb");
                // Instant.now() has microseconds: allow one of rounding on either side.
                assertTrue(got[0] >= before - 1_000, "received " + (before - got[0]) + " ns before it was sent");
                assertTrue(got[0] <= got[1] + 1_000, "stamped " + (got[0] - got[1]) + " ns after the handler ran");
            }
        }
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Test
    void failingHandlerDoesNotStopReading() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = routers.b.call(() -> RawIpv4Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len) -> {
                         if (first.getAndSet(false)) {
                             throw new IllegalStateException("handler bug");
                         }
                         receivedOnB.add(Arrays.copyOf(buf, len));
                     }))) {

            a.send(ADVERT, vrrpGroup);
            a.send(ADVERT, vrrpGroup);

            assertNotNull(receivedOnB.poll(5, TimeUnit.SECONDS), "the second packet still arrives");
            assertEquals(1, b.receiveErrors());
            assertEquals(2, b.receivedPackets());
        }
    }

    /**
     * What queued while the loop was busy is read in batches (more than one recvmmsg's worth
     * here), in order, each with its own timestamp; one too long for the buffer is dropped and
     * counted without losing its neighbours.
     */
    @Test
    void aBacklogIsReadWholeInOrderAndAnOversizedDatagramIsDroppedAlone() throws Exception {
        int count = 2 * DatagramBatch.SLOTS + 5;
        BlockingQueue<long[]> got = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicReference<RawIpv4Socket> self = new java.util.concurrent.atomic.AtomicReference<>();
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = routers.b.call(() -> RawIpv4Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len) -> got.add(new long[] {buf[(buf[0] & 0x0f) * 4], len, self.get().kernelReceiveTime()})))) {
            self.set(b);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < count; i++) {
                assertTrue(a.send(new byte[] {(byte) i, 1, 2, 3}, vrrpGroup));
                if (i == DatagramBatch.SLOTS / 2) {
                    assertTrue(a.send(new byte[DatagramBatch.DATA_CAPACITY], vrrpGroup), "sent in fragments");
                }
            }
            Thread.sleep(100); // all queued on vb's socket
            release.countDown();

            long lastStamp = 0;
            for (int i = 0; i < count; i++) {
                long[] datagram = got.poll(5, TimeUnit.SECONDS);
                assertNotNull(datagram, "datagram " + i + " of " + count + " did not arrive");
                assertEquals(i, datagram[0], "in the order sent");
                assertEquals(24, datagram[1], "IPv4 header and four bytes");
                assertTrue(datagram[2] >= lastStamp && datagram[2] > 0, "its own kernel timestamp");
                lastStamp = datagram[2];
            }
            assertEquals(count, b.receivedPackets());
            assertEquals(1, b.receiveErrors(), "the oversized one");
        }
    }

    /**
     * Paced, a stream of datagrams 4 ms apart is read in a few wakeups (one per 40 ms), each
     * datagram still with the time it arrived; {@code readPending} reads at once while paused.
     */
    @Test
    void pacedReadsComeInFewWakeupsWithTheArrivalTimesKept() throws Exception {
        long pacing = 40_000_000L;
        BlockingQueue<long[]> got = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicReference<RawIpv4Socket> self = new java.util.concurrent.atomic.AtomicReference<>();
        try (RawIpv4Socket a = open(routers.a, "va", receivedOnA);
             RawIpv4Socket b = routers.b.call(() -> RawIpv4Socket.open(loop, VRRP, "vb", List.of(vrrpGroup), 255,
                     (buf, len) -> got.add(new long[] {System.nanoTime(), self.get().kernelReceiveTime()})))) {
            self.set(b);
            b.paceReads(pacing);
            int count = 50;
            for (int i = 0; i < count; i++) {
                assertTrue(a.send(ADVERT, vrrpGroup));
                Thread.sleep(4);
            }
            List<long[]> all = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                long[] d = got.poll(5, TimeUnit.SECONDS);
                assertNotNull(d, "datagram " + i + " of " + count);
                all.add(d);
            }
            int wakeups = 1;
            for (int i = 1; i < count; i++) {
                if (all.get(i)[0] - all.get(i - 1)[0] > 2_000_000L) {
                    wakeups++;
                }
            }
            long sendingTook = 4_000_000L * count;
            assertTrue(wakeups <= sendingTook / pacing + 4, wakeups + " wakeups read " + count + " datagrams");
            long arrivalSpread = all.get(count - 1)[1] - all.get(0)[1];
            assertTrue(arrivalSpread >= sendingTook * 8 / 10, "kernel timestamps spread over " + arrivalSpread + " ns");

            // Two datagrams a millisecond apart are dense: reading the second pauses the socket
            // for 40 ms. One sent then waits for the pause to end, unless read at once.
            Thread.sleep(pacing * 5 / 1_000_000L);
            assertTrue(a.send(ADVERT, vrrpGroup));
            assertNotNull(got.poll(5, TimeUnit.SECONDS));
            assertTrue(a.send(ADVERT, vrrpGroup));
            assertNotNull(got.poll(5, TimeUnit.SECONDS));
            long sent = System.nanoTime();
            assertTrue(a.send(ADVERT, vrrpGroup));
            Thread.sleep(1);
            loop.submit(b::readPending).get(5, TimeUnit.SECONDS);
            List<long[]> rest = new java.util.ArrayList<>();
            got.drainTo(rest);
            assertEquals(1, rest.size(), "read at once by readPending");
            assertTrue(rest.get(0)[0] - sent < pacing / 4, "read " + (rest.get(0)[0] - sent) + " ns after it was sent");
        }
    }

    @Test
    void closedSocketSendsNothingAndCountsTheDrop() throws Exception {
        RawIpv4Socket a = open(routers.a, "va", receivedOnA);
        a.close();

        assertFalse(a.send(ADVERT, vrrpGroup));
        assertEquals(1, a.droppedSends());
        a.close(); // idempotent
    }

    @Test
    void openingOnAMissingInterfaceNamesIt() throws Exception {
        NativeException e = assertThrows(NativeException.class,
                () -> routers.a.call(() -> RawIpv4Socket.open(loop, VRRP, "e9", List.of(vrrpGroup), 255, (b, l) -> { })));
        assertTrue(e.isNoSuchDevice());
        assertEquals("no such network interface: e9", e.getMessage());
    }

    @Test
    void withoutCapNetRawOpeningFailsWithEperm() throws Exception {
        NativeException e = assertThrows(NativeException.class, () -> routers.a.call(() -> {
            Capabilities.dropFromThisThread(Capabilities.CAP_NET_RAW);
            return RawIpv4Socket.open(loop, VRRP, "va", List.of(vrrpGroup), 255, (b, l) -> { });
        }));
        assertTrue(e.isPermissionDenied());
        assertEquals("socket(AF_INET, SOCK_RAW, 112)", e.call());
        assertEquals("socket(AF_INET, SOCK_RAW, 112): Operation not permitted (EPERM)", e.getMessage());
    }

    @Test
    void argumentsAreCheckedBeforeAnySystemCall() throws Exception {
        Inet4Address unicast = (Inet4Address) InetAddress.getByName("192.0.2.1");
        assertThrows(IllegalArgumentException.class,
                () -> RawIpv4Socket.open(loop, VRRP, "va", List.of(unicast), 255, (b, l) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> RawIpv4Socket.open(loop, 0, "va", List.of(), 255, (b, l) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> RawIpv4Socket.open(loop, VRRP, "va", List.of(), 256, (b, l) -> { }));
        assertThrows(IllegalStateException.class, () -> {
            try {
                loop.submit(() -> RawIpv4Socket.open(loop, VRRP, "lo", List.of(), 255, (b, l) -> { }))
                        .get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw ex.getCause();
            }
        }, "open on the loop would wait for itself");
    }

    private static RawIpv4Socket open(TestNetns ns, String interfaceName, BlockingQueue<byte[]> into) throws Exception {
        return ns.call(() -> RawIpv4Socket.open(loop, VRRP, interfaceName, List.of(vrrpGroup), 255,
                (buf, len) -> into.add(Arrays.copyOf(buf, len))));
    }
}
