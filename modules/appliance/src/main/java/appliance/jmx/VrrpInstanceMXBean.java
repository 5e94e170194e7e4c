package appliance.jmx;

import java.util.List;

/** {@code appliance:type=VrrpInstance,name=VI_1}. */
public interface VrrpInstanceMXBean {
    String getState();
    String getInterface();
    int getVirtualRouterId();
    int getPriority();
    int getVersion();
    long getAdvertIntervalMillis();
    /** The interval the current master advertises (learnt from its adverts in VRRPv3). */
    long getMasterAdverIntervalMillis();
    String getMasterAddress();
    List<String> getVirtualAddresses();
    long getAdvertisementsSent();
    long getAdvertisementsReceived();
    long getPriorityZeroReceived();
    long getBecameMaster();
    long getTransitions();
}
