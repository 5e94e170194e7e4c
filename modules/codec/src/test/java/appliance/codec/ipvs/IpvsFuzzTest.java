package appliance.codec.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.codec.netlink.GenericNetlink;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkDecodeException;
import appliance.codec.netlink.NetlinkMessage;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link GenericNetlink#decode} and IPVS's decoders, which
 * read every reply of the kernel's IPVS family: for any bytes, messages or
 * {@link NetlinkDecodeException}, the same at an offset; a service, destination or daemon decoded
 * comes back the same from its own request. Seeds: our requests of each kind.
 */
class IpvsFuzzTest {

    @MethodSource("seeds")
    @FuzzTest
    void datagram(byte[] datagram) throws Exception {
        Optional<List<NetlinkMessage>> atStart = decode(datagram, 0, datagram.length);
        byte[] framed = new byte[datagram.length + 14];
        Arrays.fill(framed, (byte) 0xa5);
        System.arraycopy(datagram, 0, framed, 7, datagram.length);
        assertEquals(atStart, decode(framed, 7, datagram.length), "decoded differently at an offset");
        Ipvs ipvs = new Ipvs(0x1c);
        for (NetlinkMessage m : atStart.orElse(List.of())) {
            if (!(m instanceof GenlMessage g)) {
                continue;
            }
            IpvsService s = orNull(() -> Ipvs.service(g));
            if (s != null) {
                assertEquals(s, Ipvs.service(IpvsEncodingTest.only(ipvs.newService(1, s))));
            }
            Ipvs.DestinationStatus d = orNull(() -> Ipvs.destination(g, IpvsService.AF_INET));
            if (d != null) {
                assertEquals(d.destination(), Ipvs.destination(IpvsEncodingTest.only(ipvs.newDestination(1,
                        IpvsService.Key.fwmark(IpvsService.AF_INET, 1), d.destination())), IpvsService.AF_INET).destination());
            }
            IpvsDaemon daemon = orNull(() -> Ipvs.daemon(g));
            if (daemon != null) {
                assertEquals(daemon, Ipvs.daemon(IpvsEncodingTest.only(ipvs.newDaemon(1, daemon))));
            }
            orNull(() -> Ipvs.info(g));
        }
    }

    interface Decoder<T> {
        T decode() throws NetlinkDecodeException;
    }

    private static <T> T orNull(Decoder<T> d) {
        try {
            return d.decode();
        } catch (NetlinkDecodeException refused) {
            return null;
        }
    }

    private static Optional<List<NetlinkMessage>> decode(byte[] buf, int off, int len) {
        try {
            return Optional.of(GenericNetlink.decode(buf, off, len));
        } catch (NetlinkDecodeException refused) {
            return Optional.empty();
        }
    }

    static Stream<byte[]> seeds() throws Exception {
        Ipvs ipvs = new Ipvs(0x1c);
        IpvsService.Key key = IpvsService.Key.of(IpvsService.IPPROTO_TCP, InetAddress.getByName("10.97.0.100"), 80);
        return Stream.of(GenericNetlink.getFamily(1, "IPVS"),
                ipvs.newService(2, IpvsEncodingTest.dr("10.97.0.100")), ipvs.setService(3, IpvsEncodingTest.dr("fd00::1")),
                ipvs.newService(4, new IpvsService(IpvsService.Key.fwmark(IpvsService.AF_INET, 5), "sh", 0x18, 0, -1, "sip")),
                ipvs.deleteService(5, key), ipvs.dumpServices(6), ipvs.dumpDestinations(7, key),
                ipvs.newDestination(8, key, new IpvsDestination(InetAddress.getByName("fd00::2"), 80, IpvsDestination.TUNNEL,
                        2, 9, 1, IpvsDestination.TUNNEL_TYPE_GUE, 6080, 3)),
                ipvs.deleteDestination(9, key, IpvsDestination.of(InetAddress.getByName("10.98.0.16"), 80, 3, 1)),
                ipvs.newDaemon(10, new IpvsDaemon(IpvsDaemon.MASTER, "eth0", 51, 1472,
                        Optional.of(InetAddress.getByName("ff02::12")), 8848, 2)),
                ipvs.deleteDaemon(11, IpvsDaemon.BACKUP), ipvs.getInfo(12), ipvs.flush(13));
    }
}
