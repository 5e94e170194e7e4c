package appliance.codec.ipvs;

import appliance.codec.netlink.GenericNetlink;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkAttribute;
import appliance.codec.netlink.NetlinkDecodeException;
import appliance.codec.netlink.NetlinkHeader;
import appliance.codec.netlink.NetlinkWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * IPVS's generic netlink requests, for the family id the controller gave for {@value #FAMILY_NAME},
 * and the decoders of its replies. Every write asks for an ack; reads are dumps.
 */
public final class Ipvs {

    public static final String FAMILY_NAME = "IPVS";
    public static final int VERSION = 1;

    public static final int CMD_NEW_SERVICE = 1;
    public static final int CMD_SET_SERVICE = 2;
    public static final int CMD_DEL_SERVICE = 3;
    public static final int CMD_GET_SERVICE = 4;
    public static final int CMD_NEW_DEST = 5;
    public static final int CMD_SET_DEST = 6;
    public static final int CMD_DEL_DEST = 7;
    public static final int CMD_GET_DEST = 8;
    public static final int CMD_NEW_DAEMON = 9;
    public static final int CMD_DEL_DAEMON = 10;
    public static final int CMD_GET_DAEMON = 11;
    public static final int CMD_SET_INFO = 14;
    public static final int CMD_GET_INFO = 15;
    public static final int CMD_FLUSH = 17;

    static final int CMD_ATTR_SERVICE = 1;
    static final int CMD_ATTR_DEST = 2;
    static final int CMD_ATTR_DAEMON = 3;

    static final int SVC_ATTR_AF = 1;
    static final int SVC_ATTR_PROTOCOL = 2;
    static final int SVC_ATTR_ADDR = 3;
    static final int SVC_ATTR_PORT = 4;
    static final int SVC_ATTR_FWMARK = 5;
    static final int SVC_ATTR_SCHED_NAME = 6;
    static final int SVC_ATTR_FLAGS = 7;
    static final int SVC_ATTR_TIMEOUT = 8;
    static final int SVC_ATTR_NETMASK = 9;
    static final int SVC_ATTR_PE_NAME = 11;

    static final int DEST_ATTR_ADDR = 1;
    static final int DEST_ATTR_PORT = 2;
    static final int DEST_ATTR_FWD_METHOD = 3;
    static final int DEST_ATTR_WEIGHT = 4;
    static final int DEST_ATTR_U_THRESH = 5;
    static final int DEST_ATTR_L_THRESH = 6;
    static final int DEST_ATTR_ACTIVE_CONNS = 7;
    static final int DEST_ATTR_INACT_CONNS = 8;
    static final int DEST_ATTR_PERSIST_CONNS = 9;
    static final int DEST_ATTR_ADDR_FAMILY = 11;
    static final int DEST_ATTR_TUN_TYPE = 13;
    static final int DEST_ATTR_TUN_PORT = 14;
    static final int DEST_ATTR_TUN_FLAGS = 15;

    static final int DAEMON_ATTR_STATE = 1;
    static final int DAEMON_ATTR_MCAST_IFN = 2;
    static final int DAEMON_ATTR_SYNC_ID = 3;
    static final int DAEMON_ATTR_SYNC_MAXLEN = 4;
    static final int DAEMON_ATTR_MCAST_GROUP = 5;
    static final int DAEMON_ATTR_MCAST_GROUP6 = 6;
    static final int DAEMON_ATTR_MCAST_PORT = 7;
    static final int DAEMON_ATTR_MCAST_TTL = 8;

    static final int INFO_ATTR_VERSION = 1;
    static final int INFO_ATTR_CONN_TAB_SIZE = 2;

    /** union nf_inet_addr: addresses travel as 16 bytes whatever the family. */
    private static final int ADDRESS_SIZE = 16;
    private static final int WRITE = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;
    private static final int DUMP = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP;

    /** What GET_INFO answers: the module's version (major.minor.patch in one int) and its connection table's size. */
    public record Info(int version, int connectionTableSize) {

        /** As the kernel logs it: 1.2.1. */
        public String versionText() {
            return (version >> 16) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
        }
    }

    /** A destination as dumped, with its connection counters. */
    public record DestinationStatus(IpvsDestination destination, int activeConnections, int inactiveConnections,
                                    int persistentConnections) {
    }

    private final int family;

    /** @param family the id the generic netlink controller gave for "IPVS" */
    public Ipvs(int family) {
        this.family = family;
    }

    public int family() {
        return family;
    }

    public byte[] newService(int sequence, IpvsService service) {
        return serviceWrite(CMD_NEW_SERVICE, sequence, service);
    }

    /** Changes scheduler, flags, timeout, netmask, persistence engine of the service with that key. */
    public byte[] setService(int sequence, IpvsService service) {
        return serviceWrite(CMD_SET_SERVICE, sequence, service);
    }

    public byte[] deleteService(int sequence, IpvsService.Key key) {
        NetlinkWriter w = start(CMD_DEL_SERVICE, WRITE, sequence);
        int s = w.begin(CMD_ATTR_SERVICE);
        key(w, key);
        return w.end(s).toByteArray();
    }

    public byte[] dumpServices(int sequence) {
        return start(CMD_GET_SERVICE, DUMP, sequence).toByteArray();
    }

    public byte[] newDestination(int sequence, IpvsService.Key service, IpvsDestination destination) {
        return destinationWrite(CMD_NEW_DEST, sequence, service, destination, true);
    }

    /** Changes forwarding, weight, thresholds and tunnel of the destination with that address and port. */
    public byte[] setDestination(int sequence, IpvsService.Key service, IpvsDestination destination) {
        return destinationWrite(CMD_SET_DEST, sequence, service, destination, true);
    }

    public byte[] deleteDestination(int sequence, IpvsService.Key service, IpvsDestination destination) {
        return destinationWrite(CMD_DEL_DEST, sequence, service, destination, false);
    }

    /** The destinations of one service (an empty dump when there is no such service). */
    public byte[] dumpDestinations(int sequence, IpvsService.Key service) {
        NetlinkWriter w = start(CMD_GET_DEST, DUMP, sequence);
        int s = w.begin(CMD_ATTR_SERVICE);
        key(w, service);
        return w.end(s).toByteArray();
    }

    /** Removes every service and destination: only at keepalived's lvs_flush, it drops every connection. */
    public byte[] flush(int sequence) {
        return start(CMD_FLUSH, WRITE, sequence).toByteArray();
    }

    /** A single reply (CMD_SET_INFO) before the ack. */
    public byte[] getInfo(int sequence) {
        return start(CMD_GET_INFO, WRITE, sequence).toByteArray();
    }

    public byte[] newDaemon(int sequence, IpvsDaemon daemon) {
        NetlinkWriter w = start(CMD_NEW_DAEMON, WRITE, sequence);
        int d = w.begin(CMD_ATTR_DAEMON);
        w.attributeU32(DAEMON_ATTR_STATE, daemon.state())
                .attributeString(DAEMON_ATTR_MCAST_IFN, daemon.interfaceName())
                .attributeU32(DAEMON_ATTR_SYNC_ID, daemon.syncId());
        if (daemon.maxLength() != 0) {
            w.attributeU16(DAEMON_ATTR_SYNC_MAXLEN, daemon.maxLength());
        }
        daemon.group().ifPresent(g -> w.attribute(daemon.ipv4Group() ? DAEMON_ATTR_MCAST_GROUP : DAEMON_ATTR_MCAST_GROUP6,
                g.getAddress()));
        if (daemon.port() != 0) {
            w.attributeU16(DAEMON_ATTR_MCAST_PORT, daemon.port());
        }
        if (daemon.ttl() != 0) {
            w.attributeU8(DAEMON_ATTR_MCAST_TTL, daemon.ttl());
        }
        return w.end(d).toByteArray();
    }

    /** Stops the daemon of {@code state} (MASTER or BACKUP). */
    public byte[] deleteDaemon(int sequence, int state) {
        NetlinkWriter w = start(CMD_DEL_DAEMON, WRITE, sequence);
        int d = w.begin(CMD_ATTR_DAEMON);
        w.attributeU32(DAEMON_ATTR_STATE, state);
        return w.end(d).toByteArray();
    }

    public byte[] dumpDaemons(int sequence) {
        return start(CMD_GET_DAEMON, DUMP, sequence).toByteArray();
    }

    private NetlinkWriter start(int command, int flags, int sequence) {
        return GenericNetlink.request(family, flags, sequence, command, VERSION);
    }

    /** NEW and SET need the scheduler, flags, timeout and netmask, or the kernel answers EINVAL. */
    private byte[] serviceWrite(int command, int sequence, IpvsService service) {
        NetlinkWriter w = start(command, WRITE, sequence);
        int s = w.begin(CMD_ATTR_SERVICE);
        key(w, service.key());
        w.attributeString(SVC_ATTR_SCHED_NAME, service.scheduler())
                .attribute(SVC_ATTR_FLAGS, flags(service.flags()))
                .attributeU32(SVC_ATTR_TIMEOUT, service.timeout())
                .attributeU32(SVC_ATTR_NETMASK, service.netmask());
        if (!service.persistenceEngine().isEmpty()) {
            w.attributeString(SVC_ATTR_PE_NAME, service.persistenceEngine());
        }
        return w.end(s).toByteArray();
    }

    private byte[] destinationWrite(int command, int sequence, IpvsService.Key service, IpvsDestination d,
                                    boolean settings) {
        NetlinkWriter w = start(command, WRITE, sequence);
        int s = w.begin(CMD_ATTR_SERVICE);
        key(w, service);
        w.end(s);
        int a = w.begin(CMD_ATTR_DEST);
        w.attribute(DEST_ATTR_ADDR, address(d.address()))
                .attributeBe16(DEST_ATTR_PORT, d.port())
                .attributeU16(DEST_ATTR_ADDR_FAMILY, d.family());
        if (settings) {
            w.attributeU32(DEST_ATTR_FWD_METHOD, d.forwarding())
                    .attributeU32(DEST_ATTR_WEIGHT, d.weight())
                    .attributeU32(DEST_ATTR_U_THRESH, d.upperThreshold())
                    .attributeU32(DEST_ATTR_L_THRESH, d.lowerThreshold());
            if (d.forwarding() == IpvsDestination.TUNNEL) {
                w.attributeU8(DEST_ATTR_TUN_TYPE, d.tunnelType())
                        .attributeBe16(DEST_ATTR_TUN_PORT, d.tunnelPort())
                        .attributeU16(DEST_ATTR_TUN_FLAGS, d.tunnelFlags());
            }
        }
        return w.end(a).toByteArray();
    }

    private static void key(NetlinkWriter w, IpvsService.Key key) {
        w.attributeU16(SVC_ATTR_AF, key.family());
        if (key.fwmark() != 0) {
            w.attributeU32(SVC_ATTR_FWMARK, key.fwmark());
        } else {
            w.attributeU16(SVC_ATTR_PROTOCOL, key.protocol())
                    .attribute(SVC_ATTR_ADDR, address(key.address()))
                    .attributeBe16(SVC_ATTR_PORT, key.port());
        }
    }

    /** struct ip_vs_flags: the flags, and a mask of all ones so that they replace the kernel's. */
    private static byte[] flags(int flags) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(flags).putInt(0xffffffff).array();
    }

    private static byte[] address(InetAddress a) {
        return Arrays.copyOf(a.getAddress(), ADDRESS_SIZE);
    }

    /** A service of a GET_SERVICE dump (or a NEW/SET one). */
    public static IpvsService service(GenlMessage m) throws NetlinkDecodeException {
        NetlinkAttribute nested = required(m.attributes(), CMD_ATTR_SERVICE, "IPVS_CMD_ATTR_SERVICE");
        List<NetlinkAttribute> a = nested.nested();
        int af = required(a, SVC_ATTR_AF, "IPVS_SVC_ATTR_AF").u16();
        try {
            NetlinkAttribute mark = NetlinkAttribute.find(a, SVC_ATTR_FWMARK);
            IpvsService.Key key;
            if (mark != null && mark.u32() != 0) {
                key = IpvsService.Key.fwmark(af, mark.u32());
            } else {
                int protocol = required(a, SVC_ATTR_PROTOCOL, "IPVS_SVC_ATTR_PROTOCOL").u16();
                InetAddress address = address(af, required(a, SVC_ATTR_ADDR, "IPVS_SVC_ATTR_ADDR"));
                key = new IpvsService.Key(af, protocol, address, required(a, SVC_ATTR_PORT, "IPVS_SVC_ATTR_PORT").be16(), 0);
            }
            NetlinkAttribute pe = NetlinkAttribute.find(a, SVC_ATTR_PE_NAME);
            return new IpvsService(key, required(a, SVC_ATTR_SCHED_NAME, "IPVS_SVC_ATTR_SCHED_NAME").string(),
                    required(a, SVC_ATTR_FLAGS, "IPVS_SVC_ATTR_FLAGS").u32(),
                    required(a, SVC_ATTR_TIMEOUT, "IPVS_SVC_ATTR_TIMEOUT").u32(),
                    required(a, SVC_ATTR_NETMASK, "IPVS_SVC_ATTR_NETMASK").u32(), pe == null ? "" : pe.string());
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new NetlinkDecodeException("invalid IPVS service: " + e.getMessage(), e);
        }
    }

    /**
     * A destination of a GET_DEST dump; {@code serviceFamily} is its address's family when the
     * kernel leaves IPVS_DEST_ATTR_ADDR_FAMILY out (before Linux 4.14).
     */
    public static DestinationStatus destination(GenlMessage m, int serviceFamily) throws NetlinkDecodeException {
        NetlinkAttribute nested = required(m.attributes(), CMD_ATTR_DEST, "IPVS_CMD_ATTR_DEST");
        List<NetlinkAttribute> a = nested.nested();
        NetlinkAttribute af = NetlinkAttribute.find(a, DEST_ATTR_ADDR_FAMILY);
        try {
            InetAddress address = address(af == null ? serviceFamily : af.u16(),
                    required(a, DEST_ATTR_ADDR, "IPVS_DEST_ATTR_ADDR"));
            int forwarding = required(a, DEST_ATTR_FWD_METHOD, "IPVS_DEST_ATTR_FWD_METHOD").u32()
                    & 0x7; // IP_VS_CONN_F_FWD_MASK
            boolean tunnel = forwarding == IpvsDestination.TUNNEL;
            IpvsDestination d = new IpvsDestination(address, required(a, DEST_ATTR_PORT, "IPVS_DEST_ATTR_PORT").be16(),
                    forwarding, required(a, DEST_ATTR_WEIGHT, "IPVS_DEST_ATTR_WEIGHT").u32(),
                    optionalU32(a, DEST_ATTR_U_THRESH), optionalU32(a, DEST_ATTR_L_THRESH),
                    tunnel ? optionalU8(a, DEST_ATTR_TUN_TYPE) : 0, tunnel ? optionalBe16(a, DEST_ATTR_TUN_PORT) : 0,
                    tunnel ? optionalU16(a, DEST_ATTR_TUN_FLAGS) : 0);
            return new DestinationStatus(d, optionalU32(a, DEST_ATTR_ACTIVE_CONNS), optionalU32(a, DEST_ATTR_INACT_CONNS),
                    optionalU32(a, DEST_ATTR_PERSIST_CONNS));
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new NetlinkDecodeException("invalid IPVS destination: " + e.getMessage(), e);
        }
    }

    /** The reply to GET_INFO. */
    public static Info info(GenlMessage m) throws NetlinkDecodeException {
        return new Info(required(m.attributes(), INFO_ATTR_VERSION, "IPVS_INFO_ATTR_VERSION").u32(),
                optionalU32(m.attributes(), INFO_ATTR_CONN_TAB_SIZE));
    }

    /** A sync daemon of a GET_DAEMON dump. */
    public static IpvsDaemon daemon(GenlMessage m) throws NetlinkDecodeException {
        List<NetlinkAttribute> a = required(m.attributes(), CMD_ATTR_DAEMON, "IPVS_CMD_ATTR_DAEMON").nested();
        try {
            NetlinkAttribute g4 = NetlinkAttribute.find(a, DAEMON_ATTR_MCAST_GROUP);
            NetlinkAttribute g6 = NetlinkAttribute.find(a, DAEMON_ATTR_MCAST_GROUP6);
            Optional<InetAddress> group = g4 != null && g4.value().length == 4 && !allZero(g4.value())
                    ? Optional.of(InetAddress.getByAddress(g4.value()))
                    : g6 != null && g6.value().length == 16 && !allZero(g6.value())
                    ? Optional.of(Inet6Address.getByAddress(null, g6.value(), -1)) : Optional.empty();
            return new IpvsDaemon(required(a, DAEMON_ATTR_STATE, "IPVS_DAEMON_ATTR_STATE").u32(),
                    required(a, DAEMON_ATTR_MCAST_IFN, "IPVS_DAEMON_ATTR_MCAST_IFN").string(),
                    required(a, DAEMON_ATTR_SYNC_ID, "IPVS_DAEMON_ATTR_SYNC_ID").u32(),
                    optionalU16(a, DAEMON_ATTR_SYNC_MAXLEN), group, optionalU16(a, DAEMON_ATTR_MCAST_PORT),
                    optionalU8(a, DAEMON_ATTR_MCAST_TTL));
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new NetlinkDecodeException("invalid IPVS sync daemon: " + e.getMessage(), e);
        }
    }

    /** Dumps give 16 bytes whatever the family: an IPv4 address is the first 4. */
    private static InetAddress address(int family, NetlinkAttribute a) throws NetlinkDecodeException, UnknownHostException {
        byte[] v = a.value();
        if (family == IpvsService.AF_INET && v.length >= 4) {
            return Inet4Address.getByAddress(Arrays.copyOf(v, 4));
        }
        if (family == IpvsService.AF_INET6 && v.length >= 16) {
            return Inet6Address.getByAddress(null, Arrays.copyOf(v, 16), -1);
        }
        throw new NetlinkDecodeException("address attribute of " + v.length + " bytes for family " + family);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static NetlinkAttribute required(List<NetlinkAttribute> a, int type, String name) throws NetlinkDecodeException {
        NetlinkAttribute found = NetlinkAttribute.find(a, type);
        if (found == null) {
            throw new NetlinkDecodeException("IPVS message without " + name);
        }
        return found;
    }

    private static int optionalU32(List<NetlinkAttribute> a, int type) throws NetlinkDecodeException {
        NetlinkAttribute found = NetlinkAttribute.find(a, type);
        return found == null ? 0 : found.u32();
    }

    private static int optionalU16(List<NetlinkAttribute> a, int type) throws NetlinkDecodeException {
        NetlinkAttribute found = NetlinkAttribute.find(a, type);
        return found == null ? 0 : found.u16();
    }

    private static int optionalBe16(List<NetlinkAttribute> a, int type) throws NetlinkDecodeException {
        NetlinkAttribute found = NetlinkAttribute.find(a, type);
        return found == null ? 0 : found.be16();
    }

    private static int optionalU8(List<NetlinkAttribute> a, int type) throws NetlinkDecodeException {
        NetlinkAttribute found = NetlinkAttribute.find(a, type);
        return found == null ? 0 : found.u8();
    }
}
