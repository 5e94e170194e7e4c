package appliance.check.net;

import appliance.check.DnsCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * DNS_CHECK: one query over UDP (Netty's DNS codec), passed by a reply with its id and rcode
 * NOERROR; anything else that is not the answer is ignored until connect-timeout.
 */
final class DnsProbe implements Probe {

    private final DnsCheck check;

    DnsProbe(DnsCheck check) {
        this.check = check;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        Channel[] channel = new Channel[1];
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        ScheduledFuture<?> deadline = loop.schedule(() -> result.trySuccess(ProbeResult.failed("no reply within "
                + check.timing().connectTimeout().toMillis() + " ms")), check.timing().connectTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        result.addListener(f -> {
            deadline.cancel(false);
            if (channel[0] != null) {
                // Not from inside the read that decided it: Netty 4.2.7's datagram read loop spins
                // on a channel closed under it (seen in the DNS probe's tests, one run in four).
                Channel ch = channel[0];
                loop.execute(ch::close);
            }
        });
        Bootstrap b = new Bootstrap().group(loop).channel(EpollDatagramChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(), new Answer(id, result));
            }
        });
        // Not connected: Netty's connected datagram read spun on the loop here (4.2.7) when a reply
        // was ignored; a stopped server is then seen at the timeout, not by its ICMP error.
        ChannelFuture bound = Connections.open(b, check.local(),
                ch -> ch.bind(check.local().bindTo().orElse(new InetSocketAddress(0))));
        bound.addListener((ChannelFuture f) -> {
            channel[0] = f.channel();
            if (!f.isSuccess()) {
                result.trySuccess(ProbeResult.failed(Connections.describe(f.cause())));
                return;
            }
            DatagramDnsQuery query = new DatagramDnsQuery(null, check.target(), id);
            query.setRecursionDesired(true);
            String name = check.name().endsWith(".") ? check.name() : check.name() + "."; // "" asks for the root
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.valueOf(check.queryType())));
            f.channel().writeAndFlush(query).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    result.trySuccess(ProbeResult.failed("send failed: " + Connections.describe(w.cause())));
                }
            });
        });
        return result;
    }

    private final class Answer extends SimpleChannelInboundHandler<DatagramDnsResponse> {

        private final int id;
        private final Promise<ProbeResult> result;

        Answer(int id, Promise<ProbeResult> result) {
            this.id = id;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
            if (response.id() != id || !check.target().equals(response.sender())) {
                return; // not ours: keep waiting, as keepalived does
            }
            DnsResponseCode code = response.code();
            result.trySuccess(code == DnsResponseCode.NOERROR ? ProbeResult.PASSED
                    : ProbeResult.failed("read error occurred. (rcode = " + code.intValue() + ")"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof PortUnreachableException) {
                result.trySuccess(ProbeResult.failed("port unreachable"));
            }
            // a malformed datagram is not ours: keep waiting until the timeout
        }
    }
}
