package appliance.ipvs;

/** The kernel has no IPVS family: the ip_vs module is not loaded (or the kernel lacks it). */
public final class IpvsUnavailableException extends Exception {

    public IpvsUnavailableException() {
        super("the kernel has no IPVS (the generic netlink family IPVS is missing): load it with 'modprobe ip_vs',"
                + " or use a kernel built with CONFIG_IP_VS");
    }
}
