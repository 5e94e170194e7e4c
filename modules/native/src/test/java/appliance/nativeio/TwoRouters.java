package appliance.nativeio;

import java.io.IOException;

/**
 * Two namespaces joined by a veth pair, as two VRRP routers on one LAN: "a" has va
 * (02:00:00:00:00:0a, 192.0.2.1/24), "b" has vb (02:00:00:00:00:0b, 192.0.2.2/24). Separate
 * namespaces, because a host drops packets whose source is one of its own addresses.
 *
 * <p>{@link #createDualStack()} also gives va fe80::a/64 and fd00:99::1/64, vb fe80::b/64 and
 * fd00:99::2/64, and no link-local address of the kernel's own making.
 */
final class TwoRouters implements AutoCloseable {

    static final String MAC_A = "02:00:00:00:00:0a";
    static final String MAC_B = "02:00:00:00:00:0b";

    static final String LINK_LOCAL_A = "fe80::a";
    static final String LINK_LOCAL_B = "fe80::b";
    static final String GLOBAL_A = "fd00:99::1";
    static final String GLOBAL_B = "fd00:99::2";

    private static final long DAD_WAIT_MILLIS = 5000;

    final TestNetns a;
    final TestNetns b;

    private TwoRouters(TestNetns a, TestNetns b) {
        this.a = a;
        this.b = b;
    }

    static TwoRouters create() throws IOException {
        return create(false);
    }

    /**
     * As {@link #create()}, with IPv6 addresses that are usable at once: added with {@code nodad}
     * before the links come up, without the EUI-64 link-local address the kernel would add (and
     * keep tentative for a second of duplicate address detection); returns once none is tentative.
     */
    static TwoRouters createDualStack() throws IOException {
        return create(true);
    }

    private static TwoRouters create(boolean ipv6) throws IOException {
        TestNetns a = TestNetns.create();
        TestNetns b;
        try {
            b = TestNetns.create();
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
        TwoRouters routers = new TwoRouters(a, b);
        try {
            a.ip("link", "add", "va", "address", MAC_A, "type", "veth",
                    "peer", "name", "vb", "address", MAC_B, "netns", b.name);
            a.ip("addr", "add", "192.0.2.1/24", "dev", "va");
            b.ip("addr", "add", "192.0.2.2/24", "dev", "vb");
            if (ipv6) {
                addIpv6(a, "va", LINK_LOCAL_A, GLOBAL_A);
                addIpv6(b, "vb", LINK_LOCAL_B, GLOBAL_B);
            }
            a.ip("link", "set", "va", "up");
            b.ip("link", "set", "vb", "up");
            if (ipv6) {
                awaitNoTentativeAddress(a, "va");
                awaitNoTentativeAddress(b, "vb");
            }
        } catch (IOException | RuntimeException e) {
            routers.close();
            throw e;
        }
        return routers;
    }

    private static void addIpv6(TestNetns ns, String device, String... addresses) throws IOException {
        ns.ip("link", "set", device, "addrgenmode", "none");
        for (String address : addresses) {
            ns.ip("addr", "add", address + "/64", "dev", device, "nodad");
        }
    }

    /** Even with nodad, an address leaves the tentative state a moment after its link comes up. */
    private static void awaitNoTentativeAddress(TestNetns ns, String device) throws IOException {
        long deadline = System.nanoTime() + DAD_WAIT_MILLIS * 1_000_000;
        String tentative;
        while (!(tentative = ns.ip("-6", "addr", "show", "dev", device, "tentative")).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(device + " still has tentative addresses: " + tentative);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + device + "'s addresses", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}
