package appliance.check.net;

import appliance.check.CheckSpec;
import appliance.check.CheckType;
import appliance.check.FileCheck;
import appliance.check.MiscCheck;
import appliance.check.Protocol;
import appliance.check.RealServer;
import appliance.check.Verdict;
import appliance.check.VirtualServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** keepalived's log lines for the checkers, in its words, so that people's log filters keep working. */
final class CheckLog {

    private static final Logger log = LoggerFactory.getLogger(CheckComponent.class);

    private CheckLog() {
    }

    /** A check's first result or a change of it, for the real server {@code rs} of {@code vs}. */
    static void verdict(Verdict v, VirtualServer vs, RealServer rs) {
        String service = vs.text(rs);
        CheckType type = v.check().type();
        if (v.check() instanceof MiscCheck misc) {
            log.info("Misc check for [{} VS {}] by [{}] {}.", service, vs.text(), misc.command().get(0),
                    v.up() ? "succeeded" : v.reason().equals("timed_out") ? "timed out" : "failed (" + v.reason() + ")");
            return;
        }
        if (v.check() instanceof FileCheck file) {
            log.info("({}): tracked file {} {} ({})", service, file.file(), v.up() ? "leaving FAULT state" : "now FAULT state",
                    v.reason());
            return;
        }
        if (v.up()) {
            switch (type) {
                case PING_CHECK -> log.info("ICMP connection to {} success.", service);
                case TCP_CHECK -> log.info("TCP connection to {} success.", service);
                case SMTP_CHECK -> log.info("Remote SMTP server {} succeed on service.", service);
                case UDP_CHECK -> log.info("UDP connection to {} success.", service);
                case DNS_CHECK -> log.info("DNS_CHECK ({}) succeed on service.", service);
                default -> log.info("Remote Web server {} succeed on service.", service);
            }
        } else {
            String name = switch (type) {
                case PING_CHECK -> "ICMP CHECK";
                case TCP_CHECK -> "TCP_CHECK";
                case SMTP_CHECK -> "SMTP_CHECK";
                case UDP_CHECK -> "UDP_CHECK";
                case DNS_CHECK -> "DNS_CHECK";
                default -> "HTTP_CHECK";
            };
            log.info("{} on service {} failed ({}).", name, service, v.reason());
        }
    }

    /** log-all-failures: a failed try of a check that is up, which does not take it down yet. */
    static void failedTry(CheckSpec check, String reason, int failuresInARow) {
        String target = VirtualServer.endpoint(check.target().getAddress(),
                check.type() == CheckType.UDP_CHECK || check.type() == CheckType.DNS_CHECK ? Protocol.UDP : Protocol.TCP,
                check.target().getPort());
        String what = switch (check.type()) {
            case PING_CHECK -> "ICMP connection to ";
            case TCP_CHECK -> "TCP connection to ";
            case UDP_CHECK -> "UDP connection to ";
            case SMTP_CHECK -> "SMTP connection to ";
            case DNS_CHECK -> "DNS_CHECK to ";
            case MISC_CHECK -> "Misc check of ";
            case FILE_CHECK -> "File check of ";
            default -> "Web connection to ";
        };
        log.info("{}{} failed ({}), try {} of {}.", what, target, reason, failuresInARow, check.timing().retry() + 1);
    }

    static void activating(VirtualServer vs, RealServer rs) {
        log.info("Activating healthchecker for service {} for VS {}", vs.text(rs), vs.text());
    }

    static void realServer(VirtualServer vs, RealServer rs, boolean alive) {
        log.info("Real server {} of VS {} is {}", vs.text(rs), vs.text(),
                alive ? "alive" : "down");
    }

    static void weight(VirtualServer vs, RealServer rs, int from, int to, boolean alive) {
        log.info("Changing weight from {} to {} for {}active service {} of VS {}", from, to, alive ? "" : "in",
                vs.text(rs), vs.text());
    }

    static void quorum(VirtualServer vs, boolean has, long live) {
        log.info(vs.quorumLine(has, live));
    }

    /** keepalived disables such a check; here it fails, so that the real server is not taken for alive. */
    static void cannotRun(VirtualServer vs, RealServer rs, appliance.check.MiscCheck misc, String reason) {
        log.error("MISC_CHECK for {} of VS {}: misc_path \"{}\" cannot run: {}; the check fails until a reload"
                + " or restart finds it runnable", vs.text(rs), vs.text(), String.join(" ", misc.command()), reason);
    }

    /** {@code of}: what the script is for, "[10.98.0.16]:tcp:80 of VS [10.97.0.100]:tcp:80" or "VS [10.97.0.100]:tcp:80". */
    static void notifyCannotRun(String of, String keyword, String command, String reason) {
        log.error("{} for {}: \"{}\" cannot run: {}; it will not be run until a reload or restart finds it runnable",
                keyword, of, command, reason);
    }

    static void notifyFailed(String of, String keyword, String command, String outcome) {
        log.warn("{} for {}: \"{}\" {}", keyword, of, command, outcome);
    }

    /** keepalived's line for an alive real server at stop under omega. */
    static void shuttingDown(VirtualServer vs, RealServer rs) {
        log.info("Shutting down service {} from VS {}", vs.text(rs), vs.text());
    }

    static void omegaUnfinished(java.time.Duration wait, String why) {
        log.warn("omega: the notify scripts at stop did not all end within {} ms: {}", wait.toMillis(), why);
    }
}
