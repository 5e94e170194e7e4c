package appliance.ipvs;

import appliance.codec.ipvs.Ipvs;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fewest writes that bring the kernel's table to the desired one, compared with the kernel
 * and not with the last configuration (keepalived #1877 never restores a service deleted by hand).
 * Services that are neither desired nor ours ({@code ours}: what this appliance put there before)
 * are left alone. Order: services added and edited, then their destinations added and edited
 * (weights first, so that new connections leave a server before it goes), then destinations
 * deleted, then services deleted (which takes their destinations with them).
 */
public final class TablePlan {

    private TablePlan() {
    }

    public static List<TableWrite> plan(Map<IpvsService.Key, KernelService> kernel, List<DesiredService> desired,
                                        Set<IpvsService.Key> ours) {
        List<TableWrite> services = new ArrayList<>();
        List<TableWrite> destinations = new ArrayList<>();
        List<TableWrite> removals = new ArrayList<>();
        Map<IpvsService.Key, DesiredService> wanted = new HashMap<>();
        for (DesiredService d : desired) {
            if (wanted.put(d.service().key(), d) != null) {
                throw new IllegalArgumentException("the desired table lists " + d.service().key() + " twice");
            }
            KernelService k = kernel.get(d.service().key());
            if (k == null) {
                services.add(new TableWrite.AddService(d.service()));
                for (IpvsDestination dest : d.destinations()) {
                    destinations.add(new TableWrite.AddDestination(d.service().key(), dest));
                }
                continue;
            }
            if (!k.service().equals(d.service())) {
                services.add(new TableWrite.EditService(d.service()));
            }
            for (IpvsDestination dest : d.destinations()) {
                Ipvs.DestinationStatus there = k.find(dest);
                if (there == null) {
                    destinations.add(new TableWrite.AddDestination(d.service().key(), dest));
                } else if (!there.destination().equals(dest)) {
                    destinations.add(new TableWrite.EditDestination(d.service().key(), dest));
                }
            }
            for (Ipvs.DestinationStatus there : k.destinations()) {
                if (d.destinations().stream().noneMatch(dest -> dest.sameServer(there.destination()))) {
                    removals.add(new TableWrite.DeleteDestination(d.service().key(), there.destination()));
                }
            }
        }
        for (IpvsService.Key key : ours) {
            if (!wanted.containsKey(key) && kernel.containsKey(key)) {
                removals.add(new TableWrite.DeleteService(key));
            }
        }
        List<TableWrite> all = new ArrayList<>(services);
        all.addAll(destinations);
        all.addAll(removals);
        return all;
    }
}
