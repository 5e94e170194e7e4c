/**
 * Integration tests on the wire, the kernel and real peers: two or more VRRP speakers in a
 * namespace lab ({@code appliance.lab}), judged by their logs, their addresses and a client's
 * pings. They need root; {@code mvn verify} runs them.
 */
package appliance.it;
