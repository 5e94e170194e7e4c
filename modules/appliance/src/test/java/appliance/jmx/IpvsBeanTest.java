package appliance.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.ipvs.TableState;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** appliance:type=Ipvs shows what the reconciler says: what still differs, and its passes and writes. */
class IpvsBeanTest {

    @Test
    void theDifferencesAndCountersAreTheReconcilers() throws Exception {
        TableState state = new TableState() {
            @Override
            public List<String> differences() {
                return List.of("IPVS: add destination 10.98.0.16:80 Route 1 to TCP 10.97.0.100:80 failed: weight or"
                        + " thresholds out of range (ERANGE)");
            }

            @Override
            public long passes() {
                return 7;
            }

            @Override
            public long writes() {
                return 12;
            }

            @Override
            public long refusedWrites() {
                return 1;
            }
        };
        ManagementBeans beans = new ManagementBeans();
        beans.register(state);
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("appliance:type=Ipvs");
            assertArrayEquals(state.differences().toArray(), (String[]) server.getAttribute(name, "Differences"));
            assertEquals(7L, server.getAttribute(name, "Passes"));
            assertEquals(12L, server.getAttribute(name, "Writes"));
            assertEquals(1L, server.getAttribute(name, "RefusedWrites"));
        } finally {
            beans.unregister();
        }
    }
}
