package appliance.jmx;

import appliance.vrrp.DropCounters;
import appliance.vrrp.DropReason;
import appliance.vrrp.FaultReason;
import appliance.vrrp.VirtualAddress;
import appliance.vrrp.VirtualRouter;
import appliance.vrrp.kernel.VrrpComponent;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers and removes the appliance's MXBeans and metrics on the platform MBean server. */
public final class ManagementBeans {

    private static final Logger log = LoggerFactory.getLogger(ManagementBeans.class);
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MetricRegistry metrics = new MetricRegistry();
    private final List<ObjectName> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
    private JmxReporter reporter;

    /** Called on a router's loop for each transition. */
    public void stateChanged(VrrpComponent.StateChange change) {
        metrics.counter(MetricRegistry.name("vrrp", change.instance(), "transitions", change.to().name())).inc();
    }

    public void register(VrrpComponent vrrp) {
        vrrp.routers().forEach(this::registerInstance);
        vrrp.dropsByInterface().forEach((iface, drops) -> {
            register("appliance:type=VrrpInterface,name=" + ObjectName.quote(iface), new InterfaceBean(drops));
            for (DropReason r : DropReason.values()) {
                metrics.register(MetricRegistry.name("vrrp", "interface", iface, "dropped", r.name()),
                        (Gauge<Long>) () -> drops.get(r));
            }
        });
        LoggingBean logging = new LoggingBean();
        register(LoggingBean.NAME, logging);
        logging.registerGauges(metrics);
        reporter = JmxReporter.forRegistry(metrics).inDomain("appliance.metrics").build();
        reporter.start();
    }

    /** An instance's MXBean and metrics: at start, and when a reload adds the instance. */
    public void registerInstance(String name, VirtualRouter router) {
        // Made now, off the loops: a counter made on the first MASTER would register its MBean
        // on the event loop in the middle of the takeover (about 3 ms, seen with -Xlog:class+load).
        for (appliance.vrrp.VrrpState state : appliance.vrrp.VrrpState.values()) {
            metrics.counter(MetricRegistry.name("vrrp", name, "transitions", state.name()));
        }
        register("appliance:type=VrrpInstance,name=" + ObjectName.quote(name), new InstanceBean(router));
        metrics.register(MetricRegistry.name("vrrp", name, "master"),
                (Gauge<Integer>) () -> router.state() == appliance.vrrp.VrrpState.MASTER ? 1 : 0);
        metrics.register(MetricRegistry.name("vrrp", name, "advertisements-sent"),
                (Gauge<Long>) () -> router.counters().advertisementsSent());
        metrics.register(MetricRegistry.name("vrrp", name, "address-add-failures"),
                (Gauge<Long>) () -> router.counters().addressAddFailures());
        metrics.register(MetricRegistry.name("vrrp", name, "adver-timer-max-lateness-micros"),
                (Gauge<Long>) () -> router.counters().adverTimerMaxLatenessNanos() / 1_000L);
    }

    /** A reload removed the instance: its MXBean and metrics go. */
    public void unregisterInstance(String name) {
        try {
            ObjectName on = new ObjectName("appliance:type=VrrpInstance,name=" + ObjectName.quote(name));
            if (registered.remove(on)) {
                server.unregisterMBean(on);
            }
        } catch (JMException e) {
            log.debug("unregister {}: {}", name, e.toString());
        }
        String prefix = MetricRegistry.name("vrrp", name) + ".";
        metrics.removeMatching((metricName, metric) -> metricName.startsWith(prefix));
    }

    /** {@code appliance:type=Appliance}: reload, and its counts. */
    public void register(ApplianceMXBean appliance) {
        register("appliance:type=Appliance", appliance);
    }

    /** {@code appliance:type=Ipvs}, from what the reconciler says of the table. */
    public void register(appliance.ipvs.TableState ipvs) {
        register("appliance:type=Ipvs", new IpvsBean(ipvs));
    }

    record IpvsBean(appliance.ipvs.TableState state) implements IpvsMXBean {
        @Override public List<String> getDifferences() { return state.differences(); }
        @Override public long getPasses() { return state.passes(); }
        @Override public long getWrites() { return state.writes(); }
        @Override public long getRefusedWrites() { return state.refusedWrites(); }
    }

    public void unregister() {
        if (reporter != null) {
            reporter.stop();
        }
        for (ObjectName n : registered) {
            try {
                server.unregisterMBean(n);
            } catch (JMException e) {
                log.debug("unregister {}: {}", n, e.toString());
            }
        }
        registered.clear();
    }


    private void register(String name, Object bean) {
        try {
            ObjectName on = new ObjectName(name);
            server.registerMBean(bean, on);
            registered.add(on);
        } catch (JMException e) {
            log.warn("JMX: cannot register {}: {}", name, e.toString());
        }
    }

    static final class InstanceBean implements VrrpInstanceMXBean {
        private final VirtualRouter router;

        InstanceBean(VirtualRouter router) {
            this.router = router;
        }

        @Override public String getState() { return router.state().keepalivedName(); }
        @Override public String getInterface() { return router.config().interfaceName(); }
        @Override public int getVirtualRouterId() { return router.config().virtualRouterId(); }
        @Override public int getPriority() { return router.config().priority(); }
        @Override public int getVersion() { return router.config().version().number(); }
        @Override public long getAdvertIntervalMillis() { return router.config().advertInterval().toMillis(); }
        @Override public long getMasterAdverIntervalMillis() { return router.masterAdverIntervalMillis(); }
        @Override public String getMasterAddress() {
            var m = router.masterAddress();
            return m == null ? "" : m.getHostAddress();
        }
        @Override public List<String> getVirtualAddresses() {
            return router.config().virtualAddresses().stream().map(VirtualAddress::toString).toList();
        }
        @Override public long getAdvertisementsSent() { return router.counters().advertisementsSent(); }
        @Override public long getAdvertisementsReceived() { return router.counters().advertisementsReceived(); }
        @Override public long getPriorityZeroReceived() { return router.counters().priorityZeroReceived(); }
        @Override public long getBecameMaster() { return router.counters().becameMaster(); }
        @Override public long getTransitions() { return router.counters().transitions(); }
        @Override public int getEffectivePriority() { return router.effectivePriority(); }
        @Override public List<String> getFaultReasons() {
            // The tracked objects by name rather than the general "a tracked object is down".
            List<String> reasons = new java.util.ArrayList<>(router.faults().stream().filter(f -> f != FaultReason.TRACKED)
                    .map(FaultReason::description).sorted().toList());
            router.trackedDown().forEach(t -> reasons.add(t + " down"));
            return reasons;
        }
        @Override public long getAddressAddFailures() { return router.counters().addressAddFailures(); }
        @Override public long getAddressRemoveFailures() { return router.counters().addressRemoveFailures(); }
        @Override public long getAddressFaults() { return router.counters().addressFaults(); }
        @Override public long getLowerPriorityAnswered() { return router.counters().lowerPriorityAnswered(); }
        @Override public List<String> getOwnerConflicts() {
            return router.ownerConflicts().stream().map(java.net.InetAddress::getHostAddress).toList();
        }
        @Override public long getAdverTimerLastLatenessMicros() {
            return router.counters().adverTimerLastLatenessNanos() / 1_000L;
        }
        @Override public long getAdverTimerMaxLatenessMicros() {
            return router.counters().adverTimerMaxLatenessNanos() / 1_000L;
        }
        @Override public long getAdverTimerStalls() { return router.counters().adverTimerStalls(); }
    }

    static final class InterfaceBean implements VrrpInterfaceMXBean {
        private final DropCounters drops;

        InterfaceBean(DropCounters drops) {
            this.drops = drops;
        }

        @Override
        public Map<String, Long> getDroppedPackets() {
            Map<String, Long> m = new LinkedHashMap<>();
            drops.snapshot().forEach((r, n) -> m.put(r.name(), n));
            return m;
        }

        @Override
        public long getDroppedTotal() {
            return drops.total();
        }
    }
}
