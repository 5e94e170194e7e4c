package appliance;

import appliance.check.VirtualServer;
import appliance.check.net.CheckComponent;
import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import appliance.script.ScriptAccess;
import appliance.vrrp.VirtualRouterConfig;
import appliance.vrrp.kernel.VrrpComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's reload (SIGHUP, or the JMX operation): the configuration is read again with the
 * options of the start; a configuration with any error is rejected with every error logged, and
 * the running one stays; an unchanged one changes nothing; otherwise the difference is applied.
 * The checkers carry their state over ({@link CheckComponent#successor}). VRRP: unchanged
 * instances are untouched; one whose priority or notify scripts changed takes them in place; a
 * removed one stops (a master sends priority 0), an added one starts, one changed otherwise
 * restarts, where the component can do that with the others running (see
 * {@link VrrpComponent#cannotAdd}); the rest (sync groups, VMACs, scripts, static addresses) is
 * named in the log and takes effect at the next restart.
 * Reloads run one at a time on a thread of their own, never on a signal handler or a loop.
 */
final class Reload implements appliance.jmx.ApplianceMXBean {

    private static final Logger log = LoggerFactory.getLogger(Reload.class);

    private final ConfigSource source;
    private final VrrpComponent vrrp;
    private final Consumer<CheckComponent> wire;
    private final java.util.function.BiConsumer<String, appliance.vrrp.VirtualRouter> register;
    private final Consumer<String> unregister;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reload");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** The configuration that runs; only the reload thread changes it. */
    private volatile ApplianceConfig running;
    private volatile CheckComponent checks;

    /**
     * @param wire          tells VRRP a new checker component's state and adds the listeners, before it starts
     */
    Reload(ConfigSource source, ApplianceConfig running, VrrpComponent vrrp, CheckComponent checks,
           Consumer<CheckComponent> wire,
           java.util.function.BiConsumer<String, appliance.vrrp.VirtualRouter> register, Consumer<String> unregister) {
        this.register = register;
        this.unregister = unregister;
        this.source = source;
        this.running = running;
        this.vrrp = vrrp;
        this.checks = checks;
        this.wire = wire;
    }

    CheckComponent checks() {
        return checks;
    }

    /** From a signal handler: queued, and the handler returns at once. */
    void requested(String trigger) {
        try {
            thread.execute(() -> apply(trigger));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("{} while stopping: no reload", trigger);
        }
    }

    @Override
    public String reload() {
        try {
            return thread.submit(() -> apply("JMX")).get();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return "stopping: no reload";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        }
    }

    @Override
    public long getReloads() {
        return reloads.get();
    }

    @Override
    public long getRejectedReloads() {
        return rejected.get();
    }

    /** Before the components stop: a reload under way finishes first (bounded). */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("a reload did not finish within 60 s of the stop; stopping anyway");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String apply(String trigger) {
        reloads.incrementAndGet();
        log.info("Reloading on {}", trigger);
        ApplianceConfig next;
        try {
            next = source.read();
        } catch (ConfigException e) {
            rejected.incrementAndGet();
            for (ConfigProblem p : e.problems()) {
                log.error("reload: {}", p);
            }
            String result = "rejected: " + e.problems().size() + " problem(s) in the new configuration; the running"
                    + " configuration stays";
            log.error("Reload {}", result);
            return result;
        } catch (RuntimeException e) {
            rejected.incrementAndGet();
            log.error("Reload failed reading the configuration; the running configuration stays", e);
            return "failed: " + e;
        }
        List<String> done = new ArrayList<>();
        InitFiles.apply(next.initFiles(), true);
        List<VirtualRouterConfig> instances = new ArrayList<>(running.vrrpInstances());
        List<VirtualServer> servers = running.virtualServers();
        try {
            vrrp.reassertKernel();
            applyInstances(next, instances, done);
            List<VirtualRouterConfig> inPlace = inPlace(running.with(instances, running.virtualServers()), next);
            if (!inPlace.isEmpty()) {
                vrrp.reconfigure(inPlace);
                for (VirtualRouterConfig c : inPlace) {
                    instances.replaceAll(old -> old.name().equals(c.name()) ? c : old);
                }
                done.add("VRRP: " + inPlace.stream().map(VirtualRouterConfig::name).collect(Collectors.joining(" "))
                        + " changed in place");
            }
            String vrrpChanges = vrrpDifference(running.with(instances, running.virtualServers()), next);
            if (!vrrpChanges.isEmpty()) {
                log.warn("Reload: these VRRP changes are not applied by a reload yet: {}; they take effect at the next"
                        + " restart", vrrpChanges);
                done.add("VRRP not applied (" + vrrpChanges + ")");
            }
            if (!next.virtualServers().equals(servers) && applyCheckers(next, done)) {
                servers = next.virtualServers();
            }
        } catch (RuntimeException e) {
            // What was applied stays applied, and is what runs: the next reload compares against it.
            log.error("Reload failed part-way after: {}", done.isEmpty() ? "nothing" : String.join("; ", done), e);
            done.add("failed part-way: " + e);
        } finally {
            running = running.with(instances, servers);
        }
        String result = done.isEmpty() ? "the configuration is unchanged" : String.join("; ", done);
        log.info("Reload done: {}", result);
        return result;
    }

    /** The checkers' successor; false when they could not be replaced or started (the next reload tries again). */
    private boolean applyCheckers(ApplianceConfig next, List<String> done) {
        Set<String> before = texts(running.virtualServers());
        Set<String> after = texts(next.virtualServers());
        ScriptAccess access = new ScriptAccess(next.vrrpGlobals().scriptUser(), next.vrrpGlobals().enableScriptSecurity());
        CheckComponent successor;
        try {
            successor = checks.successor(next.virtualServers(), access);
        } catch (IllegalArgumentException e) {
            log.error("Reload: the checkers are not replaced: {}; the running ones go on", e.getMessage());
            done.add("checkers not applied (" + e.getMessage() + ")");
            return false;
        }
        wire.accept(successor);
        checks = successor;
        try {
            successor.start();
        } catch (appliance.nativeio.NativeException e) {
            log.error("Reload: the checkers cannot start: {}; the next reload tries again", e.getMessage());
            done.add("checkers not started (" + e.getMessage() + ")");
            return false;
        }
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(after);
        done.add("checkers: " + successor.virtualServers().size() + " virtual server(s), " + successor.checkCount()
                + " distinct check(s)" + (added.isEmpty() ? "" : ", added " + String.join(" ", added))
                + (removed.isEmpty() ? "" : ", removed " + String.join(" ", removed)));
        return true;
    }

    private static Set<String> texts(List<VirtualServer> vss) {
        return vss.stream().map(VirtualServer::text).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Instances removed, restarted (changed beyond what changes in place: VRID, interface,
     * version, addresses, ...) and added, in that order, so that a VRID or an address another
     * instance gave up is free; each where the VRRP component can do it with the others running.
     * {@code instances} becomes what runs.
     */
    private void applyInstances(ApplianceConfig next, List<VirtualRouterConfig> instances, List<String> done) {
        Map<String, VirtualRouterConfig> before = instances.stream()
                .collect(Collectors.toMap(VirtualRouterConfig::name, c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
        Map<String, VirtualRouterConfig> after = next.vrrpInstances().stream()
                .collect(Collectors.toMap(VirtualRouterConfig::name, c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
        Set<String> grouped = next.vrrpGlobals().syncGroups().stream().flatMap(g -> g.members().stream())
                .collect(Collectors.toSet());
        List<String> removed = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Set<String> gone = new java.util.LinkedHashSet<>();
        Set<String> restarting = new java.util.LinkedHashSet<>();
        for (String name : before.keySet()) {
            VirtualRouterConfig now = after.get(name);
            boolean restart = now != null && !before.get(name).equals(now) && !before.get(name).changesInPlaceTo(now);
            String why = now == null || restart ? (grouped.contains(name) ? "a sync group member" : vrrp.cannotRemove(name))
                    : "";
            if (why == null) {
                (now == null ? gone : restarting).add(name);
            } else if (!why.isEmpty()) {
                log.warn("Reload: ({}) not {}: {}", name, now == null ? "removed" : "restarted", why);
            }
        }
        // A restart happens only when its new form can start once the others leaving have gone
        // (two instances that swap VRIDs both restart); narrowed until every one left can.
        boolean narrowed = true;
        while (narrowed) {
            narrowed = false;
            Set<String> leavingNow = new java.util.HashSet<>(gone);
            leavingNow.addAll(restarting);
            for (String name : List.copyOf(restarting)) {
                String why = vrrp.cannotAdd(after.get(name), leavingNow);
                if (why != null) {
                    log.warn("Reload: ({}) not restarted: {}", name, why);
                    restarting.remove(name);
                    narrowed = true;
                }
            }
        }
        Set<String> leaving = new java.util.LinkedHashSet<>(gone);
        leaving.addAll(restarting);
        for (String name : leaving) {
            vrrp.removeInstance(name, java.time.Duration.ofSeconds(5));
            unregister.accept(name);
            instances.removeIf(c -> c.name().equals(name));
            if (!restarting.contains(name)) {
                removed.add(name);
            }
        }
        for (String name : restarting) {
            VirtualRouterConfig now = after.get(name);
            if (start(now)) {
                instances.add(now);
                restarted.add(name);
            }
        }
        for (String name : after.keySet()) {
            VirtualRouterConfig now = after.get(name);
            if (before.containsKey(name)) {
                continue;
            }
            String why = grouped.contains(name) ? "a sync group member" : vrrp.cannotAdd(now);
            if (why != null) {
                log.warn("Reload: ({}) not added: {}", name, why);
            } else if (start(now)) {
                instances.add(now);
                added.add(name);
            }
        }
        if (!removed.isEmpty() || !restarted.isEmpty() || !added.isEmpty()) {
            done.add("VRRP:" + (removed.isEmpty() ? "" : " removed " + String.join(" ", removed))
                    + (restarted.isEmpty() ? "" : " restarted " + String.join(" ", restarted))
                    + (added.isEmpty() ? "" : " added " + String.join(" ", added)));
        }
    }

    private boolean start(VirtualRouterConfig c) {
        try {
            vrrp.addInstance(c);
            register.accept(c.name(), vrrp.routers().get(c.name()));
            return true;
        } catch (appliance.vrrp.kernel.VrrpStartException e) {
            log.error("Reload: ({}) cannot start: {}", c.name(), e.getMessage());
            return false;
        }
    }

    /** The instances of {@code next} that differ from the running ones only where a router changes in place. */
    static List<VirtualRouterConfig> inPlace(ApplianceConfig running, ApplianceConfig next) {
        Map<String, VirtualRouterConfig> before = running.vrrpInstances().stream()
                .collect(Collectors.toMap(VirtualRouterConfig::name, c -> c));
        List<VirtualRouterConfig> result = new ArrayList<>();
        for (VirtualRouterConfig c : next.vrrpInstances()) {
            VirtualRouterConfig old = before.get(c.name());
            if (old != null && !old.equals(c) && old.changesInPlaceTo(c)) {
                result.add(c);
            }
        }
        return result;
    }

    /** What differs on the VRRP side, by instance name, or "" when nothing does. */
    static String vrrpDifference(ApplianceConfig a, ApplianceConfig b) {
        Map<String, VirtualRouterConfig> before = a.vrrpInstances().stream()
                .collect(Collectors.toMap(VirtualRouterConfig::name, c -> c));
        Map<String, VirtualRouterConfig> after = b.vrrpInstances().stream()
                .collect(Collectors.toMap(VirtualRouterConfig::name, c -> c));
        List<String> parts = new ArrayList<>();
        Set<String> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        Set<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(after.keySet());
        Set<String> changed = new TreeSet<>();
        for (String name : before.keySet()) {
            if (after.containsKey(name) && !before.get(name).equals(after.get(name))) {
                changed.add(name);
            }
        }
        if (!added.isEmpty()) {
            parts.add("added " + String.join(" ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(" ", removed));
        }
        if (!changed.isEmpty()) {
            parts.add("changed " + String.join(" ", changed));
        }
        if (!a.statics().equals(b.statics())) {
            parts.add("static addresses or routes");
        }
        if (!a.vrrpGlobals().equals(b.vrrpGlobals())) {
            parts.add("scripts, processes, sync groups or script settings");
        }
        if (!a.smtp().equals(b.smtp()) || a.noEmailFaults() != b.noEmailFaults()
                || a.noCheckerEmails() != b.noCheckerEmails()) {
            parts.add("e-mail settings");
        }
        if (!Objects.equals(a.priorities(), b.priorities())) {
            parts.add("process priorities");
        }
        return String.join(", ", parts);
    }
}
