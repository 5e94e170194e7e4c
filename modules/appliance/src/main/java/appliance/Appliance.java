package appliance;

import appliance.config.ApplianceConfig;
import appliance.jmx.ManagementBeans;
import appliance.vrrp.kernel.VrrpComponent;
import appliance.vrrp.kernel.VrrpStartException;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Wires the components onto one epoll loop group and runs them until a stop signal. */
final class Appliance {

    private static final Logger log = LoggerFactory.getLogger(Appliance.class);
    /** Long enough for rtnetlink to confirm the addresses are gone, short enough for a systemd stop. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    private Appliance() {
    }

    static int runUntilStopped(ApplianceConfig config, PrintStream err) {
        try {
            List<String> missing = Privileges.missingForVrrp();
            if (!missing.isEmpty()) {
                err.println("error: missing privileges: " + String.join(", ", missing)
                        + "; run as root or grant them (setcap, or AmbientCapabilities= in a systemd unit)");
                return Main.EXIT_FAILURE;
            }
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot read this process's capabilities from /proc/self/status: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        if (!Epoll.isAvailable()) {
            err.println("error: Netty's native epoll transport is unavailable: " + Epoll.unavailabilityCause());
            return Main.EXIT_FAILURE;
        }

        CountDownLatch stop = new CountDownLatch(1);
        String[] stopSignal = new String[1];
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> {
                stopSignal[0] = "SIG" + s.getName();
                stop.countDown();
            });
        }
        Signal.handle(new Signal("HUP"), s -> log.warn(
                "SIGHUP: configuration reload is not implemented yet; the running configuration is unchanged"));

        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors()), EpollIoHandler.newFactory());
        ManagementBeans beans = new ManagementBeans();
        VrrpComponent vrrp = new VrrpComponent(group, config.vrrpInstances(), config.statics(), beans::stateChanged);
        vrrp.globals(config.vrrpGlobals());
        config.smtp().ifPresent(settings -> {
            appliance.smtp.SmtpClient mail = new appliance.smtp.SmtpClient(group, settings);
            vrrp.alerts((subject, body) -> {
                String full = mail.subject(subject);
                mail.send(full, body).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.warn("e-mail alert \"{}\" not sent: {}", full, failure.getMessage());
                    } else {
                        log.info("e-mail alert \"{}\" sent to {}", full, String.join(", ", settings.to()));
                    }
                });
            }, config.noEmailFaults());
        });
        appliance.check.net.CheckComponent checks;
        try {
            checks = new appliance.check.net.CheckComponent(config.virtualServers(), group,
                    new java.security.SecureRandom(), new appliance.script.ScriptAccess(
                            config.vrrpGlobals().scriptUser(), config.vrrpGlobals().enableScriptSecurity()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            shutdown(group);
            return Main.EXIT_FAILURE;
        }
        // track-virtual-server: the instances start from the checkers' initial view, then follow it.
        for (appliance.check.VirtualServer vs : checks.virtualServers()) {
            vrrp.virtualServerChanged(vs.text(), checks.hasQuorum(vs));
        }
        checks.addListener(new appliance.check.VerdictListener() {
            @Override
            public void virtualServerChanged(appliance.check.VirtualServer vs, boolean up) {
                vrrp.virtualServerChanged(vs.text(), up);
            }
        });
        try {
            vrrp.start();
        } catch (VrrpStartException e) {
            err.println("error: " + config.problemAt(e.instance(), e.key(), e.getMessage()));
            log.debug("start failed", e);
            shutdown(group);
            return Main.EXIT_FAILURE;
        } catch (RuntimeException e) {
            // Not bad input but a bug: one line here, the trace in the log for the report.
            err.println("error: internal error while starting VRRP: " + e + " (a bug; the log has the stack trace)");
            log.error("VRRP start failed", e);
            shutdown(group);
            return Main.EXIT_FAILURE;
        }
        beans.register(vrrp);
        try {
            checks.start();
        } catch (appliance.nativeio.NativeException e) {
            err.println("error: the checkers cannot start: " + e.getMessage());
            checks.close();
            vrrp.stop(STOP_TIMEOUT);
            beans.unregister();
            shutdown(group);
            return Main.EXIT_FAILURE;
        }
        log.info("Appliance started: {} VRRP instance(s), {} virtual server(s) with {} distinct check(s), pid {}",
                config.vrrpInstances().size(), config.virtualServers().size(), checks.checkCount(),
                ProcessHandle.current().pid());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Stopping on {}", stopSignal[0] == null ? "interrupt" : stopSignal[0]);
        checks.close();
        vrrp.stop(STOP_TIMEOUT);
        beans.unregister();
        shutdown(group);
        log.info("Appliance stopped");
        return Main.EXIT_OK;
    }

    private static void shutdown(MultiThreadIoEventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
