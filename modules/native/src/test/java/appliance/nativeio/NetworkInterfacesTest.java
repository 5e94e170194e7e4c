package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reads interface indexes only; touches nothing. */
class NetworkInterfacesTest {

    @Test
    void loopbackIsInterfaceOne() throws Exception {
        assertEquals(1, NetworkInterfaces.indexOf("lo"));
    }

    @Test
    void missingInterfaceIsNoSuchDeviceAndNamed() {
        NativeException e = assertThrows(NativeException.class, () -> NetworkInterfaces.indexOf("e9"));
        assertTrue(e.isNoSuchDevice());
        assertEquals("no such network interface: e9", e.getMessage());
        assertEquals("if_nametoindex(e9)", e.call());
    }

    @Test
    void tooLongNameIsNoSuchDevice() {
        NativeException e = assertThrows(NativeException.class,
                () -> NetworkInterfaces.indexOf("a-name-longer-than-ifnamsiz"));
        assertTrue(e.isNoSuchDevice());
    }

    @Test
    void hardwareAddressesAreTheKernelsOnes() throws Exception {
        assertEquals(java.util.HexFormat.of().formatHex(new byte[6]),
                java.util.HexFormat.of().formatHex(NetworkInterfaces.hardwareAddress("lo")));
        try (var links = java.nio.file.Files.list(java.nio.file.Path.of("/sys/class/net"))) {
            for (java.nio.file.Path link : links.toList()) {
                java.nio.file.Path address = link.resolve("address");
                String sys = java.nio.file.Files.readString(address).strip();
                if (sys.length() == 17) {
                    assertEquals(sys, java.util.HexFormat.ofDelimiter(":").formatHex(
                            NetworkInterfaces.hardwareAddress(link.getFileName().toString())), link.toString());
                }
            }
        }
        NativeException e = assertThrows(NativeException.class, () -> NetworkInterfaces.hardwareAddress("e9"));
        assertTrue(e.isNoSuchDevice(), e.getMessage());
    }
}
