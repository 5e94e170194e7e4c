package appliance.nativeio;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

import appliance.codec.netlink.AddressOptions;
import appliance.codec.netlink.IfAddrMessage;
import appliance.codec.netlink.IfInfoMessage;
import appliance.codec.netlink.NetlinkMessage;
import appliance.codec.netlink.RouteSpec;
import appliance.codec.netlink.Rtnetlink;
import io.netty.channel.IoEventLoop;

/**
 * A NETLINK_ROUTE socket on the event loop: adds and deletes addresses and dumps addresses and
 * links, as keepalived's {@code vrrp_netlink.c} does for virtual IPs. The transport (sequence
 * numbers, acks, queued dumps, NLM_F_DUMP_INTR, timeouts, ENOBUFS) is {@link NetlinkClient}'s.
 *
 * <p>Threading: {@link #open} off the loop. Requests and {@link #close} from any thread. Futures
 * complete on the loop, so their callbacks must not block. A request with no reply within 5 s
 * fails with a {@link TimeoutException}; {@link #close} fails pending ones with an IOException.
 */
public final class RtnetlinkClient implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_DUMP_ATTEMPTS = NetlinkClient.MAX_DUMP_ATTEMPTS;

    private final NetlinkClient transport;

    private RtnetlinkClient(NetlinkClient transport) {
        this.transport = transport;
    }

    /**
     * Opens a NETLINK_ROUTE socket in the calling thread's network namespace; every request
     * acts on that namespace. Off the loop only: it waits for the registration.
     */
    public static RtnetlinkClient open(IoEventLoop loop) throws NativeException {
        return open(loop, REQUEST_TIMEOUT, 0, null, null);
    }

    /**
     * As {@link #open(IoEventLoop)}, also subscribed to rtnetlink multicast {@code groups} (e.g.
     * {@code Rtnetlink.RTMGRP_LINK}); the kernel's notifications go to {@code notifications} on
     * the loop. Watching links this way needs no polling, as keepalived's netlink monitor. When
     * the socket's queue overflowed and notifications were lost, {@code notificationsLost} runs
     * on the loop: the caller should dump the state it watches again.
     */
    public static RtnetlinkClient open(IoEventLoop loop, int groups, Consumer<NetlinkMessage> notifications,
                                       Runnable notificationsLost) throws NativeException {
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(notificationsLost, "notificationsLost");
        return open(loop, REQUEST_TIMEOUT, groups, notifications, notificationsLost);
    }

    static RtnetlinkClient open(IoEventLoop loop, Duration timeout) throws NativeException {
        return open(loop, timeout, 0, null, null);
    }

    private static RtnetlinkClient open(IoEventLoop loop, Duration timeout, int groups,
                                        Consumer<NetlinkMessage> notifications, Runnable notificationsLost)
            throws NativeException {
        return new RtnetlinkClient(NetlinkClient.open(loop, Syscalls.NETLINK_ROUTE, "rtnetlink", Rtnetlink::decode,
                timeout, groups, notifications, notificationsLost));
    }

    /** Adds an address; fails with NativeException EEXIST when it is there already, EPERM without CAP_NET_ADMIN. */
    public CompletableFuture<Void> addAddress(int ifindex, InetAddress address, int prefixLength) {
        return request(addressCall("RTM_NEWADDR", ifindex, address, prefixLength),
                seq -> Rtnetlink.newAddress(seq, ifindex, address, prefixLength), false, parts -> null);
    }

    /** As {@link #addAddress(int, InetAddress, int)}, with keepalived's options (label, scope, brd, nodad). */
    public CompletableFuture<Void> addAddress(int ifindex, InetAddress address, int prefixLength,
                                              AddressOptions options) {
        return request(addressCall("RTM_NEWADDR", ifindex, address, prefixLength),
                seq -> Rtnetlink.newAddress(seq, ifindex, address, prefixLength, options), false, parts -> null);
    }

    /** Adds a route; fails with NativeException EEXIST when it is there already. */
    public CompletableFuture<Void> addRoute(RouteSpec route) {
        return request("RTM_NEWROUTE " + describe(route), seq -> Rtnetlink.newRoute(seq, route), false, parts -> null);
    }

    /** Deletes a route; fails with NativeException ESRCH when there is no such route. */
    public CompletableFuture<Void> deleteRoute(RouteSpec route) {
        return request("RTM_DELROUTE " + describe(route), seq -> Rtnetlink.deleteRoute(seq, route), false,
                parts -> null);
    }

    /** Creates a macvlan (keepalived's VMAC) on {@code baseIndex}; EEXIST when the name is taken. */
    public CompletableFuture<Void> addMacvlan(String name, int baseIndex, byte[] mac, int mode) {
        return request("RTM_NEWLINK macvlan " + name + " on ifindex " + baseIndex,
                seq -> Rtnetlink.newMacvlan(seq, name, baseIndex, mac, mode), false, parts -> null);
    }

    /** Sets an interface up or down. */
    public CompletableFuture<Void> setLinkUp(int index, boolean up) {
        return request("RTM_NEWLINK ifindex " + index + (up ? " up" : " down"),
                seq -> Rtnetlink.setLinkUp(seq, index, up), false, parts -> null);
    }

    /** Sets how the kernel makes an interface's IPv6 link-local address (IN6_ADDR_GEN_MODE_*). */
    public CompletableFuture<Void> setAddrGenMode(int index, int mode) {
        return request("RTM_NEWLINK ifindex " + index + " addrgenmode " + mode,
                seq -> Rtnetlink.setAddrGenMode(seq, index, mode), false, parts -> null);
    }

    /** Deletes an interface; ENODEV when there is none. */
    public CompletableFuture<Void> deleteLink(int index) {
        return request("RTM_DELLINK ifindex " + index, seq -> Rtnetlink.deleteLink(seq, index), false, parts -> null);
    }

    private static String describe(RouteSpec r) {
        return r.destination().getHostAddress() + "/" + r.destinationLength()
                + (r.gateway() == null ? "" : " via " + r.gateway().getHostAddress())
                + (r.outputInterface() == 0 ? "" : " ifindex " + r.outputInterface())
                + " table " + Integer.toUnsignedString(r.table());
    }

    /** Deletes an address; fails with NativeException EADDRNOTAVAIL when it is absent. */
    public CompletableFuture<Void> deleteAddress(int ifindex, InetAddress address, int prefixLength) {
        return request(addressCall("RTM_DELADDR", ifindex, address, prefixLength),
                seq -> Rtnetlink.deleteAddress(seq, ifindex, address, prefixLength), false, parts -> null);
    }

    /** Every address of {@code family} (Rtnetlink.AF_UNSPEC, AF_INET or AF_INET6) on every interface. */
    public CompletableFuture<List<IfAddrMessage>> dumpAddresses(int family) {
        return request("RTM_GETADDR dump (family " + family + ")",
                seq -> Rtnetlink.dumpAddresses(seq, family), true,
                parts -> NetlinkClient.only(IfAddrMessage.class, parts));
    }

    /** Every interface. */
    public CompletableFuture<List<IfInfoMessage>> dumpLinks() {
        return request("RTM_GETLINK dump", Rtnetlink::dumpLinks, true,
                parts -> NetlinkClient.only(IfInfoMessage.class, parts));
    }

    /**
     * Sends the message {@code encoder} builds for a fresh sequence number. Encoding happens on
     * the calling thread, so invalid arguments throw there.
     *
     * @param dump   whether the reply is a multipart dump ended by NLMSG_DONE (else an ACK)
     * @param result turns the dump's messages (empty for an ACK) into the future's value
     */
    <T> CompletableFuture<T> request(String call, IntFunction<byte[]> encoder, boolean dump,
                                     Function<List<NetlinkMessage>, T> result) {
        return transport.request(call, encoder, dump, result);
    }

    public IoEventLoop eventLoop() {
        return transport.eventLoop();
    }

    /** Dumps run again because the kernel marked them interrupted (NLM_F_DUMP_INTR). */
    public long dumpsRepeated() {
        return transport.dumpsRepeated();
    }

    /** Messages dropped: not from the kernel, undecodable, or for no pending request. */
    public long ignoredMessages() {
        return transport.ignoredMessages();
    }

    /** Idempotent, any thread; fails the pending requests. Off the loop it returns once they are failed. */
    @Override
    public void close() {
        transport.close();
    }

    private static String addressCall(String type, int ifindex, InetAddress address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        return type + "(" + address.getHostAddress() + "/" + prefixLength + ", ifindex " + ifindex + ")";
    }
}
