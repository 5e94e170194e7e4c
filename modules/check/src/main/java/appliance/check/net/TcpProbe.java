package appliance.check.net;

import appliance.check.TcpCheck;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/** TCP_CHECK: passed once the connection is established (then closed at once), failed on refusal or timeout. */
final class TcpProbe implements Probe {

    private final TcpCheck check;

    TcpProbe(TcpCheck check) {
        this.check = check;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        Connections.connect(loop, check.target(), check.local(), check.timing().connectTimeout(),
                        new ChannelInboundHandlerAdapter())
                .addListener((io.netty.channel.ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        f.channel().close();
                        result.trySuccess(ProbeResult.PASSED);
                    } else {
                        result.trySuccess(ProbeResult.failed(Connections.describe(f.cause())));
                    }
                });
        return result;
    }
}
