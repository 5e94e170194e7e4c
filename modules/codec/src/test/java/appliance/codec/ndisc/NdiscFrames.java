package appliance.codec.ndisc;

import appliance.codec.ip.InternetChecksum;
import appliance.codec.pcap.PcapReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Neighbor Advertisement frames for the tests: keepalived's, and checksum repair for hand-made ones. */
final class NdiscFrames {

    static final HexFormat HEX = HexFormat.of();
    /** The capture with keepalived 2.2.7's unsolicited advertisements, beside its VRRPv3 adverts. */
    static final String CAPTURE = "v3-ipv6.pcap";
    static final byte[] MAC = HEX.parseHex("e6b918567aac");
    static final Inet6Address VIP = v6("fd00:99::100");
    /** v3-ipv6.pcap, frame 1: the first unsolicited advertisement of fd00:99::100. */
    static final byte[] CAPTURED = HEX.parseHex("333300000001" + "e6b918567aac" + "86dd"
            + "60000000" + "0020" + "3a" + "ff" + "fd000099000000000000000000000100" + "ff020000000000000000000000000001"
            + "88" + "00" + "dfaf" + "20000000" + "fd000099000000000000000000000100"
            + "02" + "01" + "e6b918567aac");

    static final int HOP_LIMIT = 21;
    static final int IP_SOURCE = 22;
    static final int IP_DESTINATION = 38;
    static final int ICMP = 54;
    static final int CHECKSUM = 56;
    static final int FLAGS = 58;
    static final int TARGET = 62;
    static final int OPTIONS = 78;

    private NdiscFrames() {
    }

    /** Every IPv6 frame of {@link #CAPTURE} whose next header is ICMPv6, whole and in order. */
    static List<PcapReader.Frame> capturedIcmpv6() {
        return PcapReader.readCapture(CAPTURE).stream()
                .filter(f -> f.data().length > 20 && (f.data()[12] & 0xff) == 0x86 && (f.data()[13] & 0xff) == 0xdd
                        && (f.data()[20] & 0xff) == 58)
                .toList();
    }

    /** For {@code @MethodSource}: the captured advertisement, and ours with every flag combination we send. */
    static Stream<byte[]> seeds() {
        Stream<byte[]> captured = capturedIcmpv6().stream().map(PcapReader.Frame::data)
                .map(HEX::formatHex).distinct().map(HEX::parseHex);
        Stream<byte[]> ours = Stream.of(
                NeighborAdvertisement.unsolicited(MAC, VIP, true).toEthernetFrame(),
                new NeighborAdvertisement(v6("fe80::1"), HEX.parseHex("020000000001"), false, false, false)
                        .toEthernetFrame());
        return Stream.concat(captured, ours);
    }

    /**
     * A copy with the ICMPv6 checksum made to verify for whatever the addresses and message now
     * hold, so a hand-made or mutated frame gets past BAD_CHECKSUM to the checks behind it. A frame
     * whose payload length does not fit is left alone; this never throws on any bytes.
     */
    static byte[] withChecksum(byte[] frame) {
        byte[] b = frame.clone();
        if (b.length < CHECKSUM + 2) {
            return b;
        }
        int icmpLength = (b[18] & 0xff) << 8 | b[19] & 0xff;
        if (icmpLength < CHECKSUM + 2 - ICMP || icmpLength > b.length - ICMP) {
            return b;
        }
        b[CHECKSUM] = 0;
        b[CHECKSUM + 1] = 0;
        byte[] pseudo = InternetChecksum.pseudoHeader(address(b, IP_SOURCE), address(b, IP_DESTINATION), 58, icmpLength);
        int sum = InternetChecksum.compute(pseudo, b, ICMP, icmpLength);
        b[CHECKSUM] = (byte) (sum >>> 8);
        b[CHECKSUM + 1] = (byte) sum;
        return b;
    }

    /** A copy of {@code frame} with {@code bytes} written at {@code at}, checksum left as it was. */
    static byte[] with(byte[] frame, int at, int... bytes) {
        byte[] b = frame.clone();
        for (int i = 0; i < bytes.length; i++) {
            b[at + i] = (byte) bytes[i];
        }
        return b;
    }

    /** A copy of {@code frame} with the 16 bytes of {@code address} written at {@code at}. */
    static byte[] with(byte[] frame, int at, Inet6Address address) {
        byte[] b = frame.clone();
        System.arraycopy(address.getAddress(), 0, b, at, 16);
        return b;
    }

    static Inet6Address v6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Inet6Address address(byte[] b, int at) {
        try {
            return Inet6Address.getByAddress(null, Arrays.copyOfRange(b, at, at + 16), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
