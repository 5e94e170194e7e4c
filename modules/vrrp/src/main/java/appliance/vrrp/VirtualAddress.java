package appliance.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of keepalived's {@code virtual_ipaddress} block: an address, the prefix it is added
 * with, and keepalived's options for it.
 *
 * @param device    {@code dev}: the interface it is added to, when not the instance's own
 * @param label     {@code label} (IPv4 only), e.g. "e1:vip"; it must begin with the interface's name
 * @param scope     {@code scope}, global unless given
 * @param broadcast {@code brd} (IPv4 only)
 */
public record VirtualAddress(InetAddress address, int prefixLength, Optional<String> device, Optional<String> label,
                             Scope scope, Optional<InetAddress> broadcast) {

    /** IFNAMSIZ - 1: the longest interface name or IPv4 label. */
    public static final int MAX_NAME_LENGTH = 15;

    public VirtualAddress {
        if (address == null) {
            throw new IllegalArgumentException("virtual address is missing");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 1 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " is outside 1.." + max);
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(broadcast, "broadcast");
        device.ifPresent(VirtualRouterConfig::checkInterfaceName);
        if (label.isPresent()) {
            String l = label.get();
            if (!(address instanceof Inet4Address)) {
                throw new IllegalArgumentException("label \"" + l + "\": the kernel keeps labels for IPv4 addresses only");
            }
            if (l.isEmpty() || l.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("label \"" + l + "\" must be 1.." + MAX_NAME_LENGTH + " characters");
            }
        }
        if (broadcast.isPresent() && !(address instanceof Inet4Address && broadcast.get() instanceof Inet4Address)) {
            throw new IllegalArgumentException("brd " + broadcast.get().getHostAddress() + ": broadcast is IPv4 only");
        }
    }

    /** The address alone, on the instance's interface, global scope. */
    public VirtualAddress(InetAddress address, int prefixLength) {
        this(address, prefixLength, Optional.empty(), Optional.empty(), Scope.GLOBAL, Optional.empty());
    }

    /**
     * Checks the label against the interface the address goes on (iproute2's rule, so that tools
     * that show "e0:vip" as an alias of e0 keep working).
     */
    public void checkLabel(String instanceInterface) {
        String dev = device.orElse(instanceInterface);
        label.ifPresent(l -> {
            if (!l.startsWith(dev)) {
                throw new IllegalArgumentException("label \"" + l + "\" must begin with the interface's name " + dev
                        + " (as \"" + dev + ":vip\")");
            }
        });
    }

    /** The interface it is added to: {@code dev}, or else the instance's. */
    public String deviceOr(String instanceInterface) {
        return device.orElse(instanceInterface);
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

    /** As {@code ip} prints it: IPv6 in RFC 5952's short form (fd00:99::100), not Java's long one. */
    public static String text(InetAddress a) {
        return appliance.codec.ip.AddressText.of(a);
    }

    /**
     * As keepalived writes it. Plain code, no lambdas: the takeover's log line prints the
     * addresses, and the first use of a lambda is linked when it runs (milliseconds).
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(text(address)).append('/').append(prefixLength);
        if (broadcast.isPresent()) {
            s.append(" brd ").append(broadcast.get().getHostAddress());
        }
        if (device.isPresent()) {
            s.append(" dev ").append(device.get());
        }
        if (scope != Scope.GLOBAL) {
            s.append(" scope ").append(scope.toString());
        }
        if (label.isPresent()) {
            s.append(" label ").append(label.get());
        }
        return s.toString();
    }
}
