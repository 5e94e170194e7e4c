package appliance.check.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import appliance.check.LocalEnd;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

/** The TCP connection every TCP-based check starts with, any check socket's local end, and failures in words. */
final class Connections {

    private Connections() {
    }

    /** keepalived's setsockopt levels and names (asm-generic/socket.h), which Netty's epoll options lack. */
    private static final int IFNAMSIZ = 16;
    private static final IntegerUnixChannelOption SO_MARK = new IntegerUnixChannelOption("SO_MARK", 1, 36);
    private static final RawUnixChannelOption SO_BINDTODEVICE = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, IFNAMSIZ);

    static ChannelFuture connect(EventLoop loop, InetSocketAddress target, LocalEnd local, Duration timeout,
                                 ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                .option(ChannelOption.SO_LINGER, 0) // a check leaves no TIME_WAIT behind
                .handler(handler);
        return open(b, local, ch -> local.bindTo().isPresent() ? ch.connect(target, local.bindTo().get())
                : ch.connect(target));
    }

    /**
     * Registers b's channel, marks it and binds it to its device as {@code local} says, then takes
     * the step (connect or bind). Not through Bootstrap.option: Netty only logs an option it could
     * not set, and a check must not run unmarked or through another interface, as keepalived's
     * does not ("Checker can't bind to device").
     */
    static ChannelFuture open(Bootstrap b, LocalEnd local, Function<Channel, ChannelFuture> step) {
        ChannelFuture registered = b.register();
        Channel ch = registered.channel();
        ChannelPromise done = ch.newPromise();
        registered.addListener((ChannelFuture r) -> {
            if (!r.isSuccess()) {
                done.setFailure(r.cause());
                return;
            }
            try {
                if (local.fwmark() != 0) {
                    set(ch, SO_MARK, (int) local.fwmark(), "can't set fwmark " + local.fwmark());
                }
                if (local.bindIf().isPresent()) {
                    byte[] name = Arrays.copyOf(local.bindIf().get().getBytes(StandardCharsets.US_ASCII), IFNAMSIZ);
                    set(ch, SO_BINDTODEVICE, ByteBuffer.wrap(name), "can't bind to device " + local.bindIf().get());
                }
            } catch (LocalEndException e) {
                ch.close();
                done.setFailure(e);
                return;
            }
            step.apply(ch).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    done.setSuccess();
                } else {
                    done.setFailure(f.cause());
                }
            });
        });
        return done;
    }

    private static <T> void set(Channel ch, ChannelOption<T> option, T value, String what) throws LocalEndException {
        try {
            if (!ch.config().setOption(option, value)) {
                throw new LocalEndException(what + ": the channel has no such option");
            }
        } catch (ChannelException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String m = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw new LocalEndException(what + ": " + m.replaceFirst("^setsockopt\\(\\) failed: ", ""));
        }
    }

    /** A mark or device the kernel refused: the check fails with it, as keepalived's does. */
    static final class LocalEndException extends Exception {
        LocalEndException(String message) {
            super(message, null, false, false);
        }
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
