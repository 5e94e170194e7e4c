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
}
