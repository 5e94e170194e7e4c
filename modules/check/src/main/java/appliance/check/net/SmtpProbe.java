package appliance.check.net;

import appliance.check.SmtpCheck;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * SMTP_CHECK as a Netty pipeline (Netty's SMTP codec): banner 220, HELO answered 250, QUIT
 * answered 221; any other code, a malformed line or the connection closing early fails it. The
 * whole conversation is bounded by connect-timeout.
 */
final class SmtpProbe implements Probe {

    /** The longest reply line accepted: a server that sends more is broken. */
    private static final int MAX_LINE = 1024;

    private final SmtpCheck check;

    SmtpProbe(SmtpCheck check) {
        this.check = check;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        Channel[] channel = new Channel[1];
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            result.trySuccess(ProbeResult.failed("timeout after " + check.timing().connectTimeout().toMillis() + " ms"));
        }, check.timing().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> {
            deadline.cancel(false);
            if (channel[0] != null) {
                channel[0].close();
            }
        });
        Connections.connect(loop, check.target(), check.local(), check.timing().connectTimeout(),
                        new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new SmtpResponseDecoder(MAX_LINE), new SmtpRequestEncoder(),
                                        new Conversation(result));
                            }
                        })
                .addListener((io.netty.channel.ChannelFuture f) -> {
                    channel[0] = f.channel();
                    if (!f.isSuccess()) {
                        result.trySuccess(ProbeResult.failed(Connections.describe(f.cause())));
                    } else if (result.isDone()) {
                        f.channel().close();
                    }
                });
        return result;
    }

    private final class Conversation extends SimpleChannelInboundHandler<SmtpResponse> {

        private final Promise<ProbeResult> result;
        private int step;

        Conversation(Promise<ProbeResult> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
            int code = response.code();
            switch (step++) {
                case 0 -> expect(ctx, code, 220, "banner",
                        () -> ctx.writeAndFlush(new DefaultSmtpRequest(SmtpCommand.HELO, check.heloName())));
                case 1 -> expect(ctx, code, 250, "HELO", () -> ctx.writeAndFlush(new DefaultSmtpRequest(SmtpCommand.QUIT)));
                case 2 -> expect(ctx, code, 221, "QUIT", () -> result.trySuccess(ProbeResult.PASSED));
                default -> { }
            }
        }

        private void expect(ChannelHandlerContext ctx, int code, int wanted, String after, Runnable next) {
            if (code == wanted) {
                next.run();
            } else {
                result.trySuccess(ProbeResult.failed("code " + code + " after " + after + ", expected " + wanted));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.trySuccess(ProbeResult.failed("connection closed after " + step + " of 3 replies"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.trySuccess(ProbeResult.failed("malformed SMTP reply: " + Connections.describe(cause)));
            ctx.close();
        }
    }
}
