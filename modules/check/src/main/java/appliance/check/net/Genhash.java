package appliance.check.net;

import appliance.check.CheckTiming;
import appliance.check.CheckType;
import appliance.check.HttpCheck;
import appliance.check.HttpUrl;
import appliance.check.LocalEnd;
import appliance.check.StatusCodes;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/genhash}: prints the MD5 of a URL's body as keepalived's genhash does, for an
 * HTTP_GET or SSL_GET {@code digest}, fetched the way the check fetches it. keepalived's options:
 * {@code -s/--server ADDRESS -p/--port PORT -u/--url PATH [-S/--use-ssl] [-V/--use-virtualhost HOST]
 * [-t/--timeout SECONDS] [-P/--protocol 1.0|1.0C|1.1] [-m/--fwmark MARK] [-v/--verbose]}.
 */
public final class Genhash {

    private Genhash() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final String USAGE = "Usage: genhash -s SERVER -p PORT -u URL [-S] [-V VIRTUALHOST] [-t SECONDS] [-v]\n"
            + "  -s, --server ADDRESS          the IPv4 or IPv6 address to connect to\n"
            + "  -p, --port PORT               the port (default 80, or 443 with -S)\n"
            + "  -u, --url PATH                the path, e.g. /health\n"
            + "  -S, --use-ssl                 over TLS (the certificate is not checked)\n"
            + "  -V, --use-virtualhost HOST    the Host header (and the TLS server name)\n"
            + "  -t, --timeout SECONDS         for the whole fetch (default 5)\n"
            + "  -P, --protocol 1.0|1.0C|1.1   the request's HTTP version, as http_protocol (default 1.0)\n"
            + "  -m, --fwmark MARK             the mark the connection carries (SO_MARK, needs CAP_NET_ADMIN)\n"
            + "  -v, --verbose                 also print the server and the URL\n";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String server = null;
        String url = null;
        Integer port = null;
        boolean ssl = false;
        boolean verbose = false;
        String vhost = null;
        long timeoutSeconds = 5;
        HttpCheck.HttpProtocol protocol = HttpCheck.HttpProtocol.HTTP_1_0;
        long fwmark = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "-S", "--use-ssl" -> ssl = true;
                    case "-v", "--verbose" -> verbose = true;
                    case "-s", "--server" -> server = value(args, ++i, a);
                    case "-u", "--url" -> url = value(args, ++i, a);
                    case "-V", "--use-virtualhost" -> vhost = value(args, ++i, a);
                    case "-p", "--port" -> port = number(value(args, ++i, a), a, 1, 65535);
                    case "-t", "--timeout" -> timeoutSeconds = number(value(args, ++i, a), a, 1, 3600);
                    case "-P", "--protocol" -> protocol = HttpCheck.HttpProtocol.of(value(args, ++i, a));
                    case "-m", "--fwmark" -> fwmark = number(value(args, ++i, a), a, 0, 0xffff_ffffL);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (server == null || url == null) {
                throw new IllegalArgumentException("-s SERVER and -u URL are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("genhash: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        InetAddress address;
        try {
            address = literal(server);
        } catch (IllegalArgumentException e) {
            err.println("genhash: server should be an IP address, not " + server);
            return 2;
        }
        HttpCheck check;
        try {
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            check = new HttpCheck(ssl ? CheckType.SSL_GET : CheckType.HTTP_GET,
                    new InetSocketAddress(address, port != null ? port : ssl ? 443 : 80),
                    new LocalEnd(Optional.empty(), Optional.empty(), fwmark),
                    new CheckTiming(timeout, timeout, 0, Duration.ZERO, Duration.ZERO, false),
                    List.of(new HttpUrl(url, StatusCodes.parse(List.of("100-599")), Optional.empty(), Optional.empty())),
                    Optional.ofNullable(vhost), vhost != null, protocol);
        } catch (IllegalArgumentException e) {
            err.println("genhash: " + e.getMessage());
            return 2;
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            ProbeResult r = new HttpProbe(check, true).run(group.next()).get(timeoutSeconds + 5, TimeUnit.SECONDS);
            if (!r.passed() || r.digest() == null) {
                err.println("genhash: " + r.reason());
                return 1;
            }
            if (verbose) {
                out.println((ssl ? "https://" : "http://") + check.target().getAddress().getHostAddress() + ":"
                        + check.target().getPort() + url);
            }
            out.println(r.digest());
            return 0;
        } catch (Exception e) {
            err.println("genhash: " + e);
            return 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing parameter for option " + option);
        }
        return args[i];
    }

    private static int number(String text, String option, int min, int max) {
        return (int) number(text, option, min, (long) max);
    }

    private static long number(String text, String option, long min, long max) {
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid " + option + " '" + text + "' (" + min + ".." + max + ")");
    }

    /** An address literal only: genhash, as keepalived's, does not resolve names. */
    static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!t.matches("[0-9.]+") && !t.contains(":")) {
            throw new IllegalArgumentException(text);
        }
        try {
            return InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text);
        }
    }
}
