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
 * exception escapes to Jazzer as a finding. A message that a request encoder can write must come
 * back from it the same: an address with its address, index, prefix length, label and scope; a route
 * with every field a {@link RouteSpec} holds; a macvlan with its name, MAC, base and kind.
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
            } else if (m instanceof RouteMessage r) {
                reencoded(r);
            } else if (m instanceof IfInfoMessage l && "macvlan".equals(l.kind())) {
                reencoded(l);
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

    private static void reencoded(RouteMessage r) {
        if (r.family() != Rtnetlink.AF_INET && r.family() != Rtnetlink.AF_INET6 || r.sourceLength() != 0
                || r.tos() != 0 || r.destinationLength() > 0 && r.destination() == null) {
            return; // no RouteSpec holds a source prefix or a tos; the family comes from the destination
        }
        InetAddress destination = r.destination();
        if (r.destinationLength() == 0) {
            destination = r.family() == Rtnetlink.AF_INET ? address(new byte[4]) : address(new byte[16]);
        }
        RouteSpec spec;
        try {
            spec = new RouteSpec(destination, r.destinationLength(), r.gateway(), r.outputInterface(),
                    r.preferredSource(), r.table(), r.priority(), r.scope(), r.type(), r.nextHops(), r.protocol());
        } catch (IllegalArgumentException outside) {
            return; // RouteSpec refuses it (host bits, no next hop, table 0 ...): so would the encoder
        }
        boolean add = r.header().type() == Rtnetlink.RTM_NEWROUTE;
        int sequence = r.header().sequence();
        RouteMessage b = onlyBack(add ? Rtnetlink.newRoute(sequence, spec) : Rtnetlink.deleteRoute(sequence, spec),
                RouteMessage.class, r);
        String what = r + " came back as " + b;
        assertEquals(r.header().type(), b.header().type(), what);
        assertEquals(sequence, b.header().sequence(), what);
        assertEquals(r.family(), b.family(), what);
        assertEquals(r.destinationLength(), b.destinationLength(), what);
        assertEquals(r.destinationLength() == 0 ? null : r.destination(), b.destination(), what);
        assertEquals(r.gateway(), b.gateway(), what);
        assertEquals(r.outputInterface(), b.outputInterface(), what);
        assertEquals(r.preferredSource(), b.preferredSource(), what);
        assertEquals(r.priority(), b.priority(), what);
        assertEquals(r.nextHops(), b.nextHops(), what);
        assertEquals(r.table(), b.table(), what);
        assertEquals(r.protocol(), b.protocol(), what);
        assertEquals(r.type(), b.type(), what);
        if (add) {
            assertEquals(r.scope(), b.scope(), what);
        }
    }

    private static void reencoded(IfInfoMessage l) {
        byte[] request;
        try {
            request = Rtnetlink.newMacvlan(l.header().sequence(), l.name(), l.linkIndex(), l.hardwareAddress(),
                    Rtnetlink.MACVLAN_MODE_PRIVATE);
        } catch (IllegalArgumentException | NullPointerException outside) {
            return; // a name, MAC or base the encoder refuses up front
        }
        IfInfoMessage b = onlyBack(request, IfInfoMessage.class, l);
        String what = l + " came back as " + b;
        assertEquals(l.name(), b.name(), what);
        assertEquals(l.hardwareAddressText(), b.hardwareAddressText(), what);
        assertEquals(l.linkIndex(), b.linkIndex(), what);
        assertEquals("macvlan", b.kind(), what);
    }

    private static <T extends NetlinkMessage> T onlyBack(byte[] request, Class<T> type, NetlinkMessage from) {
        List<NetlinkMessage> back;
        try {
            back = Rtnetlink.decode(request, 0, request.length);
        } catch (NetlinkDecodeException e) {
            throw new AssertionError("request re-encoded from " + from + " does not decode", e);
        }
        assertEquals(1, back.size(), back.toString());
        return assertInstanceOf(type, back.get(0));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
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
                ? Rtnetlink.newAddress(sequence, a.interfaceIndex(), address, a.prefixLength(),
                        AddressOptions.DEFAULT.withLabel(label).withScope(a.scope()))
                : Rtnetlink.deleteAddress(sequence, a.interfaceIndex(), address, a.prefixLength());
        IfAddrMessage b = onlyBack(request, IfAddrMessage.class, a);
        String what = a + " came back as " + b;
        assertEquals(a.header().type(), b.header().type(), what);
        assertEquals(sequence, b.header().sequence(), what);
        assertEquals(Rtnetlink.familyOf(address), b.family(), what);
        assertEquals(a.interfaceIndex(), b.interfaceIndex(), what);
        assertEquals(a.prefixLength(), b.prefixLength(), what);
        assertEquals(address, b.interfaceAddress(), what);
        assertEquals(label, b.label(), what);
        if (add) {
            assertEquals(a.scope(), b.scope(), what);
        }
    }
}
