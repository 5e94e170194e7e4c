package appliance.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The VRRP advertisements one router sends, as a lab host sees them: {@code tcpdump -l} on the
 * host's {@code e0}, filtered to protocol 112 (IPv4 or IPv6) from that router's MAC. Lets a test act right
 * after an advert (a cut with a known phase) and read the wire's own timestamps. Immediate mode:
 * without it, tcpdump hands packets over in blocks, tens of milliseconds late.
 */
public final class AdvertCapture implements AutoCloseable {

    private static final Pattern ADVERT = Pattern.compile("^(\\d+)\\.(\\d{6}) IP6? .*VRRPv\\d");

    private final Lab lab;
    private final NodeProcess tcpdump;

    private AdvertCapture(Lab lab, NodeProcess tcpdump) {
        this.lab = lab;
        this.tcpdump = tcpdump;
    }

    /**
     * Captures the adverts {@code router} sends, on {@code at}'s interface, and waits for the
     * first one (so the capture is running when this returns); the lab owns it.
     */
    public static AdvertCapture start(Lab lab, Host at, Host router, Duration timeout) {
        NodeProcess tcpdump = NodeProcess.start("tcpdump@" + at.name(), at.namespace(),
                // By MAC: an IPv6 advert comes from the router's link-local address, which the lab does not choose.
                List.of("tcpdump", "--immediate-mode", "-l", "-n", "-tt", "-i", Host.INTERFACE,
                        "(ip proto 112 or ip6 proto 112) and ether src " + lab.mac(router)),
                lab.newFile(at.name() + "-tcpdump", "log"));
        AdvertCapture capture = lab.own(new AdvertCapture(lab, tcpdump));
        tcpdump.awaitLine(ADVERT, timeout);
        return capture;
    }

    /** Waits for the next advert after now and returns when it was on the wire (tcpdump's timestamp). */
    public Instant awaitNextAdvert(Duration timeout) {
        Matcher m = ADVERT.matcher(tcpdump.awaitLine(tcpdump.mark(), ADVERT, timeout).text());
        if (!m.find()) {
            throw new IllegalStateException("matched before");
        }
        return wireTime(m);
    }

    /** When each advert captured so far was on the wire (tcpdump's timestamps), oldest first. */
    public List<Instant> adverts() {
        List<Instant> adverts = new ArrayList<>();
        for (NodeProcess.Line line : tcpdump.lines()) {
            Matcher m = ADVERT.matcher(line.text());
            if (m.find()) {
                adverts.add(wireTime(m));
            }
        }
        return adverts;
    }

    /** The source address of each advert captured so far, oldest first. */
    public List<String> sources() {
        Pattern source = Pattern.compile(" IP6? (\\S+) > ");
        List<String> sources = new ArrayList<>();
        for (NodeProcess.Line line : tcpdump.lines()) {
            if (ADVERT.matcher(line.text()).find()) {
                Matcher m = source.matcher(line.text());
                if (m.find()) {
                    sources.add(m.group(1));
                }
            }
        }
        return sources;
    }

    private static Instant wireTime(Matcher advert) {
        return Instant.ofEpochSecond(Long.parseLong(advert.group(1)), Long.parseLong(advert.group(2)) * 1000);
    }

    @Override
    public void close() {
        tcpdump.close();
        lab.disown(this);
    }

    @Override
    public String toString() {
        return tcpdump.name();
    }
}
