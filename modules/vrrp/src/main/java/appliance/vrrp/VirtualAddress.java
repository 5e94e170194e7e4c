package appliance.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** One entry of keepalived's {@code virtual_ipaddress} block: an address and the prefix it is added with. */
public record VirtualAddress(InetAddress address, int prefixLength) {

    public VirtualAddress {
        if (address == null) {
            throw new IllegalArgumentException("virtual address is missing");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 1 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " is outside 1.." + max);
        }
    }

    /**
     * Parses "10.99.0.100/24"; as keepalived, a bare IPv4 address means /32 and a bare IPv6 address /128.
     * Only numeric literals are accepted: a host name here would make the configuration depend on DNS.
     */
    public static VirtualAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("virtual address is empty");
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = parseLiteral(host);
        int max = address instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String p = trimmed.substring(slash + 1);
            try {
                prefix = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length that is not a number: " + p);
            }
        }
        if (address.isMulticastAddress() || address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a unicast address a host can own");
        }
        return new VirtualAddress(address, prefix);
    }

    /** A numeric IPv4 or IPv6 address; host names are refused (a configuration must not depend on DNS). */
    public static InetAddress parseLiteral(String host) {
        boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("\"" + host + "\" is not an IPv4 or IPv6 address");
        }
        if (ipv4) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("\"" + host + "\" is not an IPv4 address (octet " + octet + ")");
                }
            }
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + host + "\" is not an IPv4 or IPv6 address");
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
