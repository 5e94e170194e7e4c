package appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrivilegesTest {

    @Test
    void rootHasEverythingVrrpNeeds() {
        assertEquals(List.of(), Privileges.missing("Name:\tjava\nCapEff:\t000001ffffffffff\n"));
    }

    @Test
    void onlyNetRawIsNotEnough() {
        List<String> missing = Privileges.missing("CapEff:\t0000000000002000\n");
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).startsWith("CAP_NET_ADMIN"));
    }

    @Test
    void unprivilegedProcessLacksBoth() {
        assertEquals(2, Privileges.missing("CapEff:\t0000000000000000\n").size());
    }
}
