package appliance.ipvs;

import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A service as it should be in the kernel, with exactly these destinations (none twice). */
public record DesiredService(IpvsService service, List<IpvsDestination> destinations) {

    public DesiredService {
        Objects.requireNonNull(service, "service");
        destinations = List.copyOf(destinations);
        Set<String> seen = new HashSet<>();
        for (IpvsDestination d : destinations) {
            if (!seen.add(d.address().getHostAddress() + "#" + d.port())) {
                throw new IllegalArgumentException(service.key() + " lists " + d.address().getHostAddress() + ":" + d.port()
                        + " twice");
            }
        }
    }
}
