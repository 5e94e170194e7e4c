package appliance.check;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One check of a real server, by value: two equal specs are one check, run once however many
 * virtual servers name it. {@link #target()} is where it connects ({@code connect-ip} and
 * {@code connect-port}, else the real server's), {@link #bindTo()} the local end
 * ({@code bind-to}, {@code bind-port}; port 0 for any).
 */
public sealed interface CheckSpec permits TcpCheck, HttpCheck, SmtpCheck, UdpCheck, DnsCheck, MiscCheck, FileCheck, PingCheck {

    CheckType type();

    InetSocketAddress target();

    Optional<InetSocketAddress> bindTo();

    CheckTiming timing();
}
