package appliance.codec.vrrp;

import static appliance.codec.vrrp.VrrpSamples.V4_GROUP;
import static appliance.codec.vrrp.VrrpSamples.V4_SOURCE;
import static appliance.codec.vrrp.VrrpSamples.V6_GROUP;
import static appliance.codec.vrrp.VrrpSamples.V6_SOURCE;
import static appliance.codec.vrrp.VrrpSamples.ip;
import static appliance.codec.vrrp.VrrpSamples.ips;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class VrrpAdvertisementTest {

    private static final List<InetAddress> ONE_V4 = ips("10.0.0.1");
    private static final byte[] NO_AUTH = new byte[8];

    @Test
    void v2FactoryZeroPadsAShortPassword() {
        VrrpAdvertisement a = VrrpAdvertisement.v2(1, 100, 1, "abc", ONE_V4);

        assertEquals(VrrpAdvertisement.AUTH_SIMPLE_PASSWORD, a.authType());
        assertArrayEquals(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0}, a.authData());
    }

    @Test
    void v2FactoryWithoutPasswordHasNoAuthenticationAndZeroData() {
        VrrpAdvertisement a = VrrpAdvertisement.v2(1, 100, 1, null, ONE_V4);

        assertEquals(VrrpAdvertisement.AUTH_NONE, a.authType());
        assertArrayEquals(NO_AUTH, a.authData());
    }

    @Test
    void v2FactoryRefusesPasswordsLongerThanEightBytes() {
        rejects("at most 8 bytes, was 9", () -> VrrpAdvertisement.v2(1, 100, 1, "123456789", ONE_V4));
        // Eight characters, but fourteen bytes of UTF-8.
        rejects("was 14", () -> VrrpAdvertisement.v2(1, 100, 1, "пароль12", ONE_V4));
    }

    @Test
    void v3FactoryHasNoAuthentication() {
        VrrpAdvertisement a = VrrpAdvertisement.v3(1, 100, 100, ONE_V4);

        assertEquals(0, a.authType());
        assertEquals(0, a.authData().length);
    }

    @Test
    void rejectsFieldsOutsideTheirWireRanges() {
        rejects("virtual router id must be 1..255, was 0", () -> VrrpAdvertisement.v3(0, 100, 100, ONE_V4));
        rejects("virtual router id must be 1..255, was 256", () -> VrrpAdvertisement.v3(256, 100, 100, ONE_V4));
        rejects("priority must be 0..255, was -1", () -> VrrpAdvertisement.v3(1, -1, 100, ONE_V4));
        rejects("priority must be 0..255, was 256", () -> VrrpAdvertisement.v2(1, 256, 1, null, ONE_V4));
        rejects("(seconds) must be 1..255, was 0", () -> VrrpAdvertisement.v2(1, 100, 0, null, ONE_V4));
        rejects("(seconds) must be 1..255, was 256", () -> VrrpAdvertisement.v2(1, 100, 256, null, ONE_V4));
        rejects("(centiseconds) must be 1..4095, was 0", () -> VrrpAdvertisement.v3(1, 100, 0, ONE_V4));
        rejects("(centiseconds) must be 1..4095, was 4096", () -> VrrpAdvertisement.v3(1, 100, 4096, ONE_V4));
        rejects("auth type must be 0..255, was 256",
                () -> new VrrpAdvertisement(VrrpVersion.V2, 1, 100, 1, 256, NO_AUTH, ONE_V4));
        rejects("auth data must be 8 bytes, was 7",
                () -> new VrrpAdvertisement(VrrpVersion.V2, 1, 100, 1, 0, new byte[7], ONE_V4));
    }

    @Test
    void rejectsAuthenticationOnV3() {
        rejects("auth type 1", () -> new VrrpAdvertisement(VrrpVersion.V3, 1, 100, 100, 1, new byte[0], ONE_V4));
        rejects("8 bytes of auth data", () -> new VrrpAdvertisement(VrrpVersion.V3, 1, 100, 100, 0, NO_AUTH, ONE_V4));
    }

    @Test
    void v2NeedsOneTo255Ipv4Addresses() {
        rejects("address count must be 1..255, was 0", () -> VrrpAdvertisement.v2(1, 100, 1, null, List.of()));
        rejects("address count must be 1..255, was 256", () -> VrrpAdvertisement.v2(1, 100, 1, null, v4s(256)));
        rejects("IPv4 addresses only, got fd00:0:0:0:0:0:0:1", () -> VrrpAdvertisement.v2(1, 100, 1, null, ips("fd00::1")));
        assertEquals(255, VrrpAdvertisement.v2(1, 100, 1, null, v4s(255)).ipAddresses().size());
    }

    @Test
    void v3TakesZeroTo255AddressesOfOneFamily() {
        assertEquals(0, VrrpAdvertisement.v3(1, 100, 100, List.of()).ipAddresses().size());
        assertEquals(255, VrrpAdvertisement.v3(1, 100, 100, v4s(255)).ipAddresses().size());
        rejects("was 256", () -> VrrpAdvertisement.v3(1, 100, 100, v4s(256)));
        rejects("one family, got 10.0.0.1 and fd00:0:0:0:0:0:0:1",
                () -> VrrpAdvertisement.v3(1, 100, 100, ips("10.0.0.1", "fd00::1")));
        List<InetAddress> withNull = new ArrayList<>(ONE_V4);
        withNull.add(null);
        rejects("must not contain null", () -> VrrpAdvertisement.v3(1, 100, 100, withNull));
    }

    @Test
    void authDataIsCopiedInAndOut() {
        byte[] data = "secret12".getBytes(StandardCharsets.US_ASCII);
        VrrpAdvertisement a = new VrrpAdvertisement(VrrpVersion.V2, 1, 100, 1, 1, data, ONE_V4);

        data[0] = 'X';
        a.authData()[1] = 'Y';

        assertArrayEquals("secret12".getBytes(StandardCharsets.US_ASCII), a.authData());
    }

    @Test
    void addressListIsAnUnmodifiableCopy() {
        List<InetAddress> addresses = ips("10.0.0.1", "10.0.0.2");
        VrrpAdvertisement a = VrrpAdvertisement.v3(1, 100, 100, addresses);

        addresses.clear();

        assertEquals(ips("10.0.0.1", "10.0.0.2"), a.ipAddresses());
        assertThrows(UnsupportedOperationException.class, () -> a.ipAddresses().add(ip("10.0.0.3")));
    }

    @Test
    void equalsComparesAuthDataByContent() {
        VrrpAdvertisement a = VrrpAdvertisement.v2(51, 150, 1, "secret12", ONE_V4);
        VrrpAdvertisement b = VrrpAdvertisement.v2(51, 150, 1, "secret12", ips("10.0.0.1"));

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, VrrpAdvertisement.v2(51, 150, 1, "secret13", ONE_V4));
        assertNotEquals(a, VrrpAdvertisement.v2(51, 150, 1, null, ONE_V4));
    }

    @Test
    void toStringShowsThePasswordAsTextAndAddressesPlainly() {
        assertEquals("VrrpAdvertisement[V2 vrid=51 priority=150 advertInterval=1s auth=password \"secret\""
                        + " addresses=[10.99.0.100, 10.99.0.101]]",
                VrrpAdvertisement.v2(51, 150, 1, "secret", ips("10.99.0.100", "10.99.0.101")).toString());
        assertEquals("VrrpAdvertisement[V3 vrid=9 priority=120 advertInterval=100cs addresses=[fd00:99:0:0:0:0:0:100]]",
                VrrpAdvertisement.v3(9, 120, 100, ips("fd00:99::100")).toString());
        byte[] odd = {1, 2, 3, 4, 5, 6, 7, (byte) 0xff};
        assertTrue(new VrrpAdvertisement(VrrpVersion.V2, 1, 1, 1, 2, odd, ONE_V4).toString()
                .contains("auth=type 2 data 01020304050607ff"));
        assertTrue(new VrrpAdvertisement(VrrpVersion.V2, 1, 1, 1, 1, odd, ONE_V4).toString()
                .contains("auth=password \"\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\xff\""));
    }

    @Test
    void withPriorityChangesOnlyThePriority() {
        VrrpAdvertisement a = VrrpAdvertisement.v2(51, 150, 1, "secret12", ONE_V4);

        VrrpAdvertisement resigning = a.withPriority(0);

        assertEquals(new VrrpAdvertisement(VrrpVersion.V2, 51, 0, 1, 1, a.authData(), ONE_V4), resigning);
        rejects("priority must be 0..255, was 256", () -> a.withPriority(256));
    }

    @Test
    void isIpv6FollowsTheAddresses() {
        assertTrue(VrrpAdvertisement.v3(1, 100, 100, ips("fd00::1")).isIpv6());
        assertFalse(VrrpAdvertisement.v3(1, 100, 100, ONE_V4).isIpv6());
        assertFalse(VrrpAdvertisement.v2(1, 100, 1, null, ONE_V4).isIpv6());
        assertFalse(VrrpAdvertisement.v3(1, 100, 100, List.of()).isIpv6());
    }

    @Test
    void encodeRefusesIpHeadersThatCannotCarryTheAdvert() {
        VrrpAdvertisement v2 = VrrpAdvertisement.v2(1, 100, 1, null, ONE_V4);
        VrrpAdvertisement v3 = VrrpAdvertisement.v3(1, 100, 100, ONE_V4);

        rejects("VRRPv2 runs over IPv4 only", () -> v2.encode(V6_SOURCE, V6_GROUP));
        rejects("not of the family of source fe80", () -> v3.encode(V6_SOURCE, V6_GROUP));
        rejects("different families", () -> v3.encode(V4_SOURCE, V6_GROUP));
        assertThrows(NullPointerException.class, () -> v3.encode(null, V4_GROUP));
    }

    @Test
    void v3WithoutAddressesEncodesForEitherFamily() throws Exception {
        VrrpAdvertisement empty = VrrpAdvertisement.v3(1, 100, 100, List.of());

        for (InetAddress[] pair : new InetAddress[][] {{V4_SOURCE, V4_GROUP}, {V6_SOURCE, V6_GROUP}}) {
            byte[] wire = empty.encode(pair[0], pair[1]);
            assertEquals(8, wire.length);
            assertEquals(empty, VrrpAdvertisement.decode(wire, 0, wire.length, pair[0], pair[1]));
        }
    }

    @Test
    void versionNumbersAreTheWireNibble() {
        assertEquals(2, VrrpVersion.V2.number());
        assertEquals(3, VrrpVersion.V3.number());
        assertEquals(VrrpVersion.V2, VrrpVersion.of(2));
        assertEquals(VrrpVersion.V3, VrrpVersion.of(3));
        rejects("must be 2 or 3, was 4", () -> VrrpVersion.of(4));
    }

    private static List<InetAddress> v4s(int n) {
        List<InetAddress> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(ip("10.1." + i / 256 + "." + i % 256));
        }
        return Collections.unmodifiableList(list);
    }

    private static void rejects(String messagePart, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().contains(messagePart), () -> "message \"" + e.getMessage()
                + "\" should contain \"" + messagePart + "\"");
    }
}
