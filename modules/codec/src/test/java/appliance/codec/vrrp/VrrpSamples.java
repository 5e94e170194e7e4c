package appliance.codec.vrrp;

import appliance.codec.ip.InternetChecksum;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Addresses, generated advertisements and checksum repair for the VRRP tests. */
final class VrrpSamples {

    static final InetAddress V4_SOURCE = ip("10.99.0.1");
    static final InetAddress V4_GROUP = ip("224.0.0.18");
    static final InetAddress V6_SOURCE = ip("fe80::1");
    static final InetAddress V6_GROUP = ip("ff02::12");

    /** An advertisement with the IP addresses of the packet it travels in. */
    record Sample(VrrpAdvertisement advert, InetAddress source, InetAddress destination) {
        byte[] encode() {
            return advert.encode(source, destination);
        }
    }

    private VrrpSamples() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<InetAddress> ips(String... literals) {
        List<InetAddress> list = new ArrayList<>();
        for (String l : literals) {
            list.add(ip(l));
        }
        return list;
    }

    /** Any valid advertisement, weighted towards the edges of each field's range. */
    static Sample random(Random r) {
        boolean v2 = r.nextBoolean();
        boolean ipv6 = !v2 && r.nextBoolean();
        int vrid = edgy(r, 1, 255);
        int priority = edgy(r, 0, 255);
        InetAddress source = ipv6 ? randomV6(r) : randomV4(r);
        InetAddress destination = r.nextBoolean() ? (ipv6 ? V6_GROUP : V4_GROUP) : (ipv6 ? randomV6(r) : randomV4(r));
        int min = v2 ? 1 : 0;
        // Counts stay mostly small so the tests stay fast; the maximum still comes up.
        int count = r.nextInt(8) == 0 ? VrrpAdvertisement.MAX_ADDRESSES : min + r.nextInt(8);
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(ipv6 ? randomV6(r) : randomV4(r));
        }
        VrrpAdvertisement advert;
        if (v2) {
            byte[] authData = new byte[VrrpAdvertisement.AUTH_DATA_LENGTH];
            r.nextBytes(authData);
            advert = new VrrpAdvertisement(VrrpVersion.V2, vrid, priority, edgy(r, 1, 255), edgy(r, 0, 255),
                    authData, addresses);
        } else {
            advert = VrrpAdvertisement.v3(vrid, priority, edgy(r, 1, 4095), addresses);
        }
        return new Sample(advert, source, destination);
    }

    /** Recomputes the checksum of a tampered message so that decoding gets past it. */
    static byte[] withValidChecksum(byte[] message, InetAddress source, InetAddress destination) {
        byte[] b = message.clone();
        b[6] = 0;
        b[7] = 0;
        int version = (b[0] & 0xff) >>> 4;
        int sum = version == 2
                ? InternetChecksum.compute(b, 0, b.length)
                : InternetChecksum.compute(InternetChecksum.pseudoHeader(source, destination, 112, b.length),
                        b, 0, b.length);
        b[6] = (byte) (sum >>> 8);
        b[7] = (byte) sum;
        return b;
    }

    private static int edgy(Random r, int min, int max) {
        return switch (r.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + r.nextInt(max - min + 1);
        };
    }

    private static InetAddress randomV4(Random r) {
        byte[] b = new byte[4];
        r.nextBytes(b);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress randomV6(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
