package appliance;

import appliance.check.RealServer;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import appliance.check.net.CheckComponent;
import appliance.vrrp.kernel.VrrpComponent;

/** The checkers' news about virtual and real servers, for VRRP's track-virtual-server and track-real-server. */
final class CheckerTracking implements VerdictListener {

    private final VrrpComponent vrrp;

    CheckerTracking(VrrpComponent vrrp) {
        this.vrrp = vrrp;
    }

    /** What {@code checks} holds now, told before its news flows: at start, and when a reload replaces it. */
    void tellState(CheckComponent checks) {
        for (VirtualServer vs : checks.virtualServers()) {
            vrrp.virtualServerChanged(vs.text(), checks.hasQuorum(vs));
            for (RealServer rs : vs.realServers()) {
                vrrp.realServerChanged(vs.text(), vs.text(rs), checks.isAlive(vs, rs));
            }
        }
    }

    @Override
    public void virtualServerChanged(VirtualServer vs, boolean up) {
        vrrp.virtualServerChanged(vs.text(), up);
    }

    @Override
    public void realServerChanged(VirtualServer vs, RealServer rs, boolean alive) {
        vrrp.realServerChanged(vs.text(), vs.text(rs), alive);
    }
}
