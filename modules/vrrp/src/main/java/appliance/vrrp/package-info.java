/** Virtual routers per RFC 5798 (VRRPv3) and RFC 3768 (VRRPv2): configuration model, the section 6 state machine and the section 7.1 receive checks, free of I/O. */
package appliance.vrrp;
