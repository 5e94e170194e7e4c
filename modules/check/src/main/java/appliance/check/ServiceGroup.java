package appliance.check;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * keepalived's {@code virtual_server_group}: the IPVS services of one virtual server, each an
 * address (or a range of them) and a port, or a firewall mark, all with the virtual server's real
 * servers. Each entry is written as in keepalived.conf: {@code 10.97.0.100 80},
 * {@code 10.97.0.101-110 80} (a range on the last byte, or the last 16 bits of an IPv6 address),
 * {@code fwmark 7 [inet|inet6]}.
 */
public record ServiceGroup(String name, List<Entry> entries) {

    /** One line of the group: {@code first..last} and a port, or a mark (with its family). */
    public record Entry(InetAddress first, InetAddress last, int port, int fwmark, boolean inet6) {

        public Entry {
            if (fwmark == 0) {
                Objects.requireNonNull(first, "first");
                Objects.requireNonNull(last, "last");
                if (first.getClass() != last.getClass() || compare(first, last) > 0) {
                    throw new IllegalArgumentException("a range goes up within one family: " + first.getHostAddress()
                            + "-" + last.getHostAddress());
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be 0..65535, was " + port);
                }
            }
        }

        /** keepalived's line: {@code IP[-LAST] PORT} or {@code fwmark N [inet|inet6]}. */
        public static Entry parse(String line) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("fwmark")) {
                if (w.length < 2 || w.length > 3 || (w.length == 3 && !w[2].equals("inet") && !w[2].equals("inet6"))) {
                    throw new IllegalArgumentException("a mark line is fwmark N [inet|inet6], got \"" + line.trim() + "\"");
                }
                long mark = number(w[1], 1, 0xffff_ffffL, "a firewall mark");
                return new Entry(null, null, 0, (int) mark, w.length == 3 && w[2].equals("inet6"));
            }
            if (w.length != 2) {
                throw new IllegalArgumentException("a group line is IP[-LAST] PORT or fwmark N, got \"" + line.trim() + "\"");
            }
            if (w[0].contains("/")) {
                throw new IllegalArgumentException("an address/prefix line (" + w[0] + ") is a keepalived form this"
                        + " appliance does not support yet; write IP-LAST");
            }
            int dash = w[0].lastIndexOf('-');
            InetAddress first = literal(dash < 0 ? w[0] : w[0].substring(0, dash));
            InetAddress last = dash < 0 ? first : withLast(first, w[0].substring(dash + 1));
            return new Entry(first, last, (int) number(w[1], 0, 65535, "a port"), 0, first instanceof Inet6Address);
        }

        /** Every address of the range, first to last. */
        public List<InetAddress> addresses() {
            List<InetAddress> out = new ArrayList<>();
            byte[] b = first.getAddress();
            int n = (int) (lastPart(last) - lastPart(first));
            for (int i = 0; i <= n; i++) {
                out.add(withLastPart(b, lastPart(first) + i));
            }
            return out;
        }

        @Override
        public String toString() {
            return fwmark != 0 ? "FWM " + Integer.toUnsignedString(fwmark)
                    : first.getHostAddress() + (first.equals(last) ? "" : "-" + last.getHostAddress()) + "," + port;
        }

        private static InetAddress literal(String text) {
            if (!text.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
            }
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
            }
        }

        /** keepalived's range end: the last byte (IPv4, decimal) or the last 16 bits (IPv6, hex). */
        private static InetAddress withLast(InetAddress first, String end) {
            long value = first instanceof Inet4Address ? number(end, 0, 255, "the range's last byte")
                    : parseHex(end);
            if (value < lastPart(first)) {
                throw new IllegalArgumentException("the range ends before it starts: " + first.getHostAddress() + "-" + end);
            }
            return withLastPart(first.getAddress(), value);
        }

        private static long parseHex(String end) {
            try {
                long v = Long.parseLong(end, 16);
                if (v >= 0 && v <= 0xffff) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("\"" + end + "\" is not the last 16 bits of an IPv6 address (hex)");
        }

        private static long lastPart(InetAddress a) {
            byte[] b = a.getAddress();
            return b.length == 4 ? Byte.toUnsignedInt(b[3]) : (Byte.toUnsignedInt(b[14]) << 8) | Byte.toUnsignedInt(b[15]);
        }

        private static InetAddress withLastPart(byte[] address, long value) {
            byte[] b = address.clone();
            if (b.length == 4) {
                b[3] = (byte) value;
            } else {
                b[14] = (byte) (value >> 8);
                b[15] = (byte) value;
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        private static int compare(InetAddress a, InetAddress b) {
            return java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());
        }

        private static long number(String text, long min, long max, String what) {
            try {
                long v = Long.parseLong(text);
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("\"" + text + "\" is not " + what + " (" + min + ".." + max + ")");
        }
    }

    public ServiceGroup {
        Objects.requireNonNull(name, "name");
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("virtual_server_group " + name + " has no entry");
        }
    }
}
