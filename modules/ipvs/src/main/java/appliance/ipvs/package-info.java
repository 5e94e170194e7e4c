/**
 * The IPVS component: the kernel's IPVS table, read through generic netlink and brought to the
 * desired table (what the configuration and the checkers' verdicts say) with the fewest writes,
 * leaving alone the services that are not ours.
 */
package appliance.ipvs;
