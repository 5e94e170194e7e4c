package appliance.vrrp.kernel;

import java.net.InetAddress;

/**
 * What the sockets of one (interface, family) need to know of the interface.
 *
 * @param source the interface's own address adverts go out from (primary IPv4, or IPv6 link-local); null when none
 */
record InterfaceInfo(String name, int index, byte[] hardwareAddress, InetAddress source) {
}
