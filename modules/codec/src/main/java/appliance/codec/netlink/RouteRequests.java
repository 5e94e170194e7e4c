package appliance.codec.netlink;

/**
 * Writes RTM_NEWROUTE and RTM_DELROUTE for {@link Rtnetlink#newRoute} and
 * {@link Rtnetlink#deleteRoute}, attribute for attribute as {@code ip route add table T PREFIX
 * src S via G metric M dev IF} (iproute2 6.1) does, so that the two can be compared byte for byte.
 */
final class RouteRequests {

    private RouteRequests() {
    }

    static byte[] route(int type, int flags, int sequence, RouteSpec r, int scope) {
        int family = Rtnetlink.familyOf(r.destination());
        // rtm_table is 8 bits: a larger id goes in RTA_TABLE beside RT_TABLE_UNSPEC, as iproute2
        // and keepalived write it (the kernel reads RTA_TABLE over rtm_table when present).
        boolean wideTable = Integer.compareUnsigned(r.table(), 0xff) > 0;
        NetlinkWriter w = new NetlinkWriter(type, flags, sequence)
                .u8(family).u8(r.destinationLength()).u8(0).u8(0) // no source prefix, tos 0
                .u8(wideTable ? RouteMessage.RT_TABLE_UNSPEC : r.table())
                .u8(r.protocol()).u8(scope).u8(r.type())
                .u32(0);
        if (wideTable) {
            w.attributeU32(Rtnetlink.RTA_TABLE, r.table());
        }
        if (r.destinationLength() > 0) {
            // A default route (length 0) has no RTA_DST, as iproute2 writes "default".
            w.attribute(Rtnetlink.RTA_DST, r.destination().getAddress());
        }
        if (r.preferredSource() != null) {
            w.attribute(Rtnetlink.RTA_PREFSRC, r.preferredSource().getAddress());
        }
        if (r.gateway() != null) {
            w.attribute(Rtnetlink.RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.metric() != 0) {
            // 0 is the kernel's default either way (IPv6 makes it 1024), and "any" in a delete.
            w.attributeU32(Rtnetlink.RTA_PRIORITY, (int) r.metric());
        }
        if (!r.nextHops().isEmpty()) {
            int multipath = w.begin(Rtnetlink.RTA_MULTIPATH);
            for (NextHop hop : r.nextHops()) {
                int start = w.position();
                w.u16(0).u8(0).u8(hop.weight() - 1).u32(hop.interfaceIndex()); // rtnh_len filled in by end()
                if (hop.gateway() != null) {
                    w.attribute(Rtnetlink.RTA_GATEWAY, hop.gateway().getAddress());
                }
                w.end(start);
            }
            w.end(multipath);
        }
        if (r.outputInterface() != 0) {
            w.attributeU32(Rtnetlink.RTA_OIF, r.outputInterface());
        }
        return w.toByteArray();
    }
}
