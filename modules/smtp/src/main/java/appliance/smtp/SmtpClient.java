package appliance.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's SMTP alerts as a Netty pipeline on the shared loops: one connection per message,
 * HELO, MAIL FROM, RCPT TO for each recipient, DATA with keepalived's headers (Date, From,
 * Subject, X-Mailer, To), QUIT. Every step waits at most the connect timeout; a dead or refusing
 * server fails that message's future (with the server's answer) and delays nothing else.
 */
public final class SmtpClient {

    private static final Logger log = LoggerFactory.getLogger(SmtpClient.class);
    private static final int MAX_LINE = 4096;
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final EventLoopGroup group;
    private final SmtpSettings settings;

    public SmtpClient(EventLoopGroup group, SmtpSettings settings) {
        this.group = group;
        this.settings = settings;
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** keepalived's subject: "[router_id] " then what happened. */
    public String subject(String text) {
        return "[" + settings.routerId() + "] " + text;
    }

    /** Sends one message (from any thread); the future completes on a loop when the server took it, or fails with why. */
    public CompletableFuture<Void> send(String subject, String body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
        Bootstrap b = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new SmtpResponseDecoder(MAX_LINE), new SmtpRequestEncoder(),
                                new Conversation(subject, body, done));
                    }
                });
        ChannelFuture connect = b.connect(settings.host(), settings.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new SmtpException("cannot connect to " + server() + ": "
                        + describe(f.cause())));
            }
        });
        return done;
    }

    private String server() {
        return settings.host() + ":" + settings.port();
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Why a message was not sent. */
    public static final class SmtpException extends Exception {
        private static final long serialVersionUID = 1L;

        SmtpException(String message) {
            super(message);
        }
    }

    /** One message's conversation; each answer must be the code its request expects. */
    private final class Conversation extends SimpleChannelInboundHandler<SmtpResponse> {

        private record Step(Object request, int expected, String what) {
        }

        private final CompletableFuture<Void> done;
        private final Deque<Step> steps = new ArrayDeque<>();
        private Step waiting = new Step(null, 220, "the greeting");
        /** The steps whose answers end the exchange: the message taken, then QUIT answered. */
        private final Step message;
        private final Step quit;
        private ScheduledFuture<?> timeout;

        Conversation(String subject, String body, CompletableFuture<Void> done) {
            this.done = done;
            steps.add(new Step(SmtpRequests.helo(settings.heloName()), 250, "HELO"));
            steps.add(new Step(SmtpRequests.mail(settings.from()), 250, "MAIL FROM:<" + settings.from() + ">"));
            for (String to : settings.to()) {
                steps.add(new Step(SmtpRequests.rcpt(to), 250, "RCPT TO:<" + to + ">"));
            }
            steps.add(new Step(SmtpRequests.data(), 354, "DATA"));
            message = new Step(message(subject, body), 250, "the message");
            quit = new Step(SmtpRequests.quit(), 221, "QUIT");
            steps.add(message);
            steps.add(quit);
        }

        private Object message(String subject, String body) {
            String text = "Date: " + RFC_822.format(ZonedDateTime.now()) + "\r\n"
                    + "From: " + settings.from() + "\r\n"
                    + "Subject: " + subject + "\r\n"
                    + "X-Mailer: Keepalived\r\n"
                    + "To: " + String.join(", ", settings.to()) + "\r\n\r\n"
                    + dotStuffed(body) + "\r\n";
            ByteBuf content = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            return new DefaultLastSmtpContent(content);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            armTimeout(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
            int expected = waiting.expected();
            boolean ok = response.code() == expected || expected == 250 && response.code() == 251;
            if (!ok) {
                fail(ctx, server() + " answered " + response.code() + " " + String.join(" ", response.details())
                        + " to " + waiting.what());
                return;
            }
            if (waiting == quit) {
                finish(ctx);
                return;
            }
            if (waiting == message) {
                // Accepted: the message is the server's now, whatever QUIT gets.
                done.complete(null);
            }
            Step next = steps.poll();
            if (next == null) {
                finish(ctx);
                return;
            }
            waiting = next;
            armTimeout(ctx);
            ctx.writeAndFlush(next.request());
        }

        private void armTimeout(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            long millis = settings.connectTimeout().toMillis();
            timeout = ctx.executor().schedule(() -> fail(ctx, server() + " did not answer " + waiting.what()
                    + " within " + millis + " ms"), millis, TimeUnit.MILLISECONDS);
        }

        private void finish(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            done.complete(null);
            ctx.close();
        }

        private void fail(ChannelHandlerContext ctx, String why) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (!done.isDone()) {
                done.completeExceptionally(new SmtpException(why));
            } else {
                log.debug("after the message was taken: {}", why);
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done.isDone()) {
                fail(ctx, server() + " closed the connection before " + waiting.what());
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, server() + ": " + describe(cause) + " during " + waiting.what());
        }
    }

    /** RFC 5321 section 4.5.2: a line that starts with a dot gets another. */
    static String dotStuffed(String body) {
        String crlf = body.replace("\r\n", "\n").replace("\n", "\r\n");
        return (crlf.startsWith(".") ? "." : "") + crlf.replace("\r\n.", "\r\n..");
    }
}
