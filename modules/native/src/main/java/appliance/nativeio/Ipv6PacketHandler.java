package appliance.nativeio;

import java.net.Inet6Address;

/**
 * Receives the datagrams of a raw IPv6 socket, on the socket's event loop, with what the kernel
 * reports beside the payload (a raw IPv6 socket delivers no IPv6 header).
 *
 * <p>The buffer is reused: its bytes are valid only during the call; copy what must outlive it.
 * The addresses carry no scope id, so they equal configured literals such as {@code fe80::1}.
 * An exception thrown here is logged and counted, and reading goes on.
 */
@FunctionalInterface
public interface Ipv6PacketHandler {

    /**
     * @param length      bytes of {@code buffer} that hold the payload (e.g. a VRRP advert), from index 0
     * @param source      the sender's address
     * @param destination the address it was sent to (IPV6_PKTINFO), e.g. ff02::12 or one of ours;
     *                    null if the kernel did not say
     * @param hopLimit    the hop limit it arrived with (IPV6_HOPLIMIT; RFC 5798 §7.1 wants 255),
     *                    -1 if the kernel did not say
     */
    void packetReceived(byte[] buffer, int length, Inet6Address source, Inet6Address destination, int hopLimit);
}
