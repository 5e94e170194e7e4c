/**
 * rtnetlink messages as immutable values (rtnetlink(7), netlink(7)): address, route and link
 * requests, their replies, ACK, ERROR and DONE, as keepalived's {@code keepalived_netlink.c},
 * {@code vrrp_ipaddress.c}, {@code vrrp_iproute.c} and {@code vrrp_vmac.c} send and read them.
 * Pure: bytes in, values out, no I/O.
 */
package appliance.codec.netlink;
