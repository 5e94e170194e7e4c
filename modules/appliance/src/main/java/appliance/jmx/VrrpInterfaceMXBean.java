package appliance.jmx;

import java.util.Map;

/** {@code appliance:type=VrrpInterface,name=e0}: what the interface's receive path discarded, by reason. */
public interface VrrpInterfaceMXBean {
    Map<String, Long> getDroppedPackets();
    long getDroppedTotal();
}
