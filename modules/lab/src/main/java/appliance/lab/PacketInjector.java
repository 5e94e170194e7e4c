package appliance.lab;

import appliance.codec.vrrp.VrrpAdvertisement;
import appliance.nativeio.RawIpv4Socket;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Puts bad VRRP packets on a lab wire, from inside a lab namespace:
 * {@code java appliance.lab.PacketInjector KIND COUNT VRID SOURCE [PASSWORD]}. Each packet would
 * take mastership if it were accepted (priority 254), so a receiver that lets one through shows
 * it by changing state. Kinds, one per receive check of RFC 3768/5798 section 7.1:
 * ttl, checksum, auth, interval, version, length, vrid, malformed. KIND may be a comma-separated
 * list ({@code ttl,checksum,vrid}): COUNT packets of each, taking turns, so that one process
 * keeps several of the receiver's drop reasons busy at once (each reason's log lines are
 * rate-limited separately).
 */
public final class PacketInjector {

    public enum Kind { TTL, CHECKSUM, AUTH, INTERVAL, VERSION, LENGTH, VRID, MALFORMED }

    static final int HARMFUL_PRIORITY = 254;
    private static final byte[] GROUP = {(byte) 224, 0, 0, 18};

    private PacketInjector() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PacketInjector KIND COUNT VRID SOURCE [PASSWORD]  (KIND: "
                    + Arrays.toString(Kind.values()).toLowerCase(Locale.ROOT) + ")");
            System.exit(2);
        }
        List<Kind> kinds = Arrays.stream(args[0].split(",")).map(k -> Kind.valueOf(k.toUpperCase(Locale.ROOT))).toList();
        int count = Integer.parseInt(args[1]);
        int vrid = Integer.parseInt(args[2]);
        InetAddress source = InetAddress.getByName(args[3]);
        String password = args.length > 4 ? args[4] : null;
        Inet4Address group = (Inet4Address) InetAddress.getByAddress(GROUP);
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        int sent = 0;
        // The TTL kind needs a socket of its own: the socket, not the packet, sets the TTL.
        try (RawIpv4Socket ttl255 = open(loops, 255); RawIpv4Socket ttl64 = open(loops, 64)) {
            for (int i = 0; i < count; i++) {
                for (Kind kind : kinds) {
                    RawIpv4Socket socket = kind == Kind.TTL ? ttl64 : ttl255;
                    if (socket.send(packet(kind, vrid, password, source, group), group)) {
                        sent++;
                    }
                    Thread.sleep(5);
                }
            }
        } finally {
            loops.shutdownGracefully(10, 100, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        System.out.println("sent " + sent + " " + args[0].toLowerCase(Locale.ROOT) + " packets");
        System.exit(sent == count * kinds.size() ? 0 : 1);
    }

    private static RawIpv4Socket open(MultiThreadIoEventLoopGroup loops, int ttl) throws Exception {
        return RawIpv4Socket.open((IoEventLoop) loops.next(), VrrpAdvertisement.IP_PROTOCOL, Host.INTERFACE,
                List.of(), ttl, (b, l) -> { });
    }

    /** The VRRP message (no IP header: the kernel adds it) for one kind of bad packet. */
    static byte[] packet(Kind kind, int vrid, String password, InetAddress source, InetAddress group) {
        List<InetAddress> vips = new ArrayList<>();
        try {
            vips.add(InetAddress.getByName("10.99.0.100"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        VrrpAdvertisement good = VrrpAdvertisement.v2(vrid, HARMFUL_PRIORITY, 1, password, vips);
        return switch (kind) {
            case TTL -> good.encode(source, group);
            case CHECKSUM -> {
                byte[] b = good.encode(source, group);
                b[6] ^= 0x5a;
                yield b;
            }
            case AUTH -> VrrpAdvertisement.v2(vrid, HARMFUL_PRIORITY, 1, "wrong!", vips).encode(source, group);
            case INTERVAL -> VrrpAdvertisement.v2(vrid, HARMFUL_PRIORITY, 7, password, vips).encode(source, group);
            case VERSION -> VrrpAdvertisement.v3(vrid, HARMFUL_PRIORITY, 100, vips).encode(source, group);
            case LENGTH -> Arrays.copyOf(good.encode(source, group), 8 + 4 + 8 - 3);
            case VRID -> VrrpAdvertisement.v2(vrid == 255 ? 1 : vrid + 1, HARMFUL_PRIORITY, 1, password, vips)
                    .encode(source, group);
            case MALFORMED -> new byte[] {0x21, (byte) vrid, (byte) HARMFUL_PRIORITY};
        };
    }
}
