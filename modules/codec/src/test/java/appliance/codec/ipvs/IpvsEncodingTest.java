package appliance.codec.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import appliance.codec.netlink.GenericNetlink;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkDecodeException;
import appliance.codec.netlink.NetlinkHeader;
import appliance.codec.netlink.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** IPVS's requests as the kernel reads them (linux/ip_vs.h, ipvsadm's libipvs), and its replies decoded. */
class IpvsEncodingTest {

    static final int FAMILY = 0x1c;
    static final Ipvs IPVS = new Ipvs(FAMILY);

    static GenlMessage only(byte[] datagram) throws NetlinkDecodeException {
        List<NetlinkMessage> messages = GenericNetlink.decode(datagram, 0, datagram.length);
        assertEquals(1, messages.size());
        return assertInstanceOf(GenlMessage.class, messages.get(0));
    }

    static IpvsService dr(String address) throws Exception {
        return new IpvsService(IpvsService.Key.of(IpvsService.IPPROTO_TCP, InetAddress.getByName(address), 80), "wrr",
                IpvsService.F_PERSISTENT, 50, 0xffffffff, "");
    }

    @Test
    void theControllerIsAskedForIpvsByName() throws Exception {
        byte[] request = GenericNetlink.getFamily(7, "IPVS");
        ByteBuffer b = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        assertEquals(request.length, b.getInt(0));
        assertEquals(GenericNetlink.GENL_ID_CTRL, b.getShort(4));
        assertEquals(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK, b.getShort(6));
        assertEquals(7, b.getInt(8));
        // genlmsghdr: CTRL_CMD_GETFAMILY, version 1; then CTRL_ATTR_FAMILY_NAME (len 9) "IPVS\0", padded
        assertEquals("03010000" + "09000200" + HexFormat.of().formatHex("IPVS".getBytes()) + "00000000",
                HexFormat.of().formatHex(request, 16, request.length));
    }

    @Test
    void servicesComeBackAsTheyWereSentIpv4Ipv6AndFwmark() throws Exception {
        for (IpvsService s : List.of(dr("10.97.0.100"), dr("fd00:97::100"),
                new IpvsService(IpvsService.Key.fwmark(IpvsService.AF_INET6, 7), "mh",
                        IpvsService.F_SCHED1 | IpvsService.F_SCHED2, 0, 128, "sip"),
                IpvsService.of(IpvsService.Key.of(IpvsService.IPPROTO_SCTP, InetAddress.getByName("10.97.0.1"), 9), "rr"))) {
            GenlMessage m = only(IPVS.newService(3, s));
            assertEquals(FAMILY, m.header().type());
            assertEquals(Ipvs.CMD_NEW_SERVICE, m.command());
            assertEquals(Ipvs.VERSION, m.version());
            assertEquals(s, Ipvs.service(m));
            assertEquals(s, Ipvs.service(only(IPVS.setService(4, s))));
            assertEquals(s.key(), Ipvs.service(only(IPVS.newService(5, s))).key());
        }
    }

    @Test
    void aDumpedServiceHasA16ByteAddressAndTheHashedFlagWhichIsDropped() throws Exception {
        // As the kernel writes a GET_SERVICE dump part: AF, PROTOCOL, ADDR (16 bytes), PORT (be16),
        // SCHED_NAME, FLAGS (flags|HASHED, mask ~0), TIMEOUT, NETMASK; the stats are left out here.
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort((short) FAMILY).putShort((short) NetlinkHeader.NLM_F_MULTI).putInt(9).putInt(4242);
        b.put((byte) Ipvs.CMD_NEW_SERVICE).put((byte) 1).putShort((short) 0);
        int nest = b.position();
        b.putShort((short) 0).putShort((short) Ipvs.CMD_ATTR_SERVICE);
        b.putShort((short) 6).putShort((short) Ipvs.SVC_ATTR_AF).putShort((short) 2).putShort((short) 0);
        b.putShort((short) 6).putShort((short) Ipvs.SVC_ATTR_PROTOCOL).putShort((short) 6).putShort((short) 0);
        b.putShort((short) 20).putShort((short) Ipvs.SVC_ATTR_ADDR).put(new byte[] {10, 97, 0, 100}).put(new byte[12]);
        b.putShort((short) 6).putShort((short) Ipvs.SVC_ATTR_PORT).put((byte) 0).put((byte) 80).putShort((short) 0);
        b.putShort((short) 7).putShort((short) Ipvs.SVC_ATTR_SCHED_NAME).put("rr\0".getBytes()).put((byte) 0);
        b.putShort((short) 12).putShort((short) Ipvs.SVC_ATTR_FLAGS).putInt(IpvsService.F_HASHED).putInt(-1);
        b.putShort((short) 8).putShort((short) Ipvs.SVC_ATTR_TIMEOUT).putInt(0);
        b.putShort((short) 8).putShort((short) Ipvs.SVC_ATTR_NETMASK).putInt(0xffffffff);
        b.putShort(nest, (short) (b.position() - nest));
        b.putInt(0, b.position());
        byte[] datagram = java.util.Arrays.copyOf(b.array(), b.position());
        assertEquals(IpvsService.of(IpvsService.Key.of(6, InetAddress.getByName("10.97.0.100"), 80), "rr"),
                Ipvs.service(only(datagram)));
    }

    @Test
    void destinationsComeBackAsTheyWereSentWithTheirServicesKey() throws Exception {
        IpvsService.Key key = dr("10.97.0.100").key();
        for (IpvsDestination d : List.of(IpvsDestination.of(InetAddress.getByName("10.98.0.16"), 80, IpvsDestination.DROUTE, 3),
                IpvsDestination.of(InetAddress.getByName("10.98.0.17"), 8080, IpvsDestination.MASQ, 0),
                new IpvsDestination(InetAddress.getByName("fd00:98::1"), 80, IpvsDestination.TUNNEL, 1, 100, 10,
                        IpvsDestination.TUNNEL_TYPE_GUE, 6080, 1))) {
            GenlMessage m = only(IPVS.newDestination(1, key, d));
            assertEquals(Ipvs.CMD_NEW_DEST, m.command());
            assertEquals(new Ipvs.DestinationStatus(d, 0, 0, 0), Ipvs.destination(m, IpvsService.AF_INET));
            assertEquals(key, Ipvs.service(withServiceDefaults(m)).key());
        }
        GenlMessage delete = only(IPVS.deleteDestination(2, key, IpvsDestination.of(InetAddress.getByName("10.98.0.16"),
                80, IpvsDestination.DROUTE, 3)));
        assertThrows(NetlinkDecodeException.class, () -> Ipvs.destination(delete, IpvsService.AF_INET),
                "a delete carries the address and port alone");
    }

    /** A destination request's service attribute holds the key only: add what a service message has besides. */
    private static GenlMessage withServiceDefaults(GenlMessage m) throws Exception {
        IpvsService.Key key = keyOf(m);
        return only(IPVS.newService(1, IpvsService.of(key, "rr")));
    }

    private static IpvsService.Key keyOf(GenlMessage m) throws Exception {
        var nested = m.attribute(Ipvs.CMD_ATTR_SERVICE).nested();
        int af = appliance.codec.netlink.NetlinkAttribute.find(nested, Ipvs.SVC_ATTR_AF).u16();
        byte[] addr = appliance.codec.netlink.NetlinkAttribute.find(nested, Ipvs.SVC_ATTR_ADDR).value();
        return new IpvsService.Key(af, appliance.codec.netlink.NetlinkAttribute.find(nested, Ipvs.SVC_ATTR_PROTOCOL).u16(),
                InetAddress.getByAddress(java.util.Arrays.copyOf(addr, af == IpvsService.AF_INET ? 4 : 16)),
                appliance.codec.netlink.NetlinkAttribute.find(nested, Ipvs.SVC_ATTR_PORT).be16(), 0);
    }

    @Test
    void theSyncDaemonAndInfoAreKeepalivedsAndTheKernels() throws Exception {
        IpvsDaemon master = new IpvsDaemon(IpvsDaemon.MASTER, "eth0", 51, 1472,
                Optional.of(InetAddress.getByName("224.0.0.81")), 8848, 1);
        GenlMessage m = only(IPVS.newDaemon(1, master));
        assertEquals(master, Ipvs.daemon(m));
        assertEquals(IpvsDaemon.of(IpvsDaemon.BACKUP, "vrrp.51", 0), Ipvs.daemon(only(IPVS.newDaemon(2,
                IpvsDaemon.of(IpvsDaemon.BACKUP, "vrrp.51", 0)))));
        assertEquals("1.2.1", new Ipvs.Info(0x010201, 4096).versionText());
    }

    @Test
    void badValuesAreRefusedBeforeTheyReachTheKernel() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.97.0.100");
        assertThrows(IllegalArgumentException.class, () -> new IpvsService.Key(IpvsService.AF_INET6, 6, v4, 80, 0));
        assertThrows(IllegalArgumentException.class, () -> IpvsService.Key.of(1, v4, 80));
        assertThrows(IllegalArgumentException.class, () -> IpvsService.of(IpvsService.Key.of(6, v4, 80), "a-very-long-scheduler"));
        assertThrows(IllegalArgumentException.class, () -> new IpvsDestination(v4, 80, IpvsDestination.DROUTE, 1, 0, 0,
                IpvsDestination.TUNNEL_TYPE_GUE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IpvsDestination(v4, 80, IpvsDestination.TUNNEL, 1, 0, 0,
                IpvsDestination.TUNNEL_TYPE_GUE, 0, 0));
        assertEquals("TCP 10.97.0.100:80", IpvsService.Key.of(6, v4, 80).toString());
        assertEquals("FWM 7", IpvsService.Key.fwmark(IpvsService.AF_INET, 7).toString());
    }
}
