package appliance.jmx;

import java.util.List;

/** {@code appliance:type=Ipvs}: the kernel's IPVS table against the desired one. */
public interface IpvsMXBean {
    /** What still differs after the last pass: each write the kernel refused, with the service or destination and why. */
    List<String> getDifferences();

    long getPasses();

    long getWrites();

    long getRefusedWrites();
}
