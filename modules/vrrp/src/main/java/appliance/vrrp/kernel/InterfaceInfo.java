package appliance.vrrp.kernel;

import java.net.Inet4Address;

/** What the component needs to know of one interface, read from rtnetlink at start. */
record InterfaceInfo(String name, int index, byte[] hardwareAddress, Inet4Address primaryIpv4) {
}
