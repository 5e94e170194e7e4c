package appliance.vrrp;

import appliance.codec.vrrp.VrrpAdvertisement;

/**
 * What a {@link VirtualRouter} asks of the world. The adapters on the event loop carry these out
 * (raw socket, rtnetlink, AF_PACKET); tests record them.
 */
public interface VrrpActions {

    /** Multicast the advertisement on the instance's interface (RFC 5798 section 6.4.3). */
    void sendAdvertisement(VrrpAdvertisement advertisement);

    void addVirtualAddresses();

    void removeVirtualAddresses();

    /** One round per call: a gratuitous ARP for every virtual address, {@code repeat} times over. */
    void sendGratuitousArps(int repeat);

    /**
     * Hands the instance's socket's queued datagrams to their instances now. The
     * Master_Down_Timer asks before it expires: a socket read in step with dense traffic may hold
     * an advert that arrived in time but was not read yet.
     */
    default void receivePending() {
    }

    /** Called once per transition, after the state has changed. */
    void stateChanged(VrrpState from, VrrpState to, String reason);
}
