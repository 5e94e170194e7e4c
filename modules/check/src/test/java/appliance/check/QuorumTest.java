package appliance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's quorum and hysteresis (check_data.c, ipwrapper.c), as written in KEEPALIVED-CHECKERS.md. */
class QuorumTest {

    static VirtualServer vs(int quorum, int hysteresis, int... weights) throws Exception {
        List<RealServer> servers = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            servers.add(new RealServer(InetAddress.getByName("10.98.0." + (i + 1)), 80, weights[i], List.of()));
        }
        return new VirtualServer(InetAddress.getByName("10.97.0.100"), 80, Protocol.TCP, Duration.ofSeconds(6), "rr",
                "DR", Optional.empty(), Optional.empty(), servers, quorum, hysteresis);
    }

    @Test
    void theDefaultIsAnyAliveWeight() throws Exception {
        VirtualServer v = vs(1, 0, 1, 1);
        assertTrue(v.hasQuorum(false, 1));
        assertFalse(v.hasQuorum(true, 0));
    }

    @Test
    void hysteresisKeepsTheStateBetweenQuorumMinusAndPlusIt() throws Exception {
        VirtualServer v = vs(4, 1, 1, 1, 1, 1, 1, 1);
        assertTrue(v.hasQuorum(true, 3), "lost below 4 - 1");
        assertFalse(v.hasQuorum(true, 2));
        assertFalse(v.hasQuorum(false, 4), "gained at 4 + 1");
        assertTrue(v.hasQuorum(false, 5));
        assertEquals("Lost quorum 4-1=3 > 2 for VS [10.97.0.100]:tcp:80", v.quorumLine(false, 2));
        assertEquals("Gained quorum 4+1=5 <= 5 for VS [10.97.0.100]:tcp:80", v.quorumLine(true, 5));
    }

    @Test
    void quorumIsClampedToTheTotalWeightAndHysteresisBelowIt() throws Exception {
        VirtualServer v = vs(10, 0, 1, 2);
        assertTrue(v.hasQuorum(false, 3), "quorum 10 is 3, the total weight");
        assertFalse(v.hasQuorum(true, 2));
        assertEquals("Lost quorum 1-0=1 > 0 for VS [10.97.0.100]:tcp:80", vs(1, 5, 1).quorumLine(false, 0),
                "hysteresis at most quorum - 1");
    }
}
