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

    /**
     * keepalived's vrrp/checker (rt_)priority on each component's loop threads (none when the
     * component is absent; all of them when it is alone). The error, or null.
     */
    private static String applyPriorities(appliance.config.ThreadPriorities p, List<io.netty.channel.IoEventLoop> vrrpLoops,
                                          List<io.netty.channel.IoEventLoop> checkLoops) {
        record Setting(String key, java.util.OptionalInt value, boolean realtime, List<io.netty.channel.IoEventLoop> loops) {
        }
        List<Setting> settings = List.of(new Setting("vrrp-priority", p.vrrpPriority(), false, vrrpLoops),
                new Setting("vrrp-rt-priority", p.vrrpRtPriority(), true, vrrpLoops),
                new Setting("checker-priority", p.checkerPriority(), false, checkLoops),
                new Setting("checker-rt-priority", p.checkerRtPriority(), true, checkLoops));
        for (Setting s : settings) {
            if (s.value().isEmpty() || s.loops().isEmpty()) {
                continue;
            }
            for (io.netty.channel.IoEventLoop loop : s.loops()) {
                try {
                    loop.submit(() -> {
                        if (s.realtime()) {
                            appliance.nativeio.ThreadScheduling.roundRobin(s.value().getAsInt());
                        } else {
                            appliance.nativeio.ThreadScheduling.nice(s.value().getAsInt());
                        }
                        return null;
                    }).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    return "global." + s.key() + " = " + s.value().getAsInt() + ": " + e.getCause().getMessage()
                            + " (needs CAP_SYS_NICE)";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted while setting global." + s.key();
                }
            }
            log.info("global.{} = {} applied to {} event loop thread(s)", s.key(), s.value().getAsInt(), s.loops().size());
        }
        return null;
    }

    static int runUntilStopped(ApplianceConfig config, PrintStream err) {
        return runUntilStopped(config, () -> config, err);
    }

    /** @param source the configuration read again, with the start's options, at each reload */
    static int runUntilStopped(ApplianceConfig config, ConfigSource source, PrintStream err) {
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
        java.util.concurrent.atomic.AtomicReference<Reload> reload = new java.util.concurrent.atomic.AtomicReference<>();
        Signal.handle(new Signal("HUP"), s -> {
            Reload r = reload.get();
            if (r == null) {
                log.warn("SIGHUP before the start completed: ignored");
            } else {
                r.requested("SIGHUP");
            }
        });

        // With both VRRP and checkers, one loop of the shared group more, for VRRP alone: a burst of
        // checks (TLS handshakes) on VRRP's loop delayed 10 ms adverts by up to 4.7 ms (p99, 2,000
        // SSL_GETs); alone on its thread, the scheduler wakes VRRP's loop at once.
        boolean shared = !config.vrrpInstances().isEmpty() && !config.virtualServers().isEmpty();
        // And with virtual servers, one more for IPVS alone: the kernel runs an IPVS request in the
        // sender's thread, loading a scheduler's module on its first use (350 ms each under emulation),
        // which would hold up whatever else shared that loop.
        boolean ipvsAlone = !config.virtualServers().isEmpty() || config.ipvs().syncDaemon().isPresent();
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(cpus + (shared ? 1 : 0) + (ipvsAlone ? 1 : 0),
                EpollIoHandler.newFactory());
        List<io.netty.channel.IoEventLoop> all = new java.util.ArrayList<>();
        group.forEach(e -> all.add((io.netty.channel.IoEventLoop) e));
        io.netty.channel.IoEventLoop ipvsLoop = ipvsAlone ? all.get(all.size() - 1) : null;
        List<io.netty.channel.IoEventLoop> loops = ipvsAlone ? all.subList(0, all.size() - 1) : all;
        io.netty.channel.IoEventLoopGroup vrrpLoops = ipvsAlone ? loops.get(0) : group;
        List<io.netty.channel.IoEventLoop> checkLoops = shared ? loops.subList(1, loops.size()) : loops;
        String refused = applyPriorities(config.priorities(),
                config.vrrpInstances().isEmpty() ? List.of() : shared ? List.of(loops.get(0)) : loops,
                config.virtualServers().isEmpty() ? List.of() : checkLoops);
        if (refused != null) {
            err.println("error: " + refused);
            shutdown(group);
            return Main.EXIT_FAILURE;
        }
        // keepalived's init_file: before what tracks the files reads them.
        InitFiles.apply(config.initFiles(), false);
        ManagementBeans beans = new ManagementBeans();
        java.util.concurrent.atomic.AtomicReference<LoadBalancing> balancer = new java.util.concurrent.atomic.AtomicReference<>();
        VrrpComponent vrrp = new VrrpComponent(vrrpLoops, config.vrrpInstances(), config.statics(), change -> {
            beans.stateChanged(change);
            LoadBalancing b = balancer.get();
            if (b != null) {
                b.vrrpStateChanged(change);
            }
        });
        vrrp.globals(config.vrrpGlobals());
        java.util.function.BiConsumer<String, String> alert = config.smtp().map(settings -> {
            appliance.smtp.SmtpClient mail = new appliance.smtp.SmtpClient(group, settings);
            java.util.function.BiConsumer<String, String> send = (subject, body) -> {
                String full = mail.subject(subject);
                mail.send(full, body).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.warn("e-mail alert \"{}\" not sent: {}", full, failure.getMessage());
                    } else {
                        log.info("e-mail alert \"{}\" sent to {}", full, String.join(", ", settings.to()));
                    }
                });
            };
            return send;
        }).orElse(null);
        if (alert != null) {
            vrrp.alerts(alert::accept, config.noEmailFaults());
        }
        appliance.check.net.CheckComponent checks;
        try {
            checks = new appliance.check.net.CheckComponent(config.virtualServers(), checkLoops,
                    new java.security.SecureRandom(), new appliance.script.ScriptAccess(
                            config.vrrpGlobals().scriptUser(), config.vrrpGlobals().enableScriptSecurity()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            shutdown(group);
            return Main.EXIT_FAILURE;
        }
        LoadBalancing balancing = ipvsLoop == null ? null : LoadBalancing.open(ipvsLoop, config);
        balancer.set(balancing);
        // track-virtual-server, track-real-server: the instances start from the checkers' initial view, then follow it.
        CheckerTracking tracking = new CheckerTracking(vrrp);
        java.util.function.Consumer<appliance.check.net.CheckComponent> wire = c -> {
            tracking.tellState(c);
            c.addListener(tracking);
            if (balancing != null) {
                balancing.follow(c);
                c.addListener(balancing);
            }
            if (alert != null) {
                c.alerts(alert, config.noCheckerEmails());
            }
        };
        wire.accept(checks);
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
        if (balancing != null) {
            balancing.start();
            beans.register(balancing.state());
        }
        reload.set(new Reload(source, config, vrrp, checks, wire, beans::registerInstance, beans::unregisterInstance));
        beans.register(reload.get());
        log.info("Appliance started: {} VRRP instance(s), {} virtual server(s) with {} distinct check(s), pid {}",
                config.vrrpInstances().size(), config.virtualServers().size(), checks.checkCount(),
                ProcessHandle.current().pid());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Stopping on {}", stopSignal[0] == null ? "interrupt" : stopSignal[0]);
        reload.get().close();
        reload.get().checks().shutdown(STOP_TIMEOUT);
        if (balancing != null) {
            balancing.stop(STOP_TIMEOUT);
        }
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
