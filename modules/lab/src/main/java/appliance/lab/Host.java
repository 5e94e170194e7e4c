package appliance.lab;

/**
 * One host of a {@link Lab}: a namespace with one interface {@code e0} plugged into the switch.
 *
 * @param name       short name, {@code n1}, {@code n2}, ... or {@code client}
 * @param namespace  the network namespace
 * @param address    its IPv4 address on {@code e0}, without prefix length (its IPv6 one is {@link #address6()})
 * @param switchPort the name of its port on the bridge, inside the switch namespace
 */
public record Host(String name, String namespace, String address, String switchPort) {

    /** The interface every host has, plugged into the switch. */
    public static final String INTERFACE = "e0";

    /** Its IPv6 address on {@code e0}, without prefix length: {@code fd00:99::N} for {@code 10.99.0.N}. */
    public String address6() {
        return Lab.SUBNET6 + address.substring(address.lastIndexOf('.') + 1);
    }

    @Override
    public String toString() {
        return name + " (" + address + ")";
    }
}
