package appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.AdvertCapture;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** keepalived's mcast_src_ip, read from a keepalived.conf: the multicast adverts leave from that address. */
@LabTest
class McastSrcIpTest {

    @Test
    void multicastAdvertsLeaveFromTheConfiguredSource() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            lab.exec(n1.namespace(), "ip", "addr", "add", "10.99.0.11/24", "dev", Host.INTERFACE);
            Path conf = lab.workDir().resolve("keepalived.conf");
            Files.writeString(conf, "vrrp_instance VI_1 {\n   interface " + Host.INTERFACE + "\n   virtual_router_id 51\n"
                    + "   priority 150\n   advert_int 0.1\n   version 3\n   mcast_src_ip 10.99.0.11\n"
                    + "   virtual_ipaddress {\n      10.99.0.100/24\n   }\n}\n");
            NodeProcess node = ReloadTest.startOnNode1(lab, conf);
            node.awaitLine("(VI_1) Entering MASTER STATE", Duration.ofSeconds(20));
            try (AdvertCapture capture = AdvertCapture.start(lab, lab.client(), n1, Duration.ofSeconds(5))) {
                for (int i = 0; i < 5; i++) {
                    capture.awaitNextAdvert(Duration.ofSeconds(2));
                }
                List<String> sources = capture.sources();
                System.out.println("advert sources with mcast_src_ip 10.99.0.11: " + Set.copyOf(sources));
                assertTrue(sources.size() >= 5, sources.toString());
                assertEquals(Set.of("10.99.0.11"), Set.copyOf(sources));
            }
        }
    }
}
