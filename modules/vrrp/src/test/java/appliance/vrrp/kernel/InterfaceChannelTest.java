package appliance.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InterfaceChannelTest {

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void kernelTimestampMovesTheReceiptBackByThePacketsAge() {
        long before = System.nanoTime();
        long receivedAt = InterfaceChannel.receivedAt(epochNanos(Instant.now().minusMillis(3)));
        long after = System.nanoTime();
        assertTrue(receivedAt <= after - 3_000_000L + 1_000, "at least 3 ms back: " + (after - receivedAt));
        assertTrue(receivedAt >= before - 3_000_000L - 50_000_000L, "not absurdly far back: " + (before - receivedAt));
    }

    @Test
    void unknownOrImplausibleTimestampsCountAsNow() {
        for (long stamp : new long[] {0, epochNanos(Instant.now().plusSeconds(5)), epochNanos(Instant.now().minusSeconds(30))}) {
            long before = System.nanoTime();
            long receivedAt = InterfaceChannel.receivedAt(stamp);
            assertTrue(receivedAt >= before && receivedAt <= System.nanoTime(), "stamp " + stamp + " counts as now");
        }
    }
}
