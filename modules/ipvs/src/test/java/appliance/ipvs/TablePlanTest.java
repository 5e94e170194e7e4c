package appliance.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import appliance.codec.ipvs.Ipvs;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The writes that bring the kernel's table to the desired one: the fewest, in a safe order, and none to others' services. */
class TablePlanTest {

    static IpvsService.Key key(String address, int port) throws Exception {
        return IpvsService.Key.of(IpvsService.IPPROTO_TCP, InetAddress.getByName(address), port);
    }

    static IpvsDestination dest(String address, int weight) throws Exception {
        return IpvsDestination.of(InetAddress.getByName(address), 80, IpvsDestination.DROUTE, weight);
    }

    static KernelService kernel(IpvsService s, IpvsDestination... dests) {
        return new KernelService(s, java.util.Arrays.stream(dests).map(d -> new Ipvs.DestinationStatus(d, 3, 1, 0)).toList());
    }

    @Test
    void anEmptyTableGetsTheServiceBeforeItsDestinationsAndAnEqualOneNothing() throws Exception {
        IpvsService web = IpvsService.of(key("10.97.0.100", 80), "rr");
        DesiredService d = new DesiredService(web, List.of(dest("10.98.0.16", 1), dest("10.98.0.17", 2)));
        assertEquals(List.of(new TableWrite.AddService(web), new TableWrite.AddDestination(web.key(), dest("10.98.0.16", 1)),
                new TableWrite.AddDestination(web.key(), dest("10.98.0.17", 2))), TablePlan.plan(Map.of(), List.of(d), Set.of()));
        assertEquals(List.of(), TablePlan.plan(Map.of(web.key(), kernel(web, dest("10.98.0.17", 2), dest("10.98.0.16", 1))),
                List.of(d), Set.of(web.key())), "the order of the kernel's dump does not matter");
    }

    @Test
    void changesAreEditsAndWhatIsNoLongerWantedGoesLastWhileOthersServicesStay() throws Exception {
        IpvsService web = IpvsService.of(key("10.97.0.100", 80), "wlc");
        IpvsService oldWeb = IpvsService.of(key("10.97.0.100", 80), "rr");
        IpvsService gone = IpvsService.of(key("10.97.0.101", 80), "rr");
        IpvsService foreign = IpvsService.of(key("192.0.2.1", 25), "rr");
        Map<IpvsService.Key, KernelService> table = new LinkedHashMap<>();
        table.put(web.key(), kernel(oldWeb, dest("10.98.0.16", 1), dest("10.98.0.18", 1)));
        table.put(gone.key(), kernel(gone, dest("10.98.0.20", 1)));
        table.put(foreign.key(), kernel(foreign, dest("192.0.2.9", 1)));
        DesiredService d = new DesiredService(web, List.of(dest("10.98.0.16", 5), dest("10.98.0.17", 1)));
        assertEquals(List.of(new TableWrite.EditService(web),
                        new TableWrite.EditDestination(web.key(), dest("10.98.0.16", 5)),
                        new TableWrite.AddDestination(web.key(), dest("10.98.0.17", 1)),
                        new TableWrite.DeleteDestination(web.key(), dest("10.98.0.18", 1)),
                        new TableWrite.DeleteService(gone.key())),
                TablePlan.plan(table, List.of(d), Set.of(web.key(), gone.key())));
        assertEquals(List.of(new TableWrite.AddService(web), new TableWrite.AddDestination(web.key(), dest("10.98.0.16", 5)),
                        new TableWrite.AddDestination(web.key(), dest("10.98.0.17", 1))),
                TablePlan.plan(Map.of(foreign.key(), kernel(foreign)), List.of(d), Set.of(web.key())),
                "a service of ours deleted by hand comes back; a foreign one is left alone");
    }

    @Test
    void aDesiredTableNamesEachServiceAndDestinationOnce() throws Exception {
        IpvsService web = IpvsService.of(key("10.97.0.100", 80), "rr");
        assertThrows(IllegalArgumentException.class, () -> new DesiredService(web, List.of(dest("10.98.0.16", 1),
                dest("10.98.0.16", 2))));
        DesiredService d = new DesiredService(web, List.of());
        assertThrows(IllegalArgumentException.class, () -> TablePlan.plan(Map.of(), List.of(d, d), Set.of()));
    }
}
