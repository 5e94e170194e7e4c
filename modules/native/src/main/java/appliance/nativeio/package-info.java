/**
 * Sockets the kernel side of VRRP needs, through jnr-ffi and registered on Netty's epoll loop:
 * raw IPv4 (keepalived's one socket per family and interface), AF_PACKET for gratuitous ARP and
 * NETLINK_ROUTE for virtual addresses. No thread per socket and no blocking call on the loop.
 * A raw IPv6 socket (recvmsg with IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO, RFC 5798 §5.1.2.3)
 * will sit beside {@link appliance.nativeio.RawIpv4Socket} on the same {@code EpollSocket} glue.
 */
package appliance.nativeio;
