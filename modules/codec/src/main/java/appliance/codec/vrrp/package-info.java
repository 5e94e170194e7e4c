/** VRRP advertisements on the wire: VRRPv2 (RFC 3768, with RFC 2338's simple password as keepalived keeps it) and VRRPv3 (RFC 5798) over IPv4 and IPv6. */
package appliance.codec.vrrp;
