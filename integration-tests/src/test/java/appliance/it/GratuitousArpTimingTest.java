package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5, on the wire: garp-master-refresh (with -repeat) against keepalived 2.2.7 on
 * the same settings, and garp-interval spacing the frames of a round. The client's tcpdump counts
 * and times the gratuitous ARPs.
 */
@LabTest
class GratuitousArpTimingTest {

    private static final Pattern STAMP = Pattern.compile("^(\\d+)\\.(\\d{6}) ");

    private static final VirtualRouterSpec REFRESH = VirtualRouterSpec.v3(Duration.ofMillis(100))
            .withPriority(150)
            .withOption("garp-master-delay = 0s", "garp_master_delay 0")
            .withOption("garp-master-repeat = 1", "garp_master_repeat 1")
            .withOption("garp-master-refresh = 1s", "garp_master_refresh 1")
            .withOption("garp-master-refresh-repeat = 2", "garp_master_refresh_repeat 2");

    @Test
    void refreshRoundsLikeKeepalivedsOnTheAppliance() {
        refresh(NodeKind.APPLIANCE);
    }

    @Test
    void refreshRoundsOnKeepalivedForComparison() {
        refresh(NodeKind.KEEPALIVED);
    }

    /** One frame on becoming master, then 2 at the first advert at least 1 s after the previous round. */
    private static void refresh(NodeKind kind) {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            NodeProcess wire = capture(lab, n1);
            VrrpNode master = kind.start(lab, n1, REFRESH);
            master.awaitState(VrrpState.MASTER, SETTLE);
            Lab.pause(Duration.ofMillis(3600));
            List<Long> t = arpTimes(wire);
            System.out.println(master.name() + ": gratuitous ARPs at (ms after the first) " + relative(t));
            assertTrue(t.size() >= 7, "1 + 3 rounds of 2 in 3.6 s: " + relative(t));
            List<Long> rounds = new ArrayList<>();
            for (int i = 1; i + 1 < t.size() && rounds.size() < 3; i += 2) {
                assertTrue(t.get(i + 1) - t.get(i) < 5, "a round's 2 frames go together: " + relative(t));
                rounds.add(t.get(i) - (i == 1 ? t.get(0) : t.get(i - 2)));
            }
            for (long gap : rounds) {
                // The first advert at or past 1 s: 1.0 s to 1.1 s at 100 ms adverts, plus scheduling.
                assertTrue(gap >= 990 && gap <= 1150, "refresh rounds " + rounds + " ms apart: " + relative(t));
            }
        }
    }

    @Test
    void garpIntervalSpacesTheFramesOfARound() {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            NodeProcess wire = capture(lab, n1);
            VrrpNode master = NodeKind.APPLIANCE.start(lab, n1, VirtualRouterSpec.v3(Duration.ofMillis(100))
                    .withPriority(150)
                    .withVirtualAddresses("10.99.0.100/24", "10.99.0.101/24")
                    .withOption("garp-master-delay = 0s", null)
                    .withOption("garp-interval = 20ms", null));
            master.awaitState(VrrpState.MASTER, SETTLE);
            Lab.pause(Duration.ofMillis(600));
            List<Long> t = arpTimes(wire);
            System.out.println("garp-interval 20ms, 5 x 2 addresses: frames at (ms) " + relative(t));
            assertEquals(10, t.size(), relative(t).toString());
            for (int i = 1; i < t.size(); i++) {
                long gap = t.get(i) - t.get(i - 1);
                assertTrue(gap >= 19 && gap <= 40, "gap " + gap + " ms between frames " + i + " and " + (i + 1));
            }
            assertTrue(master.process().lines().stream().anyMatch(l -> l.text().contains("Sending 10 gratuitous ARPs")),
                    master.process().tail(10));
        }
    }

    private static NodeProcess capture(Lab lab, Host master) {
        NodeProcess wire = lab.own(NodeProcess.start("tcpdump@client", lab.client().namespace(),
                List.of("tcpdump", "--immediate-mode", "-l", "-n", "-tt", "-i", "e0", "arp and ether src " + lab.mac(master)),
                lab.newFile("client-arp", "log")));
        wire.awaitLine("listening on", Duration.ofSeconds(10));
        return wire;
    }

    /** Wire times in ms of the captured requests. */
    private static List<Long> arpTimes(NodeProcess wire) {
        List<Long> t = new ArrayList<>();
        for (NodeProcess.Line l : wire.lines()) {
            Matcher m = STAMP.matcher(l.text());
            if (m.find() && l.text().contains("Request")) {
                t.add(Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) / 1000);
            }
        }
        return t;
    }

    private static List<Long> relative(List<Long> t) {
        return t.stream().map(x -> x - t.get(0)).toList();
    }
}
