package appliance.check.net;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/** One run of a check, on {@code loop}; the future completes (never fails) on that loop within the check's connect-timeout. */
interface Probe {

    Future<ProbeResult> run(EventLoop loop);
}
