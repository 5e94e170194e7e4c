package appliance.nativeio;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

import appliance.codec.netlink.GenericNetlink;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkDecodeException;
import io.netty.channel.IoEventLoop;

/**
 * A NETLINK_GENERIC socket on the event loop, on {@link NetlinkClient}'s transport: resolves a
 * family's id by name through the controller, then carries that family's requests (IPVS's).
 * Threading as {@link NetlinkClient}: open off the loop, requests from any thread, futures
 * completed on the loop.
 */
public final class GenericNetlinkClient implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** NETLINK_GENERIC, linux/netlink.h. */
    private static final int NETLINK_GENERIC = 16;

    private final NetlinkClient transport;

    private GenericNetlinkClient(NetlinkClient transport) {
        this.transport = transport;
    }

    /** In the calling thread's network namespace; off the loop only. */
    public static GenericNetlinkClient open(IoEventLoop loop) throws NativeException {
        return open(loop, REQUEST_TIMEOUT);
    }

    public static GenericNetlinkClient open(IoEventLoop loop, Duration timeout) throws NativeException {
        return new GenericNetlinkClient(NetlinkClient.open(loop, NETLINK_GENERIC, "generic netlink", GenericNetlink::decode,
                timeout, 0, null, null));
    }

    /**
     * The id of the family named {@code name}; fails with NativeException ENOENT when the kernel
     * has no such family (for IPVS: the ip_vs module is not loaded).
     */
    public CompletableFuture<Integer> family(String name) {
        return request("CTRL_CMD_GETFAMILY " + name, seq -> GenericNetlink.getFamily(seq, name), false, replies -> {
            if (replies.isEmpty()) {
                throw new IllegalStateException("the controller acknowledged CTRL_CMD_GETFAMILY " + name + " without a reply");
            }
            try {
                return GenericNetlink.familyId(replies.get(0));
            } catch (NetlinkDecodeException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /**
     * Sends what {@code encoder} builds for a fresh sequence number (encoding happens on the
     * calling thread, so invalid arguments throw there); {@code result} turns the generic netlink
     * messages that came before the ack (or the dump's DONE) into the future's value.
     */
    public <T> CompletableFuture<T> request(String call, IntFunction<byte[]> encoder, boolean dump,
                                            Function<List<GenlMessage>, T> result) {
        return transport.request(call, encoder, dump,
                parts -> result.apply(NetlinkClient.only(GenlMessage.class, parts)));
    }

    public IoEventLoop eventLoop() {
        return transport.eventLoop();
    }

    /** Messages dropped: not from the kernel, undecodable, or for no pending request. */
    public long ignoredMessages() {
        return transport.ignoredMessages();
    }

    @Override
    public void close() {
        transport.close();
    }
}
