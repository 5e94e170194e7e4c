package appliance.config.keepalived;

/**
 * keepalived's vrrp_strict (global) and strict_mode (per instance), applied to a translated
 * instance as keepalived 2.2.7 applies them when it completes one: unicast peers are refused; the
 * rest is reset with a warning, as keepalived resets it and runs on (authentication dropped, state
 * MASTER only for the address owner, accept off unless the owner, no preempt delay, no gratuitous
 * ARPs or adverts answering a lower priority, adverts from the interface itself).
 */
final class StrictMode {

    private final Args args;

    StrictMode(Args args) {
        this.args = args;
    }

    void apply(Node instance, HoconTree.Obj o) {
        String name = instance.args().isEmpty() ? "?" : instance.args().get(0).text();
        if (o.has("unicast-peers")) {
            args.error(instance, "(" + name + ") unicast peers are not allowed in strict mode (vrrp_strict or"
                    + " strict_mode), as keepalived refuses them");
        }
        if (o.has("authentication")) {
            reset(instance, name, "strict mode does not support authentication; it is ignored");
            o.entries.remove("authentication");
        }
        Object priority = o.leafValue("priority");
        boolean owner = Integer.valueOf(255).equals(priority);
        if ("MASTER".equals(o.leafValue("state")) && !owner) {
            reset(instance, name, "state MASTER must match being address owner (priority 255) in strict mode;"
                    + " starting as BACKUP");
            o.put("state", "BACKUP", o.leafOrigin("state"));
        }
        if (!o.has("accept")) {
            o.put("accept", owner, instance.origin());
        } else if (Boolean.TRUE.equals(o.leafValue("accept")) && !owner && Integer.valueOf(2).equals(o.leafValue("version"))) {
            reset(instance, name, "accept mode for VRRP version 2 does not comply with RFC 3768 in strict mode; accept is off");
            o.put("accept", false, o.leafOrigin("accept"));
        }
        if (o.has("preempt-delay") && !"0s".equals(o.leafValue("preempt-delay"))) {
            reset(instance, name, "preempt_delay is incompatible with strict mode; it is 0");
            o.entries.remove("preempt-delay");
        }
        zero(instance, name, o, "garp-lower-prio-repeat", 0, "strict mode requires no repeat gratuitous ARPs");
        zero(instance, name, o, "garp-lower-prio-delay", "0s", "strict mode requires no repeat gratuitous ARP delay");
        if (!o.has("lower-prio-no-advert")) {
            o.put("lower-prio-no-advert", true, instance.origin());
        } else if (!Boolean.TRUE.equals(o.leafValue("lower-prio-no-advert"))) {
            reset(instance, name, "strict mode requires lower_prio_no_advert");
            o.put("lower-prio-no-advert", true, o.leafOrigin("lower-prio-no-advert"));
        }
        if (o.has("vmac-xmit-base")) {
            reset(instance, name, "vmac_xmit_base is incompatible with strict mode; it is off");
            o.entries.remove("vmac-xmit-base");
        }
    }

    private void zero(Node instance, String name, HoconTree.Obj o, String key, Object zero, String why) {
        if (!o.has(key)) {
            o.put(key, zero, instance.origin());
        } else if (!zero.equals(o.leafValue(key))) {
            reset(instance, name, why + "; " + key.replace('-', '_') + " is " + zero);
            o.put(key, zero, o.leafOrigin(key));
        }
    }

    private void reset(Node instance, String name, String message) {
        args.warning(instance, "(" + name + ") " + message + ", as keepalived resets it");
    }
}
