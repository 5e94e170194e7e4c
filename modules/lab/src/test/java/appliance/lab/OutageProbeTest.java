package appliance.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OutageProbeTest {

    @Test
    void readsTimestampAndSequenceOfAReply() {
        var reply = OutageProbe.parse("[1795432259.017346] 64 bytes from 10.99.0.100: icmp_seq=12 ttl=64 time=0.313 ms");
        assertEquals(Instant.ofEpochSecond(1795432259L, 17_346_000), reply.orElseThrow().at());
        assertEquals(12, reply.orElseThrow().seq());
    }

    @Test
    void readsAReplyFromAnIpv6Address() {
        var reply = OutageProbe.parse("[1795432259.017346] 64 bytes from fd00:99::100: icmp_seq=7 ttl=64 time=0.1 ms");
        assertEquals(7, reply.orElseThrow().seq());
    }

    @Test
    void readsAnIcmpv6ReplyCapturedByTcpdump() {
        var reply = OutageProbe.parseCaptured(
                "1795436267.881730 IP6 fd00:99::100 > fd00:99::200: ICMP6, echo reply, id 4711, seq 9, length 18");
        assertEquals(9, reply.orElseThrow().seq());
        assertEquals(Instant.ofEpochSecond(1795436267L, 881_730_000), reply.orElseThrow().at());
    }

    @Test
    void ignoresEverythingButReplies() {
        assertTrue(OutageProbe.parse("PING 10.99.0.100 (10.99.0.100) 56(84) bytes of data.").isEmpty());
        assertTrue(OutageProbe.parse("[1795432259.017346] From 10.99.0.200 icmp_seq=3 Destination Host Unreachable").isEmpty());
        assertTrue(OutageProbe.parse("[1795432259.017346] 64 bytes from 10.99.0.100: icmp_seq=12 ttl=64 time=0.3 ms (DUP!)").isEmpty());
    }

    @Test
    void readsRepliesCapturedByTcpdumpAndNothingElse() {
        var reply = OutageProbe.parseCaptured(
                "1795436267.881730 IP 10.99.0.100 > 10.99.0.200: ICMP echo reply, id 2573, seq 517, length 8");
        assertEquals(Instant.ofEpochSecond(1795436267L, 881_730_000), reply.orElseThrow().at());
        assertEquals(517, reply.orElseThrow().seq());
        assertTrue(OutageProbe.parseCaptured(
                "1795436267.881730 IP 10.99.0.200 > 10.99.0.100: ICMP echo request, id 2573, seq 517, length 8").isEmpty());
        assertTrue(OutageProbe.parseCaptured("listening on e0, link-type EN10MB (Ethernet), snapshot length 262144 bytes")
                .isEmpty());
    }

    @Test
    void lostCountSurvivesTheSixteenBitSequenceWrap() {
        var outage = new OutageProbe.Outage(new OutageProbe.Reply(at(0), 65534), new OutageProbe.Reply(at(40), 3));
        assertEquals(4, outage.lost(), "65535, 0, 1 and 2 got no reply");
    }

    @Test
    void outageIsTheLargestGapCountingTheLastReplyBeforeTheWindow() {
        List<OutageProbe.Reply> replies = replies(0, 9, 18, 27, 340, 349, 358);
        var outage = OutageProbe.largestGap(replies, at(20), at(1000));
        assertEquals(Duration.ofMillis(313), outage.gap());
        assertEquals(3, outage.lastBefore().seq());
        assertEquals(0, outage.lost(), "sequence numbers 3 and 4 are consecutive");
    }

    @Test
    void gapSpanningTheWindowStartCounts() {
        var outage = OutageProbe.largestGap(replies(0, 9, 300, 309), at(100), at(1000));
        assertEquals(Duration.ofMillis(291), outage.gap());
    }

    @Test
    void noReplyAfterTheWindowStartMeansTheOutageIsNotOver() {
        assertThrows(LabException.class, () -> OutageProbe.largestGap(replies(0, 9, 18), at(50), at(1000)));
    }

    private static List<OutageProbe.Reply> replies(int... millis) {
        int[] seq = {0};
        return java.util.Arrays.stream(millis).mapToObj(ms -> new OutageProbe.Reply(at(ms), seq[0]++))
                .collect(Collectors.toList());
    }

    private static Instant at(int millis) {
        return Instant.ofEpochSecond(1_800_000_000L).plusMillis(millis);
    }
}
