package appliance.nativeio;

import java.io.IOException;

/**
 * Two namespaces joined by a veth pair, as two VRRP routers on one LAN: "a" has va
 * (02:00:00:00:00:0a, 192.0.2.1/24), "b" has vb (02:00:00:00:00:0b, 192.0.2.2/24). Separate
 * namespaces, because a host drops packets whose source is one of its own addresses.
 */
final class TwoRouters implements AutoCloseable {

    static final String MAC_A = "02:00:00:00:00:0a";
    static final String MAC_B = "02:00:00:00:00:0b";

    final TestNetns a;
    final TestNetns b;

    private TwoRouters(TestNetns a, TestNetns b) {
        this.a = a;
        this.b = b;
    }

    static TwoRouters create() throws IOException {
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
            a.ip("link", "set", "va", "up");
            b.ip("link", "set", "vb", "up");
        } catch (IOException | RuntimeException e) {
            routers.close();
            throw e;
        }
        return routers;
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
