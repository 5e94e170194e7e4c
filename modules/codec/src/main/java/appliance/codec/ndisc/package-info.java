/** IPv6 Neighbor Advertisements (RFC 4861 §4.4) in Ethernet II frames, as keepalived sends them unsolicited (§7.2.6) to announce virtual addresses (RFC 5798 §6.4.2). */
package appliance.codec.ndisc;
