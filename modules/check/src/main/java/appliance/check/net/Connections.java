package appliance.check.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.Optional;

/** The TCP connection every TCP-based check starts with, and failures in words. */
final class Connections {

    private Connections() {
    }

    static ChannelFuture connect(EventLoop loop, InetSocketAddress target, Optional<InetSocketAddress> bindTo,
                                 Duration timeout, ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                .option(ChannelOption.SO_LINGER, 0) // a check leaves no TIME_WAIT behind
                .handler(handler);
        return bindTo.isPresent() ? b.connect(target, bindTo.get()) : b.connect(target);
    }

    /** A failure as a log line says it: "connection refused", "timeout", ... */
    static String describe(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return "connection timed out";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
