package appliance.lab;

/**
 * One host of a {@link Lab}: a namespace with one interface {@code e0} plugged into the switch.
 *
 * @param name       short name, {@code n1}, {@code n2}, ... or {@code client}
 * @param namespace  the network namespace
 * @param address    its IPv4 address on {@code e0}, without prefix length
 * @param switchPort the name of its port on the bridge, inside the switch namespace
 */
public record Host(String name, String namespace, String address, String switchPort) {

    /** The interface every host has, plugged into the switch. */
    public static final String INTERFACE = "e0";

    @Override
    public String toString() {
        return name + " (" + address + ")";
    }
}
