package appliance.check.net;

import appliance.check.PingCheck;
import appliance.nativeio.IcmpEchoSocket;
import appliance.nativeio.NativeException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every PING_CHECK's echoes through one {@link IcmpEchoSocket} per family, read on one loop: each
 * request gets the next sequence number, and its reply is matched by source address and sequence
 * to the run that waits for it, whatever loop that run is on.
 */
final class Pinger implements AutoCloseable {

    /** keepalived's echo data size (ICMP_BUFSIZE). */
    private static final int DATA_LENGTH = 128;

    private record Outstanding(InetAddress address, int sequence) {
    }

    private final IcmpEchoSocket ipv4;
    private final IcmpEchoSocket ipv6;
    private final Map<Outstanding, Promise<ProbeResult>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    private Pinger(IoEventLoop loop, boolean v4, boolean v6) throws NativeException {
        IcmpEchoSocket four = v4 ? IcmpEchoSocket.open(loop, false, this::reply) : null;
        try {
            this.ipv6 = v6 ? IcmpEchoSocket.open(loop, true, this::reply) : null;
        } catch (NativeException e) {
            if (four != null) {
                four.close();
            }
            throw e;
        }
        this.ipv4 = four;
    }

    /** Off the loops: the sockets the families of {@code checks} need, registered on {@code loop}. */
    static Pinger open(IoEventLoop loop, Collection<PingCheck> checks) throws NativeException {
        boolean v6 = checks.stream().anyMatch(c -> c.target().getAddress() instanceof Inet6Address);
        boolean v4 = checks.stream().anyMatch(c -> !(c.target().getAddress() instanceof Inet6Address));
        return new Pinger(loop, v4, v6);
    }

    Probe probe(PingCheck check) {
        return loop -> ping(loop, check);
    }

    private Future<ProbeResult> ping(EventLoop loop, PingCheck check) {
        Promise<ProbeResult> result = loop.newPromise();
        InetAddress to = check.target().getAddress();
        Outstanding key = new Outstanding(to, sequence.getAndIncrement() & 0xffff);
        waiting.put(key, result);
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            waiting.remove(key, result);
            result.trySuccess(ProbeResult.failed("timed out"));
        }, check.timing().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> timeout.cancel(false));
        try {
            (to instanceof Inet6Address ? ipv6 : ipv4).send(to, key.sequence(), new byte[DATA_LENGTH]);
        } catch (NativeException e) {
            waiting.remove(key, result);
            result.trySuccess(ProbeResult.failed(e.getMessage()));
        }
        return result;
    }

    /** On the sockets' loop. */
    private void reply(InetAddress from, int sequence) {
        Promise<ProbeResult> p = waiting.remove(new Outstanding(from, sequence));
        if (p != null) {
            p.trySuccess(ProbeResult.PASSED);
        }
    }

    @Override
    public void close() {
        if (ipv4 != null) {
            ipv4.close();
        }
        if (ipv6 != null) {
            ipv6.close();
        }
    }
}
