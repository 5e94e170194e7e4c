package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the fuzz test holds {@link Rtnetlink#decode} to, for any bytes: messages or
 * {@link NetlinkDecodeException}, the same wherever the datagram sits in the buffer; any other
 * exception escapes to Jazzer as a finding. An address message that the request encoder can
 * write must come back from it with the same address, index, prefix length and label.
 */
final class RtnetlinkChecks {

    /** Bytes either side of the datagram in the second decode, none of them zero padding. */
    private static final int MARGIN = 7;

    private RtnetlinkChecks() {
    }

    static void datagram(byte[] datagram) {
        Optional<List<NetlinkMessage>> atStart = decode(datagram, 0, datagram.length);
        byte[] framed = new byte[datagram.length + 2 * MARGIN];
        Arrays.fill(framed, (byte) 0xa5);
        System.arraycopy(datagram, 0, framed, MARGIN, datagram.length);
        // The decoder mixes offsets into the array and into the datagram: a mix-up shows here.
        assertEquals(atStart, decode(framed, MARGIN, datagram.length), "decoded differently at an offset");
        for (NetlinkMessage m : atStart.orElse(List.of())) {
            assertTrue(m.header().length() <= datagram.length, m.toString());
            if (m instanceof IfAddrMessage a) {
                reencoded(a);
            }
        }
    }

    private static Optional<List<NetlinkMessage>> decode(byte[] buf, int off, int len) {
        try {
            return Optional.of(Rtnetlink.decode(buf, off, len));
        } catch (NetlinkDecodeException refused) {
            return Optional.empty();
        }
    }

    private static void reencoded(IfAddrMessage a) {
        // Only RTM_NEWADDR and RTM_DELADDR decode as IfAddrMessage; a deletion carries no label.
        boolean add = a.header().type() == Rtnetlink.RTM_NEWADDR;
        InetAddress address = a.interfaceAddress();
        String label = add ? a.label() : null;
        if (address == null || a.interfaceIndex() <= 0
                || a.prefixLength() > (address instanceof Inet4Address ? 32 : 128)
                || label != null && (label.isEmpty() || label.length() > Rtnetlink.MAX_LABEL_LENGTH)) {
            return; // outside what the encoder accepts; it refuses such values itself
        }
        int sequence = a.header().sequence();
        byte[] request = add
                ? Rtnetlink.newAddress(sequence, a.interfaceIndex(), address, a.prefixLength(), label)
                : Rtnetlink.deleteAddress(sequence, a.interfaceIndex(), address, a.prefixLength());
        List<NetlinkMessage> back;
        try {
            back = Rtnetlink.decode(request, 0, request.length);
        } catch (NetlinkDecodeException e) {
            throw new AssertionError("request re-encoded from " + a + " does not decode", e);
        }
        assertEquals(1, back.size(), back.toString());
        IfAddrMessage b = assertInstanceOf(IfAddrMessage.class, back.get(0));
        String what = a + " came back as " + b;
        assertEquals(a.header().type(), b.header().type(), what);
        assertEquals(sequence, b.header().sequence(), what);
        assertEquals(Rtnetlink.familyOf(address), b.family(), what);
        assertEquals(a.interfaceIndex(), b.interfaceIndex(), what);
        assertEquals(a.prefixLength(), b.prefixLength(), what);
        assertEquals(address, b.interfaceAddress(), what);
        assertEquals(label, b.label(), what);
    }
}
