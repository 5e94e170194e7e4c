package appliance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckerStateTest {

    static final Duration LOOP = Duration.ofSeconds(6);
    static final Duration RETRY_WAIT = Duration.ofSeconds(3);

    static CheckTiming timing(int retry, boolean alpha) {
        return new CheckTiming(Duration.ofSeconds(5), LOOP, retry, RETRY_WAIT, LOOP, alpha);
    }

    static CheckerState tcp(int retry, boolean alpha) {
        return CheckerState.of(new TcpCheck(new InetSocketAddress("127.0.0.1", 80), LocalEnd.ANY, timing(retry, alpha)));
    }

    @Test
    void withoutAlphaItStartsUpAndTheFirstSuccessConfirmsIt() {
        CheckerState s = tcp(3, false);
        assertTrue(s.isUp());
        CheckerState.Outcome o = s.passed(true);
        assertEquals(true, o.decidedUp());
        assertFalse(o.changed());
        assertEquals(LOOP, o.nextRun());
        assertNull(s.passed(true).decidedUp(), "decided once");
    }

    @Test
    void theFirstFailureDecidesEvenWithRetries() {
        CheckerState s = tcp(3, false);
        CheckerState.Outcome o = s.failed();
        assertEquals(false, o.decidedUp());
        assertTrue(o.changed());
        assertEquals(LOOP, o.nextRun());
    }

    @Test
    void whileUpTheRetryPlusFirstFailureInARowTakesItDown() {
        CheckerState s = tcp(3, false);
        s.passed(true);
        for (int i = 0; i < 3; i++) {
            CheckerState.Outcome o = s.failed();
            assertNull(o.decidedUp(), "failure " + (i + 1) + " is retried");
            assertEquals(RETRY_WAIT, o.nextRun());
        }
        CheckerState.Outcome o = s.failed();
        assertEquals(false, o.decidedUp());
        assertEquals(4, o.failuresInARow());
        assertEquals(LOOP, o.nextRun());
        o = s.failed();
        assertNull(o.decidedUp(), "down stays down, reported once");
        assertEquals(LOOP, o.nextRun());
    }

    @Test
    void aSuccessResetsTheCountAndOneSuccessBringsItBack() {
        CheckerState s = tcp(1, false);
        s.passed(true);
        s.failed();
        s.passed(true);
        assertNull(s.failed().decidedUp(), "the count started again");
        assertEquals(false, s.failed().decidedUp());
        CheckerState.Outcome o = s.passed(true);
        assertEquals(true, o.decidedUp());
        assertTrue(o.changed());
    }

    @Test
    void withAlphaItStartsDownAndNeedsOneSuccess() {
        CheckerState s = tcp(3, true);
        assertFalse(s.isUp());
        CheckerState.Outcome o = s.failed();
        assertEquals(false, o.decidedUp(), "alpha logs the first failure");
        assertFalse(o.changed());
        o = s.passed(true);
        assertEquals(true, o.decidedUp());
        assertTrue(o.changed());
    }

    @Test
    void httpWaitsTheLargerOfDelayLoopAndDelayBeforeRetryOnAFailedUrl() {
        CheckTiming t = new CheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(2), 1, Duration.ofSeconds(10), LOOP, false);
        CheckerState s = CheckerState.of(new HttpCheck(CheckType.HTTP_GET, new InetSocketAddress("127.0.0.1", 80),
                LocalEnd.ANY, t, List.of(HttpUrl.of("/")), Optional.empty(), false));
        assertEquals(Duration.ofSeconds(10), s.failed().nextRun());
        assertNull(s.passed(false).decidedUp(), "one URL of two");
        assertEquals(true, s.passed(true).decidedUp());
    }
}
