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
    /** The priority advertised now: the configured one unless lowered (two address owners). */
    int getEffectivePriority();
    /** Why the instance is in FAULT (interface down, no IPv4 address, virtual addresses not held); empty otherwise. */
    List<String> getFaultReasons();
    /** Virtual address adds the kernel refused or did not answer, each retry counted. */
    long getAddressAddFailures();
    long getAddressRemoveFailures();
    /** Times the instance went FAULT because its addresses were not held within Master_Down_Interval. */
    long getAddressFaults();
    /** Lower-priority adverts answered at once as master (keepalived's "forcing new election"). */
    long getLowerPriorityAnswered();
    /** Peers that advertised priority 255 while this instance was configured as the address owner. */
    List<String> getOwnerConflicts();
    /** How late the latest Adver_Timer fired, in microseconds (master only). */
    long getAdverTimerLastLatenessMicros();
    long getAdverTimerMaxLatenessMicros();
    /** Adver_Timer firings more than one interval late, after which the schedule restarted from then. */
    long getAdverTimerStalls();
}
