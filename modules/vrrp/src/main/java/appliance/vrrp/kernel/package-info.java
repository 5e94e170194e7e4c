/** The VRRP component's edge: raw sockets, rtnetlink and AF_PACKET adapters on the shared epoll loop group, translating between bytes and the pure {@link appliance.vrrp.VirtualRouter}. */
package appliance.vrrp.kernel;
