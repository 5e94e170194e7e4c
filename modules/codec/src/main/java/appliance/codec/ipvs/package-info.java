/**
 * The kernel's IPVS table over generic netlink (family "IPVS", version 1): services,
 * destinations, the sync daemon and the module's info, as immutable values with their requests
 * and decoders. The wire facts are linux/ip_vs.h's and keepalived's libipvs's.
 */
package appliance.codec.ipvs;
