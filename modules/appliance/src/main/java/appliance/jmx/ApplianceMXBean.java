package appliance.jmx;

/** {@code appliance:type=Appliance}: the process as a whole. */
public interface ApplianceMXBean {
    /** Reads the configuration again and applies the difference, as SIGHUP does; returns what it did. */
    String reload();

    /** How many reloads were asked for since start, and how many were rejected for a bad configuration. */
    long getReloads();

    long getRejectedReloads();
}
