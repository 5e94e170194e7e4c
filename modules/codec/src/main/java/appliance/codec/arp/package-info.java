/** ARP (RFC 826) for Ethernet and IPv4 in Ethernet II frames, as keepalived sends it to announce virtual addresses (RFC 5798 §6.4.2). */
package appliance.codec.arp;
