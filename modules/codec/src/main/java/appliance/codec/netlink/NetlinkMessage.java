package appliance.codec.netlink;

/** One message of a netlink datagram; {@link Rtnetlink#decode} returns them in order. */
public sealed interface NetlinkMessage
        permits IfAddrMessage, IfInfoMessage, RouteMessage, NetlinkAck, NetlinkError, NetlinkDone, UnknownMessage {

    NetlinkHeader header();
}
