package appliance.check.net;

import appliance.check.CheckSpec;
import appliance.check.CheckType;
import appliance.check.RealServer;
import appliance.check.Verdict;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkers of every virtual server, on the shared loops: one {@link CheckRunner} per distinct
 * check (equal specs named by several virtual servers run once), spread over the loops; a real
 * server is alive while none of its checks is down. Logs in keepalived's words, and tells the
 * {@link VerdictListener}s (added before {@link #start()}).
 */
public final class CheckComponent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckComponent.class);

    /** A real server as one virtual server names it. */
    private record Member(VirtualServer vs, RealServer rs) {
    }

    private final List<VirtualServer> virtualServers;
    private final EventLoopGroup loops;
    private final Random random;
    private final List<VerdictListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<CheckSpec, CheckRunner> runners = new LinkedHashMap<>();
    private final Map<CheckSpec, List<Member>> membersByCheck = new HashMap<>();
    /** Per member, its checks' states: guarded by {@code this} (checks of one server run on several loops). */
    private final Map<Member, Map<CheckSpec, Boolean>> checkStates = new HashMap<>();
    private final Map<Member, Boolean> alive = new HashMap<>();
    /** Per virtual server, whether it has quorum ({@link VirtualServer#hasQuorum}). */
    private final Map<VirtualServer, Boolean> quorum = new HashMap<>();

    public CheckComponent(List<VirtualServer> virtualServers, EventLoopGroup loops, Random random) {
        this.virtualServers = List.copyOf(virtualServers);
        this.loops = loops;
        this.random = random;
        for (VirtualServer vs : this.virtualServers) {
            for (RealServer rs : vs.realServers()) {
                Member m = new Member(vs, rs);
                Map<CheckSpec, Boolean> states = new HashMap<>();
                for (CheckSpec c : rs.checks()) {
                    membersByCheck.computeIfAbsent(c, k -> new ArrayList<>()).add(m);
                    states.put(c, !c.timing().alpha());
                }
                checkStates.put(m, states);
                alive.put(m, !states.containsValue(false));
            }
            quorum.put(vs, vs.hasQuorum(false, liveWeight(vs)));
        }
    }

    /** The weights of {@code vs}'s alive real servers. Under {@code this}. */
    private long liveWeight(VirtualServer vs) {
        long live = 0;
        for (RealServer rs : vs.realServers()) {
            if (Boolean.TRUE.equals(alive.get(new Member(vs, rs)))) {
                live += rs.weight();
            }
        }
        return live;
    }

    public void addListener(VerdictListener listener) {
        listeners.add(listener);
    }

    public void start() {
        if (!virtualServers.isEmpty()) {
            log.warn("{} virtual servers are checked but not load-balanced: IPVS is not implemented yet",
                    virtualServers.size());
        }
        for (Map.Entry<CheckSpec, List<Member>> e : membersByCheck.entrySet()) {
            for (Member m : e.getValue()) {
                log.info("Activating healthchecker for service {} for VS {}", m.vs().text(m.rs()), m.vs().text());
            }
            CheckRunner r = new CheckRunner(e.getKey(), loops.next(), this::verdict);
            runners.put(e.getKey(), r);
        }
        runners.values().forEach(r -> r.start(random.nextDouble()));
    }

    /** Distinct checks running. */
    public int checkCount() {
        return runners.size();
    }

    private void verdict(Verdict v) {
        List<Member> members = membersByCheck.getOrDefault(v.check(), List.of());
        if (!members.isEmpty()) {
            logVerdict(v, members.get(0));
        }
        listeners.forEach(l -> l.verdict(v));
        // Every member's state first, then the news: a listener told of one sees all of them updated.
        List<Runnable> news = new ArrayList<>();
        synchronized (this) {
            for (Member m : members) {
                Map<CheckSpec, Boolean> states = checkStates.get(m);
                states.put(v.check(), v.up());
                boolean now = !states.containsValue(false);
                if (alive.put(m, now) != now) {
                    news.add(() -> realServerChanged(m, now));
                }
                long live = liveWeight(m.vs());
                boolean has = m.vs().hasQuorum(Boolean.TRUE.equals(quorum.get(m.vs())), live);
                if (quorum.put(m.vs(), has) != has) {
                    news.add(() -> quorumChanged(m.vs(), has, live));
                }
            }
        }
        news.forEach(Runnable::run);
    }

    private void realServerChanged(Member m, boolean alive) {
        log.info("Real server {} of VS {} is {}", m.vs().text(m.rs()), m.vs().text(),
                alive ? "alive" : "down: not load-balanced yet, nothing to remove (no IPVS)");
        for (VerdictListener l : listeners) {
            l.realServerChanged(m.vs(), m.rs(), alive);
        }
    }

    private void quorumChanged(VirtualServer vs, boolean has, long live) {
        log.info(vs.quorumLine(has, live));
        for (VerdictListener l : listeners) {
            l.virtualServerChanged(vs, has);
        }
    }

    /** keepalived's lines for a check's first result and its changes. */
    private static void logVerdict(Verdict v, Member m) {
        String service = m.vs().text(m.rs());
        CheckType type = v.check().type();
        if (v.up()) {
            switch (type) {
                case TCP_CHECK -> log.info("TCP connection to {} success.", service);
                case SMTP_CHECK -> log.info("Remote SMTP server {} succeed on service.", service);
                case UDP_CHECK -> log.info("UDP connection to {} success.", service);
                case DNS_CHECK -> log.info("DNS_CHECK ({}) succeed on service.", service);
                default -> log.info("Remote Web server {} succeed on service.", service);
            }
        } else {
            String name = switch (type) {
                case TCP_CHECK -> "TCP_CHECK";
                case SMTP_CHECK -> "SMTP_CHECK";
                case UDP_CHECK -> "UDP_CHECK";
                case DNS_CHECK -> "DNS_CHECK";
                default -> "HTTP_CHECK";
            };
            log.info("{} on service {} failed ({}).", name, service, v.reason());
        }
    }

    /** Whether {@code vs} has quorum now (at start: as its real servers start, alive unless a check has alpha). */
    public synchronized boolean hasQuorum(VirtualServer vs) {
        return Boolean.TRUE.equals(quorum.get(vs));
    }

    public List<VirtualServer> virtualServers() {
        return virtualServers;
    }

    /** Whether the real server {@code rs} of {@code vs} is alive now. */
    public synchronized boolean isAlive(VirtualServer vs, RealServer rs) {
        Boolean a = alive.get(new Member(vs, rs));
        return a != null && a;
    }

    @Override
    public void close() {
        runners.values().forEach(CheckRunner::stop);
    }
}
