/** ICMP and ICMPv6 echo messages, for the checkers' PING_CHECK. */
package appliance.codec.icmp;
