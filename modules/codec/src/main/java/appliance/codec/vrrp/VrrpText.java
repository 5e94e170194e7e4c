package appliance.codec.vrrp;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/** Readable renderings for {@link VrrpAdvertisement#toString()}, kept out of the record's way. */
final class VrrpText {

    private VrrpText() {
    }

    static String auth(int authType, byte[] authData) {
        return switch (authType) {
            case VrrpAdvertisement.AUTH_NONE -> "none";
            case VrrpAdvertisement.AUTH_SIMPLE_PASSWORD -> "password \"" + password(authData) + '"';
            default -> "type " + authType + " data " + hex(authData);
        };
    }

    // InetAddress.toString() prints "/10.0.0.1"; addresses alone read better.
    static String addresses(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ", "[", "]"));
    }

    // The padding is zeros (RFC 2338 §5.3.11), so trailing zeros are not part of the password.
    private static String password(byte[] data) {
        int end = data.length;
        while (end > 0 && data[end - 1] == 0) {
            end--;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < end; i++) {
            int b = data[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b));
            }
        }
        return s.toString();
    }

    private static String hex(byte[] data) {
        StringBuilder s = new StringBuilder();
        for (byte b : data) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
