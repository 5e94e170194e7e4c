package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_track_process matching and quorum. */
class VrrpProcessTest {

    static VrrpProcess process(String process, Optional<VrrpProcess.ParamMatch> match, boolean full, int quorum, int max) {
        return new VrrpProcess("p", process, match, full, quorum, max, -30, false, Duration.ZERO, Duration.ZERO);
    }

    @Test
    void byNameTheCommIsComparedTruncatedAsTheKernelTruncatesIt() {
        assertTrue(process("haproxy", Optional.empty(), false, 1, 9).matches("haproxy", List.of("/usr/sbin/haproxy", "-f", "x")));
        assertFalse(process("haproxy", Optional.empty(), false, 1, 9).matches("nginx", List.of()));
        assertTrue(process("a-very-long-process-name", Optional.empty(), false, 1, 9).matches("a-very-long-pro", List.of()));
    }

    @Test
    void fullCommandAndParameterMatching() {
        List<String> argv = List.of("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg", "-D");
        assertTrue(process("/usr/sbin/haproxy", Optional.empty(), true, 1, 9).matches("haproxy", argv));
        assertFalse(process("haproxy", Optional.empty(), true, 1, 9).matches("haproxy", argv));
        assertTrue(process("haproxy -f /etc/haproxy.cfg", Optional.of(VrrpProcess.ParamMatch.INITIAL), false, 1, 9)
                .matches("haproxy", argv));
        assertFalse(process("haproxy -f /etc/haproxy.cfg", Optional.of(VrrpProcess.ParamMatch.EXACT), false, 1, 9)
                .matches("haproxy", argv));
        assertTrue(process("haproxy /etc/haproxy.cfg -D", Optional.of(VrrpProcess.ParamMatch.PARTIAL), false, 1, 9)
                .matches("haproxy", argv));
        assertFalse(process("haproxy -D -f", Optional.of(VrrpProcess.ParamMatch.PARTIAL), false, 1, 9)
                .matches("haproxy", argv));
    }

    @Test
    void upWhileTheCountIsWithinQuorumAndQuorumMaxAndWeightsAsScripts() {
        VrrpProcess p = process("haproxy", Optional.empty(), false, 2, 3);
        assertFalse(p.isUp(1));
        assertTrue(p.isUp(2));
        assertTrue(p.isUp(3));
        assertFalse(p.isUp(4));
        TrackedProcess t = TrackedProcess.named("p");
        assertEquals(-30, t.weightWhen(p, false));
        assertEquals(0, t.weightWhen(p, true));
        assertTrue(new TrackedProcess("p", Optional.of(0), false).faultWhen(p, false));
        assertThrows(IllegalArgumentException.class, () -> process("haproxy", Optional.empty(), false, 3, 2));
    }
}
