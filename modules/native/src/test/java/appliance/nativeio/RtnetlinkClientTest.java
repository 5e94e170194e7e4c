package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.Rtnetlink;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the kernel, in a namespace of its own with a veth pair va/vb. Runs as root. */
class RtnetlinkClientTest {

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;

    private TestNetns ns;
    private RtnetlinkClient client;
    private int va;

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
    void namespaceWithVethPair() throws Exception {
        ns = TestNetns.create();
        ns.ip("link", "add", "va", "address", "02:00:00:00:00:0a", "type", "veth",
                "peer", "name", "vb", "address", "02:00:00:00:00:0b");
        ns.ip("link", "set", "va", "up");
        ns.ip("link", "set", "vb", "up");
        va = ns.call(() -> NetworkInterfaces.indexOf("va"));
        client = ns.call(() -> RtnetlinkClient.open(loop));
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            ns.close();
        }
    }

    @Test
    void linkSubscriberHearsCarrierLossAndReturnWithoutPolling() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<IfInfoMessage> links = new java.util.concurrent.LinkedBlockingQueue<>();
        try (RtnetlinkClient monitor = ns.call(() -> RtnetlinkClient.open(loop, Rtnetlink.RTMGRP_LINK, m -> {
            assertTrue(loop.inEventLoop(), "notifications arrive on the loop");
            if (m instanceof IfInfoMessage link) {
                links.add(link);
            }
        }, () -> { }))) {
            // Setting vb down takes the carrier from va: va stays IFF_UP but loses IFF_RUNNING.
            ns.ip("link", "set", "vb", "down");
            IfInfoMessage down = awaitLink(links, va, false);
            assertTrue((down.flags() & IfInfoMessage.IFF_UP) != 0, "va is still administratively up");
            ns.ip("link", "set", "vb", "up");
            awaitLink(links, va, true);
            // Requests still work on a subscribed socket, and notifications do not disturb them.
            assertEquals(2, monitor.dumpLinks().get(5, TimeUnit.SECONDS).stream()
                    .filter(l -> l.name().startsWith("v")).count());
        }
    }

    private static IfInfoMessage awaitLink(java.util.concurrent.BlockingQueue<IfInfoMessage> links, int ifindex,
                                           boolean running) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            IfInfoMessage m = links.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.interfaceIndex() == ifindex
                    && ((m.flags() & IfInfoMessage.IFF_RUNNING) != 0) == running) {
                return m;
            }
        }
        throw new AssertionError("no RTM_NEWLINK for ifindex " + ifindex + " with running=" + running);
    }

    @Test
    void addedAddressShowsInDumpAndInIp() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.10");

        client.addAddress(va, vip, 24).get(5, TimeUnit.SECONDS);

        IfAddrMessage added = client.dumpAddresses(Rtnetlink.AF_INET).get(5, TimeUnit.SECONDS).stream()
                .filter(a -> vip.equals(a.interfaceAddress())).findFirst().orElseThrow();
        assertEquals(va, added.interfaceIndex());
        assertEquals(24, added.prefixLength());
        assertEquals("va", added.label());
        assertTrue(ns.ip("-4", "addr", "show", "dev", "va").contains("inet 192.0.2.10/24"));
    }

    /** The kernel multicasts a change with the requester's sequence number, not 0: it is still a notification. */
    @Test
    void addressChangeAskedByAnotherSocketReachesTheSubscriber() throws Exception {
        InetAddress added = InetAddress.getByName("192.0.2.44");
        java.util.concurrent.LinkedBlockingQueue<IfAddrMessage> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        try (RtnetlinkClient monitor = ns.call(() -> RtnetlinkClient.open(loop, Rtnetlink.RTMGRP_IPV4_IFADDR, m -> {
            if (m instanceof IfAddrMessage a) {
                heard.add(a);
            }
        }, () -> { }))) {
            client.addAddress(va, added, 24).get(5, TimeUnit.SECONDS);
            IfAddrMessage a = heard.poll(5, TimeUnit.SECONDS);
            assertTrue(a != null, "no RTM_NEWADDR heard");
            assertEquals(added, a.interfaceAddress());
            assertTrue(a.header().sequence() != 0, "the requester's sequence number: " + a.header());
        }
    }

    /**
     * A dump that spans many datagrams while another socket adds and deletes an address gets
     * NLM_F_DUMP_INTR from the kernel; the client runs it again instead of failing the caller.
     */
    @Test
    void dumpInterruptedByConcurrentChangesIsRunAgain() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            batch.append("addr add 10.").append(100 + i / 250).append('.').append(i % 250).append(".1/32 dev va\n");
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("addresses", ".batch");
        try {
            java.nio.file.Files.writeString(file, batch);
            ns.ip("-batch", file.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
        MultiThreadIoEventLoopGroup churnGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        RtnetlinkClient churner = ns.call(() -> RtnetlinkClient.open(churnGroup.next()));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        InetAddress moving = InetAddress.getByName("192.0.2.77");
        Thread churn = new Thread(() -> {
            while (!stop.get()) {
                try {
                    // Changes now and then, as a busy host makes them: a dump caught by one runs
                    // again; a ceaseless stream could interrupt every attempt.
                    churner.addAddress(va, moving, 32).get(5, TimeUnit.SECONDS);
                    churner.deleteAddress(va, moving, 32).get(5, TimeUnit.SECONDS);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        churn.start();
        try {
            for (int i = 0; i < 100 && client.dumpsRepeated() < 3; i++) {
                List<IfAddrMessage> dump = client.dumpAddresses(Rtnetlink.AF_INET).get(10, TimeUnit.SECONDS);
                assertTrue(dump.size() >= 1500, "complete: " + dump.size());
            }
        } finally {
            stop.set(true);
            churn.join(5000);
            churner.close();
            churnGroup.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        assertTrue(client.dumpsRepeated() > 0, "no dump was interrupted: the kernel did not mark one, so this proved nothing");
    }

    /** What lets a VRRP takeover send its gratuitous ARPs in the same loop turn as the address add. */
    @Test
    void requestSentOnTheLoopIsAnsweredBeforeTheCallReturns() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.10");
        boolean[] doneOnReturn = loop.submit(() -> new boolean[] {
                client.addAddress(va, vip, 24).isDone(),
                client.addAddress(va, vip, 24).isCompletedExceptionally()}).get(5, TimeUnit.SECONDS);
        assertTrue(doneOnReturn[0], "the ack was read before addAddress returned");
        assertTrue(doneOnReturn[1], "so was the EEXIST of the second add");
        assertTrue(ns.ip("-4", "addr", "show", "dev", "va").contains("inet 192.0.2.10/24"));
    }

    @Test
    void addingAnAddressTwiceFailsWithEexist() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.10");
        client.addAddress(va, vip, 24).get(5, TimeUnit.SECONDS);

        NativeException e = failure(NativeException.class, client.addAddress(va, vip, 24));

        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("RTM_NEWADDR(192.0.2.10/24, ifindex " + va + "): File exists (EEXIST)", e.getMessage());
    }

    @Test
    void deletedAddressIsGoneAndDeletingItAgainFailsWithEaddrnotavail() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.10");
        client.addAddress(va, vip, 24).get(5, TimeUnit.SECONDS);

        client.deleteAddress(va, vip, 24).get(5, TimeUnit.SECONDS);

        assertFalse(ns.ip("-4", "addr", "show", "dev", "va").contains("192.0.2.10"));
        assertTrue(client.dumpAddresses(Rtnetlink.AF_INET).get(5, TimeUnit.SECONDS).stream()
                .noneMatch(a -> vip.equals(a.interfaceAddress())));
        NativeException e = failure(NativeException.class, client.deleteAddress(va, vip, 24));
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertFalse(e.isPermissionDenied());
    }

    @Test
    void ipv6AddressIsUsableAtOnceWithoutDuplicateAddressDetection() throws Exception {
        InetAddress vip = InetAddress.getByName("2001:db8::10");

        client.addAddress(va, vip, 64).get(5, TimeUnit.SECONDS);

        IfAddrMessage added = client.dumpAddresses(Rtnetlink.AF_INET6).get(5, TimeUnit.SECONDS).stream()
                .filter(a -> vip.equals(a.interfaceAddress())).findFirst().orElseThrow();
        assertTrue((added.flags() & IfAddrMessage.IFA_F_NODAD) != 0);
        assertEquals(0, added.flags() & IfAddrMessage.IFA_F_TENTATIVE);
        String shown = ns.ip("-6", "addr", "show", "dev", "va");
        String line = shown.lines().filter(l -> l.contains("2001:db8::10/64")).findFirst().orElseThrow();
        assertFalse(line.contains("tentative"), shown);
    }

    @Test
    void dumpLinksListsTheVethPairWithTheirMacs() throws Exception {
        List<IfInfoMessage> links = client.dumpLinks().get(5, TimeUnit.SECONDS);

        IfInfoMessage link = links.stream().filter(l -> "va".equals(l.name())).findFirst().orElseThrow();
        assertEquals(va, link.interfaceIndex());
        assertEquals("02:00:00:00:00:0a", link.hardwareAddressText());
        assertEquals(IfInfoMessage.ARPHRD_ETHER, link.type());
        assertTrue(link.isUp());
        assertTrue(links.stream().anyMatch(l -> "vb".equals(l.name())
                && "02:00:00:00:00:0b".equals(l.hardwareAddressText())));
        assertTrue(links.stream().anyMatch(l -> "lo".equals(l.name())));
    }

    @Test
    void dumpsRequestedTogetherAllComplete() throws Exception {
        // The kernel runs one dump per socket at a time; the client queues the others.
        List<CompletableFuture<?>> dumps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dumps.add(client.dumpLinks());
            dumps.add(client.dumpAddresses(Rtnetlink.AF_UNSPEC));
        }
        for (CompletableFuture<?> dump : dumps) {
            assertFalse(((List<?>) dump.get(5, TimeUnit.SECONDS)).isEmpty());
        }
    }

    @Test
    void closingFailsPendingRequests() throws Exception {
        CompletableFuture<Void> pending = unansweredRequest(client);

        client.close();

        IOException e = failure(IOException.class, pending);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertInstanceOf(IOException.class, failureOf(client.dumpLinks()), "requests after close fail at once");
    }

    @Test
    void requestWithoutReplyTimesOut() throws Exception {
        try (RtnetlinkClient impatient = ns.call(() -> RtnetlinkClient.open(loop, Duration.ofMillis(200)))) {
            TimeoutException e = failure(TimeoutException.class, unansweredRequest(impatient));
            assertTrue(e.getMessage().contains("no reply"), e.getMessage());
            // the client still works afterwards
            assertFalse(impatient.dumpLinks().get(5, TimeUnit.SECONDS).isEmpty());
        }
    }

    @Test
    void withoutCapNetAdminOnItsLoopAddingFailsWithPermissionDenied() throws Exception {
        // The request goes out with an explicit kernel address (NETLINK_SKB_DST), so the kernel
        // checks the capabilities of the thread that sends it: the loop's, not the opener's.
        MultiThreadIoEventLoopGroup unprivilegedGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        IoEventLoop unprivilegedLoop = unprivilegedGroup.next();
        try {
            unprivilegedLoop.submit(() -> Capabilities.dropFromThisThread(Capabilities.CAP_NET_ADMIN))
                    .get(5, TimeUnit.SECONDS);
            try (RtnetlinkClient unprivileged = ns.call(() -> RtnetlinkClient.open(unprivilegedLoop))) {
                NativeException e = failure(NativeException.class,
                        unprivileged.addAddress(va, InetAddress.getByName("192.0.2.10"), 24));
                assertTrue(e.isPermissionDenied(), e.getMessage());
                assertEquals(Errno.EPERM, e.errno());
                assertFalse(unprivileged.dumpLinks().get(5, TimeUnit.SECONDS).isEmpty(), "reading needs no capability");
            }
        } finally {
            unprivilegedGroup.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void futuresCompleteOnTheClientsLoop() throws Exception {
        // Hold the loop so that the callback is attached before the request even starts.
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Boolean> replied = client.dumpLinks().thenApply(links -> loop.inEventLoop());
        CompletableFuture<Boolean> closed = unansweredRequest(client).handle((v, t) -> loop.inEventLoop());
        release.countDown();

        assertTrue(replied.get(5, TimeUnit.SECONDS), "completed by a reply");
        client.close();
        assertTrue(closed.get(5, TimeUnit.SECONDS), "failed by close()");
    }

    /** A message without NLM_F_REQUEST: the kernel drops it silently, so it is never answered. */
    private static CompletableFuture<Void> unansweredRequest(RtnetlinkClient c) {
        return c.request("silent RTM_GETLINK", seq -> {
            byte[] m = Rtnetlink.dumpLinks(seq);
            m[6] = 0; // flags: no NLM_F_REQUEST, no NLM_F_ACK
            m[7] = 0;
            return m;
        }, false, parts -> null);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> future) throws Exception {
        return assertInstanceOf(type, failureOf(future));
    }
}
