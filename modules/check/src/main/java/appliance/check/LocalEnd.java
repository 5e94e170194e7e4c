package appliance.check;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a check's socket leaves from: keepalived's {@code bindto} and {@code bind_port} (the local
 * address and port, port 0 for any), {@code bind_if} (SO_BINDTODEVICE: the interface it must
 * leave through, what a link-local target needs) and {@code fwmark} (SO_MARK, for policy
 * routing; 0 is none, as in keepalived).
 */
public record LocalEnd(Optional<InetSocketAddress> bindTo, Optional<String> bindIf, long fwmark) {

    /** Any address, any interface, no mark: the kernel chooses. */
    public static final LocalEnd ANY = new LocalEnd(Optional.empty(), Optional.empty(), 0);

    /** The longest interface name Linux has, IFNAMSIZ less its terminating NUL. */
    public static final int MAX_INTERFACE_NAME = 15;

    public LocalEnd {
        Objects.requireNonNull(bindTo, "bindTo");
        Objects.requireNonNull(bindIf, "bindIf");
        if (fwmark < 0 || fwmark > 0xffff_ffffL) {
            throw new IllegalArgumentException("fwmark is a 32-bit unsigned mark, 0 to 4294967295, got " + fwmark);
        }
        bindIf.ifPresent(LocalEnd::checkInterfaceName);
    }

    public static LocalEnd bindTo(InetSocketAddress address) {
        return new LocalEnd(Optional.of(address), Optional.empty(), 0);
    }

    public LocalEnd withBindTo(Optional<InetSocketAddress> address) {
        return new LocalEnd(address, bindIf, fwmark);
    }

    /** As the kernel takes a device name: 1 to 15 bytes, no '/', ':' or white space. */
    public static void checkInterfaceName(String name) {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c == ':' || c >= 0x7f)) {
            throw new IllegalArgumentException("must be an interface name of 1 to " + MAX_INTERFACE_NAME
                    + " characters without '/', ':' or spaces, got \"" + name + "\"");
        }
    }
}
