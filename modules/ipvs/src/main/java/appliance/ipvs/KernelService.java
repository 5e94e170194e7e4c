package appliance.ipvs;

import appliance.codec.ipvs.Ipvs;
import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import java.util.List;
import java.util.Objects;

/** A service as the kernel's table holds it, with its destinations and their connection counters. */
public record KernelService(IpvsService service, List<Ipvs.DestinationStatus> destinations) {

    public KernelService {
        Objects.requireNonNull(service, "service");
        destinations = List.copyOf(destinations);
    }

    /** The destination with {@code d}'s address and port, or null. */
    public Ipvs.DestinationStatus find(IpvsDestination d) {
        for (Ipvs.DestinationStatus s : destinations) {
            if (s.destination().sameServer(d)) {
                return s;
            }
        }
        return null;
    }
}
