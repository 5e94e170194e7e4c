/**
 * rtnetlink messages as immutable values (rtnetlink(7), netlink(7)): address and link requests,
 * their replies, ACK, ERROR and DONE, as keepalived's {@code vrrp_netlink.c} sends and reads them.
 * Pure: bytes in, values out, no I/O.
 */
package appliance.codec.netlink;
