package appliance.config;

import static appliance.config.HoconConfigReaderTest.onlyProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.vrrp.SyncGroupConfig;
import appliance.vrrp.TrackedInterface;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The issue's vrrp.sync-groups. */
class SyncGroupConfigTest {

    static final String TWO = """
            vrrp.instances {
              VI_1 { interface = e0, virtual-router-id = 51, virtual-ipaddress = ["10.99.0.100/24"] }
              VI_2 { interface = e1, virtual-router-id = 52, virtual-ipaddress = ["10.98.0.100/24"] }
            }
            """;

    @Test
    void readsTheIssuesShape() throws Exception {
        ApplianceConfig c = HoconConfigReader.parse(TWO + """
                vrrp.sync-groups { VGM { group = [VI_1, VI_2], notify-master = "/usr/local/bin/master.sh",
                                         track-interface = [e2] } }
                """, "t.conf");
        SyncGroupConfig g = c.vrrpGlobals().syncGroups().get(0);
        assertEquals("VGM", g.name());
        assertEquals(List.of("VI_1", "VI_2"), g.members());
        assertEquals(Optional.of("/usr/local/bin/master.sh"), g.notifyScripts().master());
        assertEquals(List.of(new TrackedInterface("e2", 0)), g.tracking().interfaces());
        assertEquals(false, g.trackingWeight());
        assertEquals(Optional.of(g), c.vrrpGlobals().syncGroupOf("VI_2"));
    }

    @Test
    void aGroupThatNamesNoInstanceOrAnInstanceTwiceIsAnError() {
        ConfigProblem p = onlyProblem(TWO + "vrrp.sync-groups { VGM { group = [VI_1, VI_3] } }\n");
        assertEquals("vrrp.sync-groups.VGM.group[1]", p.path());
        assertTrue(p.message().contains("names no instance") && p.message().contains("did you mean VI_1"), p.message());
        p = onlyProblem(TWO + "vrrp.sync-groups { A { group = [VI_1, VI_2] }, B { group = [VI_2] } }\n");
        assertTrue(p.message().contains("already in sync group"), p.message());
        p = onlyProblem(TWO + "vrrp.sync-groups { VGM { group = [VI_1], notify-mastr = \"/x\" } }\n");
        assertTrue(p.message().contains("did you mean notify-master"), p.message());
        p = onlyProblem(TWO + "vrrp.sync-groups { VGM { notify-master = \"/x\" } }\n");
        assertEquals("vrrp.sync-groups.VGM.group", p.path());
    }
}
