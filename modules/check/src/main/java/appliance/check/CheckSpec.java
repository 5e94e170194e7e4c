package appliance.check;

import java.net.InetSocketAddress;

/**
 * One check of a real server, by value: two equal specs are one check, run once however many
 * virtual servers name it. {@link #target()} is where it connects ({@code connect-ip} and
 * {@code connect-port}, else the real server's), {@link #local()} where it
 * leaves from ({@code bind-to}, {@code bind-port}, {@code bind-if}, {@code fwmark}).
 */
public sealed interface CheckSpec permits TcpCheck, HttpCheck, SmtpCheck, UdpCheck, DnsCheck, MiscCheck, FileCheck, PingCheck {

    CheckType type();

    InetSocketAddress target();

    LocalEnd local();

    CheckTiming timing();
}
