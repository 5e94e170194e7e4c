package appliance.vrrp;

/**
 * Where keepalived's {@code smtp_alert} e-mails go: the appliance wires its SMTP client here.
 * Called off the loops' critical work and must not block (send asynchronously, report failures
 * itself).
 */
@FunctionalInterface
public interface AlertSender {

    /** @param subject keepalived's subject without the "[router_id] " prefix, which the sender adds */
    void send(String subject, String body);
}
