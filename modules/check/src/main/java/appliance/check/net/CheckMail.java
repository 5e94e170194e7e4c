package appliance.check.net;

import appliance.check.CheckSpec;
import appliance.check.RealServer;
import appliance.check.Verdict;
import appliance.check.VirtualServer;

/**
 * keepalived's checker e-mails (smtp_alert): the subject without its "[router_id] " prefix, which
 * the sender adds, and the body each checker of keepalived 2.2.7 writes.
 */
final class CheckMail {

    private CheckMail() {
    }

    /** A check of {@code rs} went up or down; {@code alive}: the real server's state after it. */
    static String realServerSubject(VirtualServer vs, RealServer rs, boolean alive) {
        return "Realserver " + vs.text(rs) + " of virtual server " + vs.text() + " - " + (alive ? "UP" : "DOWN");
    }

    static String virtualServerSubject(VirtualServer vs, boolean up) {
        return "Virtualserver " + vs.text() + " - " + (up ? "UP" : "DOWN");
    }

    /** The body of a check's change, or null for a FILE_CHECK, which keepalived does not mail. */
    static String body(Verdict v) {
        boolean up = v.up();
        CheckSpec c = v.check();
        return switch (c.type()) {
            case TCP_CHECK -> "=> TCP CHECK " + (up ? "succeed" : "failed") + " on service <=";
            case UDP_CHECK -> "=> UDP CHECK " + (up ? "succeed" : "failed") + " on service <=";
            case PING_CHECK -> "=> ICMP CHECK " + (up ? "succeed" : "failed") + " on service <=";
            case DNS_CHECK -> "=> DNS_CHECK: " + (up ? "succeed" : "failed") + " on service <=";
            case HTTP_GET, SSL_GET -> up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service : HTTP request failed <=";
            case SMTP_CHECK -> up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service : " + v.reason() + " <=";
            case MISC_CHECK -> "=> MISC CHECK " + (up ? "succeeded" : v.reason().contains("timed out") ? "timed out" : "failed")
                    + " on service <=";
            case FILE_CHECK -> null;
        };
    }
}
