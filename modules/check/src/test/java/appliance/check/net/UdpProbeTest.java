package appliance.check.net;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.LocalEnd;
import appliance.check.UdpCheck;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UdpProbeTest extends OnALoop {




    /** Echoes each datagram back, prefixed with {@code prefix}. */
    static DatagramSocket echo(byte[] prefix) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] out = new byte[prefix.length + p.getLength()];
                    System.arraycopy(prefix, 0, out, 0, prefix.length);
                    System.arraycopy(p.getData(), 0, out, prefix.length, p.getLength());
                    s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }, "udp-echo");
        t.setDaemon(true);
        t.start();
        return s;
    }

    static ProbeResult run(InetSocketAddress target, boolean requireReply, Optional<byte[]> expected) throws Exception {
        UdpCheck check = new UdpCheck(target, LocalEnd.ANY, new CheckTiming(Duration.ofMillis(300),
                Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ZERO, false), new byte[] {1, 2},
                requireReply, expected, 0, 255);
        return new UdpProbe(check).run(loop).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReplyIsCheckedAgainstTheExpectedBytes() throws Exception {
        try (DatagramSocket echo = echo(new byte[] {9})) {
            InetSocketAddress at = (InetSocketAddress) echo.getLocalSocketAddress();
            assertTrue(run(at, true, Optional.of(new byte[] {9, 1})).passed());
            assertEquals("reply data mismatch", run(at, true, Optional.of(new byte[] {8})).reason());
            assertTrue(run(at, true, Optional.empty()).passed());
        }
    }

    @Test
    void aClosedPortFailsAndSilencePassesUnlessAReplyIsRequired() throws Exception {
        DatagramSocket gone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress closed = (InetSocketAddress) gone.getLocalSocketAddress();
        gone.close();
        assertEquals("port unreachable", run(closed, false, Optional.empty()).reason());
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress at = (InetSocketAddress) silent.getLocalSocketAddress();
            assertTrue(run(at, false, Optional.empty()).passed(), "no error is success, as keepalived");
            assertEquals("no reply within 300 ms", run(at, true, Optional.empty()).reason());
        }
    }
}
