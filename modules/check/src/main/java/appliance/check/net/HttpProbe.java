package appliance.check.net;

import appliance.check.HttpCheck;
import appliance.check.HttpUrl;
import appliance.check.UrlRegex;
import appliance.check.UrlCursor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * HTTP_GET and SSL_GET: one URL per run ({@link UrlCursor}), {@code GET path HTTP/1.0} as
 * keepalived sends it, the answer checked for its status code, the MD5 of its body and a regex.
 * The body is hashed as it streams and never kept whole: a regex sees its first
 * {@value appliance.check.UrlRegex#WINDOW} bytes. Without a digest or a regex, the status line decides and the
 * connection is closed at once. The whole run, TLS handshake included, is bounded by the check's
 * connect-timeout, so a server that trickles or never answers is down at that timeout.
 */
final class HttpProbe implements Probe {


    private static volatile SslContext tls;

    private final HttpCheck check;
    private final UrlCursor cursor;
    /** genhash: the body is hashed whatever the URL asks, and the digest returned. */
    private final boolean hashAlways;

    HttpProbe(HttpCheck check) {
        this(check, false);
    }

    HttpProbe(HttpCheck check, boolean hashAlways) {
        this.check = check;
        this.cursor = new UrlCursor(check.urls().size());
        this.hashAlways = hashAlways;
    }

    /** The URL the next run asks for. Loop-confined, as runs are. */
    HttpUrl currentUrl() {
        return check.urls().get(cursor.current());
    }

    UrlCursor cursor() {
        return cursor;
    }

    @Override
    public Future<ProbeResult> run(EventLoop loop) {
        Promise<ProbeResult> result = loop.newPromise();
        HttpUrl url = currentUrl();
        Channel[] channel = new Channel[1];
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (result.trySuccess(ProbeResult.failed("timeout after " + check.timing().connectTimeout().toMillis() + " ms"))
                    && channel[0] != null) {
                channel[0].close();
            }
        }, check.timing().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> deadline.cancel(false));
        Connections.connect(loop, check.target(), check.local(), check.timing().connectTimeout(),
                        new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) throws SSLException {
                                if (check.tls()) {
                                    ch.pipeline().addLast(tlsHandler(ch));
                                }
                                ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 16384),
                                        new AnswerCheck(url, result));
                            }
                        })
                .addListener((io.netty.channel.ChannelFuture f) -> {
                    channel[0] = f.channel();
                    if (!f.isSuccess()) {
                        result.trySuccess(ProbeResult.failed(Connections.describe(f.cause())));
                    } else if (result.isDone()) {
                        f.channel().close();
                    }
                });
        result.addListener(f -> {
            if (channel[0] != null) {
                channel[0].close();
            }
        });
        return result;
    }

    private io.netty.channel.ChannelHandler tlsHandler(Channel ch) throws SSLException {
        SslContext context = tls;
        if (context == null) {
            // keepalived does not check the server's certificate
            context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            tls = context;
            org.slf4j.LoggerFactory.getLogger(HttpProbe.class).info("SSL_GET: TLS through {}",
                    io.netty.handler.ssl.OpenSsl.isAvailable() ? "OpenSSL (" + io.netty.handler.ssl.OpenSsl.versionString()
                            + ")" : "the JDK's engine (OpenSSL unavailable: " + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + ")");
        }
        String peer = check.enableSni() && check.virtualhost().isPresent()
                ? check.virtualhost().get() : check.target().getAddress().getHostAddress();
        // peer and port key the session cache: a later run resumes the session
        return context.newHandler(ch.alloc(), peer, check.target().getPort());
    }

    /**
     * What the request's Host header says, as keepalived 2.2.7 writes it: the virtual host as
     * given, else the address (IPv6 in brackets) with the port, whatever the port.
     */
    String hostHeader() {
        if (check.virtualhost().isPresent()) {
            return check.virtualhost().get();
        }
        String a = appliance.codec.ip.AddressText.of(check.target().getAddress());
        String host = check.target().getAddress() instanceof Inet6Address ? "[" + a + "]" : a;
        return host + ":" + check.target().getPort();
    }

    /** Sends the request when connected, and decides on the answer. */
    private final class AnswerCheck extends SimpleChannelInboundHandler<HttpObject> {

        private final HttpUrl url;
        private final Promise<ProbeResult> result;
        private final MessageDigest md5;
        private final StringBuilder window;

        AnswerCheck(HttpUrl url, Promise<ProbeResult> result) {
            this.url = url;
            this.result = result;
            this.md5 = url.digest().isPresent() || hashAlways ? newMd5() : null;
            this.window = url.regex().isPresent() ? new StringBuilder() : null;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            HttpCheck.HttpProtocol protocol = check.httpProtocol();
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(
                    protocol == HttpCheck.HttpProtocol.HTTP_1_1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                    HttpMethod.GET, url.path());
            request.headers().set("User-Agent", "KeepAliveClient");
            if (protocol.sendsConnectionClose()) {
                request.headers().set("Connection", "close");
            }
            request.headers().set("Host", hostHeader());
            ctx.writeAndFlush(request);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (result.isDone()) {
                return;
            }
            if (msg.decoderResult().isFailure()) {
                result.trySuccess(ProbeResult.failed("malformed HTTP answer: " + msg.decoderResult().cause().getMessage()));
                return;
            }
            if (msg instanceof HttpResponse response) {
                int status = response.status().code();
                if (!url.statusCodes().accepts(status)) {
                    result.trySuccess(ProbeResult.failed("status code " + status + " for " + url.path()
                            + ", expected " + url.statusCodes()));
                    return;
                }
                if (md5 == null && window == null) {
                    result.trySuccess(ProbeResult.PASSED);
                    return;
                }
            }
            if (msg instanceof HttpContent content) {
                ByteBuf body = content.content();
                if (md5 != null) {
                    md5.update(body.nioBuffer());
                }
                if (window != null && window.length() < UrlRegex.WINDOW) {
                    int n = Math.min(body.readableBytes(), UrlRegex.WINDOW - window.length());
                    window.append(body.toString(body.readerIndex(), n, StandardCharsets.ISO_8859_1));
                }
                if (msg instanceof LastHttpContent) {
                    result.trySuccess(decide());
                }
            }
        }

        private ProbeResult decide() {
            String digest = md5 == null ? null : HexFormat.of().formatHex(md5.digest());
            if (digest != null && url.digest().isPresent()) {
                if (!digest.equals(url.digest().get())) {
                    return ProbeResult.failed("MD5 digest " + digest + " for " + url.path() + ", expected "
                            + url.digest().get());
                }
            }
            if (window != null && !url.regex().get().passes(window)) {
                UrlRegex regex = url.regex().get();
                return ProbeResult.failed("regex '" + regex + "' " + (regex.noMatch() ? "matched by " : "not matched by ")
                        + url.path() + (regex.noMatch() ? " (regex-no-match)" : ""));
            }
            return new ProbeResult(true, "ok", digest);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.trySuccess(ProbeResult.failed("connection closed before the answer ended"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.trySuccess(ProbeResult.failed(Connections.describe(cause)));
            ctx.close();
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
