/** IPv4 (RFC 791) and IPv6 (RFC 8200) fixed headers and the Internet checksum (RFC 1071), as seen by a raw-socket receiver. */
package appliance.codec.ip;
