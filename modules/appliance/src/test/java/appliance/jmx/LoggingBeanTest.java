package appliance.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingBeanTest {

    @Test
    void readsTheAppenderThatLogbackXmlInstalls() throws Exception {
        LoggerFactory.getLogger(LoggingBeanTest.class); // the first logger configures logback from logback.xml
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("appliance.test:type=Logging");
        server.registerMBean(new LoggingBean(), name);
        try {
            assertEquals(1024, server.getAttribute(name, "QueueCapacity"));
            assertEquals(0L, server.getAttribute(name, "DroppedEvents"));
            server.getAttribute(name, "Queued");
        } finally {
            server.unregisterMBean(name);
        }
    }
}
