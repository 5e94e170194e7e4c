/**
 * Sockets the kernel side of VRRP needs, through jnr-ffi and registered on Netty's epoll loop:
 * raw IPv4 and raw IPv6 (keepalived's one socket per family and interface; for IPv6, recvmsg with
 * IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO, RFC 5798 §5.1.2.3 and §7.1), AF_PACKET for gratuitous ARP
 * and NETLINK_ROUTE for virtual addresses. No thread per socket and no blocking call on the loop.
 */
package appliance.nativeio;
