package appliance.check.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckTiming;
import appliance.check.PingCheck;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Echoes to loopback addresses, many at once on one socket per family, each matched to its run.
 * A ping without a reply is tested in the namespace lab (integration-tests), where a target can be
 * black-holed: here only loopback may be pinged, and it always answers.
 */
class PingProbeTest extends OnALoop {

    @Test
    void manyPingsAtOnceEachPassOnItsOwnReply() throws Exception {
        List<PingCheck> checks = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            checks.add(check("127.0.0." + i));
        }
        checks.add(check("::1"));
        try (Pinger pinger = Pinger.open((IoEventLoop) loop, checks)) {
            for (int round = 0; round < 3; round++) {
                List<Future<ProbeResult>> runs = new ArrayList<>();
                for (PingCheck c : checks) {
                    runs.add(loop.submit(() -> pinger.probe(c).run(loop)).get().await());
                }
                for (int i = 0; i < runs.size(); i++) {
                    ProbeResult r = runs.get(i).getNow();
                    assertTrue(r.passed(), checks.get(i).target() + ": " + r.reason());
                }
            }
        }
    }

    private static PingCheck check(String address) throws Exception {
        return new PingCheck(new InetSocketAddress(InetAddress.getByName(address), 0),
                new CheckTiming(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ZERO,
                        false));
    }
}
