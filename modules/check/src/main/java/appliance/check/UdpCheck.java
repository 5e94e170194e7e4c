package appliance.check;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's UDP_CHECK: {@code payload} is sent to the target; an ICMP port unreachable fails
 * the check; without {@code requireReply}, no answer within connect-timeout passes it; with it, a
 * reply must come, {@code minReplyLength..maxReplyLength} bytes long, and start with
 * {@code expectedReply} when one is given (compared over the shorter of the two, as keepalived).
 */
public record UdpCheck(InetSocketAddress target, LocalEnd local, CheckTiming timing, byte[] payload,
                       boolean requireReply, Optional<byte[]> expectedReply, int minReplyLength, int maxReplyLength)
        implements CheckSpec {

    public UdpCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timing, "timing");
        payload = payload.clone();
        expectedReply = expectedReply.map(byte[]::clone);
        if (target.isUnresolved() || target.getPort() == 0) {
            throw new IllegalArgumentException("a UDP_CHECK needs an address and a port: " + target);
        }
        if (minReplyLength < 0 || maxReplyLength > 65507 || minReplyLength > maxReplyLength) {
            throw new IllegalArgumentException("min-reply-length " + minReplyLength + " and max-reply-length "
                    + maxReplyLength + ": need 0 <= min <= max <= 65507");
        }
        if (expectedReply.isPresent() && !requireReply) {
            throw new IllegalArgumentException("an expected reply needs require-reply");
        }
    }

    @Override
    public CheckType type() {
        return CheckType.UDP_CHECK;
    }

    /** Why {@code reply} does not do, or null when it does. */
    public String mismatch(byte[] reply, int length) {
        if (length < minReplyLength || length > maxReplyLength) {
            return "reply of " + length + " bytes, expected " + minReplyLength + ".." + maxReplyLength;
        }
        if (expectedReply.isPresent()) {
            byte[] want = expectedReply.get();
            int n = Math.min(length, want.length);
            if (!Arrays.equals(reply, 0, n, want, 0, n)) {
                return "reply data mismatch";
            }
        }
        return null;
    }

    // arrays compare by content: equal checks are one check
    @Override
    public boolean equals(Object o) {
        return o instanceof UdpCheck u && target.equals(u.target) && local.equals(u.local) && timing.equals(u.timing)
                && Arrays.equals(payload, u.payload) && requireReply == u.requireReply
                && expectedReply.map(HexFormat.of()::formatHex).equals(u.expectedReply.map(HexFormat.of()::formatHex))
                && minReplyLength == u.minReplyLength && maxReplyLength == u.maxReplyLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, local, timing, Arrays.hashCode(payload), requireReply,
                expectedReply.map(Arrays::hashCode), minReplyLength, maxReplyLength);
    }

    @Override
    public String toString() {
        return "UdpCheck[" + target + ", payload " + HexFormat.of().formatHex(payload) + "]";
    }
}
