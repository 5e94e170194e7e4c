/**
 * Network-namespace lab: a switch (a Linux bridge in its own namespace), VRRP nodes and a
 * client, appliance and keepalived peers, and the client-seen outage of a failover; the demo.
 *
 * <p>Facts it relies on are in the shared LAB.md; timer formulas follow RFC 5798 §6.1.
 */
package appliance.lab;
