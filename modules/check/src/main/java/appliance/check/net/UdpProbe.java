package appliance.check.net;

import appliance.check.UdpCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.PortUnreachableException;
import java.util.concurrent.TimeUnit;

/** UDP_CHECK: a connected datagram channel, so that the kernel reports an ICMP port unreachable to it. */
final class UdpProbe implements Probe {

    private final UdpCheck check;

    UdpProbe(UdpCheck check) {
        this.check = check;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        Channel[] channel = new Channel[1];
        ScheduledFuture<?> deadline = loop.schedule(() -> result.trySuccess(check.requireReply()
                ? ProbeResult.failed("no reply within " + check.timing().connectTimeout().toMillis() + " ms")
                : ProbeResult.PASSED), check.timing().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> {
            deadline.cancel(false);
            if (channel[0] != null) {
                // Not from inside the read that decided it: Netty 4.2.7's datagram read loop spins
                // on a channel closed under it (seen in the DNS probe's tests, one run in four).
                Channel ch = channel[0];
                loop.execute(ch::close);
            }
        });
        Bootstrap b = new Bootstrap().group(loop).channel(EpollDatagramChannel.class).handler(new Reply(result));
        ChannelFuture connected = Connections.open(b, check.local(), ch -> check.local().bindTo().isPresent()
                ? ch.connect(check.target(), check.local().bindTo().get()) : ch.connect(check.target()));
        connected.addListener((ChannelFuture f) -> {
            channel[0] = f.channel();
            if (!f.isSuccess()) {
                result.trySuccess(ProbeResult.failed(Connections.describe(f.cause())));
                return;
            }
            if (result.isDone()) {
                f.channel().close();
                return;
            }
            f.channel().writeAndFlush(Unpooled.wrappedBuffer(check.payload())).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    result.trySuccess(ProbeResult.failed("send failed: " + Connections.describe(w.cause())));
                }
            });
        });
        return result;
    }

    private final class Reply extends SimpleChannelInboundHandler<DatagramPacket> {

        private final Promise<ProbeResult> result;

        Reply(Promise<ProbeResult> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            byte[] reply = new byte[Math.min(content.readableBytes(), 65507)];
            content.getBytes(content.readerIndex(), reply);
            String mismatch = check.mismatch(reply, reply.length);
            result.trySuccess(mismatch == null ? ProbeResult.PASSED : ProbeResult.failed(mismatch));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.trySuccess(ProbeResult.failed(cause instanceof PortUnreachableException
                    || String.valueOf(cause.getMessage()).contains("Connection refused")
                    ? "port unreachable" : Connections.describe(cause)));
        }
    }
}
