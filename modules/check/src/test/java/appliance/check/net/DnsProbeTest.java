package appliance.check.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.DnsCheck;
import appliance.check.LocalEnd;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DnsProbeTest extends OnALoop {




    /** Answers each query with its question and {@code rcode} (id changed by {@code idDelta}); counts the queries. */
    static DatagramSocket server(int rcode, int idDelta, AtomicInteger queries, byte[] lastQuery) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    queries.incrementAndGet();
                    System.arraycopy(p.getData(), 0, lastQuery, 0, Math.min(p.getLength(), lastQuery.length));
                    byte[] out = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    int id = ((out[0] & 0xff) << 8 | (out[1] & 0xff)) + idDelta;
                    out[0] = (byte) (id >> 8);
                    out[1] = (byte) id;
                    out[2] = (byte) (out[2] | 0x80); // QR: a response
                    out[3] = (byte) ((out[3] & 0xf0) | rcode);
                    s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }, "dns");
        t.setDaemon(true);
        t.start();
        return s;
    }

    static ProbeResult run(DatagramSocket server, String name) throws Exception {
        DnsCheck check = new DnsCheck((InetSocketAddress) server.getLocalSocketAddress(), LocalEnd.ANY,
                new CheckTiming(Duration.ofMillis(300), Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ZERO,
                        false), "SOA", name);
        return new DnsProbe(check).run(loop).get(10, TimeUnit.SECONDS);
    }

    @Test
    void noErrorPassesAndTheQuestionIsTheConfiguredOne() throws Exception {
        byte[] query = new byte[512];
        try (DatagramSocket s = server(0, 0, new AtomicInteger(), query)) {
            assertTrue(run(s, "example.org").passed());
            // header 12 bytes, then 7example3org0, type SOA (6), class IN (1)
            assertEquals(7, query[12]);
            assertEquals("example", new String(query, 13, 7, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(6, query[26], "type SOA");
        }
    }

    @Test
    void anErrorCodeFailsAndAForeignIdIsIgnored() throws Exception {
        try (DatagramSocket s = server(3, 0, new AtomicInteger(), new byte[512])) {
            assertEquals("read error occurred. (rcode = 3)", run(s, "").reason());
        }
        try (DatagramSocket s = server(0, 1, new AtomicInteger(), new byte[512])) {
            assertEquals("no reply within 300 ms", run(s, "").reason());
        }
    }
}
