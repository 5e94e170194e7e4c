package appliance.codec.netlink;

import static appliance.codec.netlink.RouteEncodingTest.addr;
import static appliance.codec.netlink.RouteEncodingTest.hex;
import static appliance.codec.netlink.RouteEncodingTest.sameAsIproute2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** newAddress and deleteAddress with keepalived's virtual_ipaddress options, against {@code ip addr}. */
class AddressOptionsTest {

    private static final int VA = 3;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    @Test
    void ipv4OptionsCarryWhatIpAddrAddCarriesInTheOtherOverloadsOrder() throws Exception {
        byte[] ip = Iproute2Requests.ADDRESS_BRD_SCOPE_LABEL;
        AddressOptions options = AddressOptions.DEFAULT.withBroadcast(addr("10.99.0.255"))
                .withScope(Rtnetlink.RT_SCOPE_LINK).withLabel("va:vip");
        byte[] ours = Rtnetlink.newAddress(Iproute2Requests.sequenceOf(ip), VA, addr("10.99.0.5"), 24, options);
        // iproute2 writes IFA_ADDRESS after parsing, last; ours keeps it second as the older
        // overloads always did. The kernel reads attributes by type: the same request.
        assertEquals(attributesByType(ip), attributesByType(ours));
        assertNotEquals(hex(ip), hex(ours));
        assertEquals(hex(ip).substring(0, 2 * (NetlinkHeader.SIZE + IfAddrMessage.SIZE)),
                hex(ours).substring(0, 2 * (NetlinkHeader.SIZE + IfAddrMessage.SIZE)), "header and ifaddrmsg");
    }

    @Test
    void ipv6OptionsAreWhatIpAddrAddWrites() throws Exception {
        // nodad in the 8-bit ifa_flags, scope link in ifa_scope (which the kernel ignores for IPv6).
        AddressOptions options = AddressOptions.DEFAULT.withScope(Rtnetlink.RT_SCOPE_LINK);
        sameAsIproute2(Iproute2Requests.ADDRESS_IPV6_NODAD_SCOPE_LINK,
                s -> Rtnetlink.newAddress(s, VA, addr("2001:db8:5::5"), 64, options));
    }

    @Test
    void labelAloneCarriesWhatIpAddrAddCarries() throws Exception {
        byte[] ip = Iproute2Requests.ADDRESS_LABEL;
        byte[] ours = Rtnetlink.newAddress(Iproute2Requests.sequenceOf(ip), VA, addr("10.99.1.5"), 24,
                AddressOptions.DEFAULT.withLabel("va:vip2"));
        assertEquals(attributesByType(ip), attributesByType(ours));
        assertEquals(hex(ours), hex(Rtnetlink.newAddress(Iproute2Requests.sequenceOf(ip), VA, addr("10.99.1.5"), 24,
                "va:vip2")), "the label overload is the options overload");
    }

    @Test
    void deletesMatchIpAddrDel() throws Exception {
        AddressOptions options = AddressOptions.DEFAULT.withBroadcast(addr("10.99.0.255"))
                .withScope(Rtnetlink.RT_SCOPE_LINK).withLabel("va:vip");
        byte[] ip = Iproute2Requests.DELETE_ADDRESS_LABEL;
        assertEquals(attributesByType(ip), attributesByType(
                Rtnetlink.deleteAddress(Iproute2Requests.sequenceOf(ip), VA, addr("10.99.0.5"), 24, options)));
        sameAsIproute2(Iproute2Requests.DELETE_ADDRESS, s -> Rtnetlink.deleteAddress(s, VA, addr("10.99.1.5"), 24));
        sameAsIproute2(Iproute2Requests.DELETE_ADDRESS_IPV6,
                s -> Rtnetlink.deleteAddress(s, VA, addr("2001:db8:5::5"), 64,
                        AddressOptions.DEFAULT.withScope(Rtnetlink.RT_SCOPE_LINK)));
    }

    @Test
    void deleteSendsOnlyWhatTheKernelMatchesBy() throws Exception {
        AddressOptions options = AddressOptions.DEFAULT.withBroadcast(addr("10.99.0.255"))
                .withScope(Rtnetlink.RT_SCOPE_LINK).withLabel("va:vip");
        IfAddrMessage m = only(Rtnetlink.deleteAddress(1, VA, addr("10.99.0.5"), 24, options));
        assertEquals(Rtnetlink.RTM_DELADDR, m.header().type());
        assertEquals(Rtnetlink.RT_SCOPE_UNIVERSE, m.scope());
        assertEquals("va:vip", m.label());
        assertEquals(0, m.flags());
        assertEquals(hex(Rtnetlink.deleteAddress(1, VA, addr("10.99.0.5"), 24)),
                hex(Rtnetlink.deleteAddress(1, VA, addr("10.99.0.5"), 24, (AddressOptions) null)));
    }

    @Test
    void defaultsAreWhatNewAddressWroteBeforeOptions() throws Exception {
        for (String literal : new String[] {"192.0.2.10", "2001:db8::10"}) {
            InetAddress a = addr(literal);
            String plain = hex(Rtnetlink.newAddress(3, VA, a, 24));
            assertEquals(plain, hex(Rtnetlink.newAddress(3, VA, a, 24, AddressOptions.DEFAULT)));
            assertEquals(plain, hex(Rtnetlink.newAddress(3, VA, a, 24, (AddressOptions) null)));
            assertEquals(plain, hex(Rtnetlink.newAddress(3, VA, a, 24, (String) null)));
        }
    }

    @Test
    void nodadIsForIpv6Only() throws Exception {
        assertEquals(0, only(Rtnetlink.newAddress(1, VA, addr("10.99.0.5"), 24, AddressOptions.DEFAULT)).flags());
        assertEquals(IfAddrMessage.IFA_F_NODAD,
                only(Rtnetlink.newAddress(1, VA, addr("2001:db8::5"), 64, AddressOptions.DEFAULT)).flags());
        assertEquals(0, only(Rtnetlink.newAddress(1, VA, addr("2001:db8::5"), 64,
                AddressOptions.DEFAULT.withNoDad(false))).flags(), "duplicate address detection asked for");
    }

    @Test
    void optionsRoundTrip() throws Exception {
        IfAddrMessage m = only(Rtnetlink.newAddress(1, VA, addr("10.99.0.5"), 24,
                AddressOptions.DEFAULT.withScope(Rtnetlink.RT_SCOPE_HOST).withLabel("va:x")));
        assertEquals(Rtnetlink.RT_SCOPE_HOST, m.scope());
        assertEquals("va:x", m.label());
        assertEquals(addr("10.99.0.5"), m.interfaceAddress());
    }

    @Test
    void kernelKeepsScopeAndLabel() throws Exception {
        IfAddrMessage m = only(KernelCaptures.ADDRESS_WITH_OPTIONS);
        assertEquals(addr("10.99.0.5"), m.interfaceAddress());
        assertEquals(Rtnetlink.RT_SCOPE_LINK, m.scope());
        assertEquals("va:vip", m.label());
        assertEquals(24, m.prefixLength());
    }

    @Test
    void invalidOptionsAreRefused() throws Exception {
        InetAddress v6 = addr("2001:db8::5");
        assertThrows(IllegalArgumentException.class, () -> AddressOptions.DEFAULT.withLabel("sixteen-chars-xx"));
        assertThrows(IllegalArgumentException.class, () -> AddressOptions.DEFAULT.withLabel(""));
        assertThrows(IllegalArgumentException.class, () -> AddressOptions.DEFAULT.withScope(256));
        assertThrows(IllegalArgumentException.class, () -> AddressOptions.DEFAULT.withBroadcast(v6));
        AddressOptions broadcast = AddressOptions.DEFAULT.withBroadcast(addr("10.99.0.255"));
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.newAddress(1, VA, v6, 64, broadcast));
    }

    /** Header, fixed struct, then each attribute as hex, sorted: equal when only their order differs. */
    private static List<String> attributesByType(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        int start = NetlinkHeader.SIZE + IfAddrMessage.SIZE;
        List<String> parts = new ArrayList<>();
        parts.add(hex(Arrays.copyOf(message, start)));
        List<String> attributes = new ArrayList<>();
        for (int pos = start; pos < message.length; pos += NetlinkWriter.align(Short.toUnsignedInt(in.getShort(pos)))) {
            attributes.add(hex(Arrays.copyOfRange(message, pos, pos + NetlinkWriter.align(in.getShort(pos)))));
        }
        attributes.sort(null);
        parts.addAll(attributes);
        return parts;
    }

    private static IfAddrMessage only(byte[] message) throws NetlinkDecodeException {
        List<NetlinkMessage> messages = Rtnetlink.decode(message, 0, message.length);
        assertEquals(1, messages.size());
        return assertInstanceOf(IfAddrMessage.class, messages.get(0));
    }
}
