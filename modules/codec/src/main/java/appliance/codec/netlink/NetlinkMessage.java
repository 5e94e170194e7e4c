package appliance.codec.netlink;

/** One message of a netlink datagram; {@link Rtnetlink#decode} and {@link GenericNetlink#decode} return them in order. */
public sealed interface NetlinkMessage
        permits IfAddrMessage, IfInfoMessage, RouteMessage, GenlMessage, NetlinkAck, NetlinkError, NetlinkDone,
        UnknownMessage {

    NetlinkHeader header();
}
