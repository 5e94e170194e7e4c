package appliance.lab;

/** Which VRRP speaker to run in a host, so one scenario can run against either. */
public enum NodeKind {
    APPLIANCE {
        @Override
        public VrrpNode start(Lab lab, Host host, VirtualRouterSpec spec) {
            return ApplianceNode.start(lab, host, spec);
        }
    },
    KEEPALIVED {
        @Override
        public VrrpNode start(Lab lab, Host host, VirtualRouterSpec spec) {
            return KeepalivedNode.start(lab, host, spec);
        }
    };

    /** Starts the speaker and waits until it is up; the lab owns it. */
    public abstract VrrpNode start(Lab lab, Host host, VirtualRouterSpec spec);

    /** {@code appliance} or {@code keepalived}, as on a command line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Reads {@code appliance} or {@code keepalived}. */
    public static NodeKind of(String label) {
        return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
