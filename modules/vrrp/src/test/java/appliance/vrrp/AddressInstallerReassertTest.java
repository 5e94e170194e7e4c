package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload asks the kernel again for a master's addresses (keepalived #1877). */
class AddressInstallerReassertTest {

    final ManualTimerService clock = new ManualTimerService();
    final FakeKernel kernel = new FakeKernel();
    final VirtualAddress vip = VirtualAddress.parse("10.99.0.100/24");

    AddressInstaller installer() {
        return new AddressInstaller(List.of(vip), clock, kernel, (addresses, repeat) -> { });
    }

    @Test
    void anAddressDeletedBehindItsBackIsAddedAgainWhileWanted() {
        AddressInstaller a = installer();
        a.install();
        assertTrue(a.allHeld());
        kernel.held.remove(vip); // deleted by hand, no notification seen
        a.reassert();
        assertEquals(2, kernel.count("add"));
        assertTrue(kernel.held.contains(vip));
        assertTrue(a.allHeld());
    }

    @Test
    void nothingIsAddedWhileTheAddressesAreNotWanted() {
        AddressInstaller a = installer();
        a.install();
        a.uninstall();
        long adds = kernel.count("add");
        a.reassert();
        assertEquals(adds, kernel.count("add"), "a backup's addresses stay away");
        assertTrue(kernel.held.isEmpty());
    }
}
