package appliance.check.net;

import appliance.check.CheckSpec;
import appliance.check.FileCheck;
import appliance.check.MiscCheck;
import appliance.check.PingCheck;
import appliance.check.RealServer;
import appliance.check.Verdict;
import appliance.check.VerdictListener;
import appliance.check.VirtualServer;
import appliance.check.WeightChange;
import appliance.nativeio.NativeException;
import appliance.script.PreparedScript;
import appliance.script.ScriptAccess;
import appliance.script.ScriptRunner;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The checkers of every virtual server, on the shared loops: one {@link CheckRunner} per distinct
 * check (equal specs named by several virtual servers run once), spread over the loops; FILE_CHECKs
 * follow their files instead. A real server is alive while none of its checks is down, and weighs
 * its configured weight plus what its dynamic checks give it (keepalived's effective weight).
 * Logs in keepalived's words, and tells the {@link VerdictListener}s (added before {@link #start()}).
 */
public final class CheckComponent implements AutoCloseable {

    /**
     * A real server as one virtual server names it, by identity: the records' own equality hashes
     * the whole virtual server, every real server and check in it, which made each lookup cost as
     * much as the configuration (measured: minutes of CPU at start with 2,000 real servers).
     */
    private record Member(VirtualServer vs, RealServer rs) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && m.vs == vs && m.rs == rs;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(vs) * 31 + System.identityHashCode(rs);
        }
    }

    /** One check's state as a member sees it. */
    private record CheckView(boolean up, WeightChange weight) {
    }

    private final List<VirtualServer> virtualServers;
    /** The loops the checks run on, in turn. */
    private final List<EventLoop> loops;
    private int nextLoop;
    private final Random random;
    private final List<VerdictListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<CheckSpec, CheckRunner> runners = new LinkedHashMap<>();
    private final Map<CheckSpec, List<Member>> membersByCheck = new LinkedHashMap<>();
    private final Map<MiscCheck, PreparedScript> scripts = new HashMap<>();
    private final ScriptRunner scriptRunner;
    /** notify_up/notify_down command lines, prepared; absent when they cannot run here. */
    private final Map<String, PreparedScript> notifies = new HashMap<>();
    /** keepalived has no limit for notify scripts; as VRRP's, a hung one is killed after this. */
    private static final java.time.Duration NOTIFY_TIMEOUT = java.time.Duration.ofSeconds(30);
    /** MISC_CHECKs whose script cannot run here, and why. */
    private final Map<MiscCheck, String> cannotRun = new HashMap<>();
    private final FileChecks files;
    private Pinger pinger;
    /** Per member, its checks' states: guarded by {@code this} (checks of one server run on several loops). */
    private final Map<Member, Map<CheckSpec, CheckView>> checkStates = new HashMap<>();
    /**
     * Per virtual server, the weights of its alive real servers, kept up to date with each change
     * rather than summed again (a sum per verdict cost N² at start with 2,000 real servers).
     */
    private final Map<VirtualServer, Long> liveWeights = new IdentityHashMap<>();
    /** Per virtual server, whether it has quorum ({@link VirtualServer#hasQuorum}). */
    private final Map<VirtualServer, Boolean> quorum = new IdentityHashMap<>();
    /** The checks that have had a verdict (a state worth carrying over a reload); guarded by {@code this}. */
    private final java.util.Set<CheckSpec> decided = new java.util.HashSet<>();
    /** Where keepalived's smtp_alert e-mails go (subject without "[router_id] ", body); null: none. */
    private volatile java.util.function.BiConsumer<String, String> mail;
    /** keepalived's no_checker_emails: mail a check's change only when its real server's state changes with it. */
    private volatile boolean noCheckerEmails;
    /** What equal checks had decided before a reload; empty at the first start. */
    private final Map<CheckSpec, CheckView> carried;

    /** Without MISC_CHECKs, or with scripts run as this process's user and no script security. */
    public CheckComponent(List<VirtualServer> virtualServers, EventLoopGroup loops, Random random) {
        this(virtualServers, loops, random, new ScriptAccess(Optional.empty(), false));
    }

    /**
     * Off the loops: prepares every MISC_CHECK's script with {@code access} and reads every
     * FILE_CHECK's file, so that the initial state is what the files say.
     *
     * @throws IllegalArgumentException naming the check and its real server when a script cannot
     *         run or a file cannot be watched
     */
    public CheckComponent(List<VirtualServer> virtualServers, EventLoopGroup loops, Random random, ScriptAccess access) {
        this(virtualServers, loopsOf(loops), random, access);
    }

    /** On {@code loops}, some of a group's: the appliance keeps one of the shared group's loops for VRRP alone. */
    public CheckComponent(List<VirtualServer> virtualServers, List<? extends EventLoop> loops, Random random,
                          ScriptAccess access) {
        this(virtualServers, loops, random, access, Map.of());
    }

    /** @param carried what equal checks had decided before a reload (see {@link #successor}) */
    private CheckComponent(List<VirtualServer> virtualServers, List<? extends EventLoop> loops, Random random,
                           ScriptAccess access, Map<CheckSpec, CheckView> carried) {
        this.carried = carried;
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("the checks need at least one loop");
        }
        this.virtualServers = List.copyOf(virtualServers);
        this.loops = List.copyOf(loops);
        this.random = random;
        List<FileCheck> fileChecks = new ArrayList<>();
        for (VirtualServer vs : this.virtualServers) {
            for (RealServer rs : vs.realServers()) {
                for (CheckSpec c : rs.checks()) {
                    if (!membersByCheck.containsKey(c)) {
                        prepare(c, vs, rs, access, fileChecks);
                    }
                    membersByCheck.computeIfAbsent(c, k -> new ArrayList<>()).add(new Member(vs, rs));
                }
            }
        }
        for (VirtualServer vs : this.virtualServers) {
            for (RealServer rs : vs.realServers()) {
                prepareNotify(of(vs, rs), "notify_up", rs.notifyUp(), access);
                prepareNotify(of(vs, rs), "notify_down", rs.notifyDown(), access);
            }
            prepareNotify("VS " + vs.text(), "quorum_up", vs.notifies().quorumUp(), access);
            prepareNotify("VS " + vs.text(), "quorum_down", vs.notifies().quorumDown(), access);
        }
        if (!scripts.isEmpty() || !notifies.isEmpty()) {
            access.warnIfUnprotected();
        }
        this.scriptRunner = scripts.isEmpty() && notifies.isEmpty() ? null : new ScriptRunner("check-scripts");
        this.files = new FileChecks(fileChecks);
        for (VirtualServer vs : this.virtualServers) {
            long live = 0;
            for (RealServer rs : vs.realServers()) {
                Member m = new Member(vs, rs);
                Map<CheckSpec, CheckView> states = new HashMap<>();
                for (CheckSpec c : rs.checks()) {
                    if (c instanceof FileCheck f) {
                        Verdict v = files.verdict(f);
                        states.put(c, new CheckView(v.up(), v.weight()));
                    } else if (carried.containsKey(c)) {
                        states.put(c, carried.get(c));
                        decided.add(c);
                    } else {
                        states.put(c, new CheckView(!c.timing().alpha(), WeightChange.NONE));
                    }
                }
                checkStates.put(m, states);
                live += isAlive(states) ? weight(m, states) : 0;
            }
            liveWeights.put(vs, live);
            quorum.put(vs, vs.hasQuorum(false, live));
        }
    }

    private static List<EventLoop> loopsOf(EventLoopGroup group) {
        List<EventLoop> loops = new ArrayList<>();
        group.forEach(e -> loops.add((EventLoop) e));
        return loops;
    }

    /** The next loop in turn; off the loops, at start. */
    private EventLoop nextLoop() {
        return loops.get(nextLoop++ % loops.size());
    }

    private void prepare(CheckSpec c, VirtualServer vs, RealServer rs, ScriptAccess access, List<FileCheck> fileChecks) {
        if (c instanceof MiscCheck misc) {
            try {
                scripts.put(misc, access.prepare(misc.command(), misc.user()));
            } catch (ScriptAccess.ScriptException e) {
                // What the machine lacks (the script, its user) is no reason to refuse the configuration:
                // the check fails, and says why, until a reload finds the script.
                cannotRun.put(misc, e.getMessage());
                CheckLog.cannotRun(vs, rs, misc, e.getMessage());
            }
        } else if (c instanceof FileCheck f) {
            fileChecks.add(f);
        }
    }

    /** keepalived's notify_up/notify_down, checked once; one that cannot run here is logged and left out. */
    private static String of(VirtualServer vs, RealServer rs) {
        return vs.text(rs) + " of VS " + vs.text();
    }

    private void prepareNotify(String of, String keyword, Optional<String> command, ScriptAccess access) {
        if (command.isEmpty() || notifies.containsKey(command.get())) {
            return;
        }
        try {
            notifies.put(command.get(), access.prepare(appliance.script.CommandLine.split(command.get()),
                    Optional.empty()));
        } catch (ScriptAccess.ScriptException e) {
            CheckLog.notifyCannotRun(of, keyword, command.get(), e.getMessage());
        }
    }

    private static boolean isAlive(Map<CheckSpec, CheckView> states) {
        return states.values().stream().allMatch(CheckView::up);
    }

    /** keepalived's effective weight: the configured one plus what the checks that are up give. */
    private static int weight(Member m, Map<CheckSpec, CheckView> states) {
        long contributions = 0;
        for (CheckView v : states.values()) {
            if (v.up()) {
                contributions += v.weight().contribution(m.rs().weight());
            }
        }
        return WeightChange.effectiveWeight(m.rs().weight(), contributions);
    }

    /**
     * keepalived's checker e-mails: each change of a check of a real server with smtp-alert, and
     * each change of quorum of a virtual server with smtp-alert. Before {@link #start()};
     * {@code send} must not block.
     */
    public void alerts(java.util.function.BiConsumer<String, String> send, boolean noCheckerEmails) {
        this.mail = send;
        this.noCheckerEmails = noCheckerEmails;
    }

    public void addListener(VerdictListener listener) {
        listeners.add(listener);
    }

    /**
     * Off the loops: the first runs spread over each check's warmup, and the FILE_CHECKs' files watched.
     *
     * @throws NativeException when a FILE_CHECK's directory cannot be watched (inotify's limits, permissions)
     */
    public void start() throws NativeException {
        for (Map.Entry<CheckSpec, List<Member>> e : membersByCheck.entrySet()) {
            for (Member m : e.getValue()) {
                CheckLog.activating(m.vs(), m.rs());
            }
            CheckSpec c = e.getKey();
            if (c instanceof FileCheck) {
                continue;
            }
            CheckRunner r;
            if (c instanceof MiscCheck misc) {
                r = new CheckRunner(c, nextLoop(), this::verdict, new MiscProbe(misc, scripts.get(misc), scriptRunner,
                        cannotRun.get(misc)));
            } else if (c instanceof PingCheck ping) {
                r = new CheckRunner(c, nextLoop(), this::verdict, pinger(ping).probe(ping));
            } else {
                r = new CheckRunner(c, nextLoop(), this::verdict);
            }
            CheckView before = carried.get(c);
            if (before != null) {
                r.carryOver(before.up(), before.weight());
            }
            runners.put(c, r);
        }
        if (!files.isEmpty()) {
            files.start((IoEventLoop) nextLoop(), this::verdict);
        }
        runners.values().forEach(r -> r.start(random.nextDouble()));
    }

    /** The ICMP sockets, opened for the first PING_CHECK. */
    private Pinger pinger(PingCheck first) throws NativeException {
        if (pinger == null) {
            List<PingCheck> pings = membersByCheck.keySet().stream().filter(PingCheck.class::isInstance)
                    .map(PingCheck.class::cast).toList();
            pinger = Pinger.open((IoEventLoop) nextLoop(), pings);
        }
        return pinger;
    }

    /** Distinct checks running, FILE_CHECKs included. */
    public int checkCount() {
        return membersByCheck.size();
    }

    private void verdict(Verdict v) {
        List<Member> members = membersByCheck.getOrDefault(v.check(), List.of());
        if (!members.isEmpty()) {
            Member first = members.get(0);
            CheckView before;
            synchronized (this) {
                before = checkStates.get(first).get(v.check());
            }
            if (before == null || before.up() != v.up() || !v.up() || v.weight().equals(before.weight())) {
                CheckLog.verdict(v, first.vs(), first.rs());
            }
        }
        listeners.forEach(l -> l.verdict(v));
        // Every member's state first, then the news: a listener told of one sees all of them updated.
        List<Runnable> news = new ArrayList<>();
        synchronized (this) {
            decided.add(v.check());
            for (Member m : members) {
                Map<CheckSpec, CheckView> states = checkStates.get(m);
                boolean wasAlive = isAlive(states);
                int was = weight(m, states);
                CheckView previous = states.put(v.check(), new CheckView(v.up(), v.weight()));
                boolean now = isAlive(states);
                int weight = weight(m, states);
                if (wasAlive != now) {
                    news.add(() -> realServerChanged(m, now));
                }
                if (previous != null && previous.up() != v.up() && m.rs().smtpAlert() && mail != null
                        && (wasAlive != now || !noCheckerEmails)) {
                    String body = CheckMail.body(v);
                    if (body != null) {
                        news.add(() -> mail.accept(CheckMail.realServerSubject(m.vs(), m.rs(), now), body));
                    }
                }
                if (was != weight) {
                    news.add(() -> weightChanged(m, was, weight, now));
                }
                long live = liveWeights.merge(m.vs(), (now ? weight : 0L) - (wasAlive ? was : 0L), Long::sum);
                boolean has = m.vs().hasQuorum(Boolean.TRUE.equals(quorum.get(m.vs())), live);
                if (quorum.put(m.vs(), has) != has) {
                    news.add(() -> quorumChanged(m.vs(), has, live));
                }
            }
        }
        news.forEach(Runnable::run);
    }

    private void realServerChanged(Member m, boolean alive) {
        CheckLog.realServer(m.vs(), m.rs(), alive);
        runNotify(of(m.vs(), m.rs()), alive ? "notify_up" : "notify_down", alive ? m.rs().notifyUp() : m.rs().notifyDown());
        for (VerdictListener l : listeners) {
            l.realServerChanged(m.vs(), m.rs(), alive);
        }
    }

    /** A notify script, off the loops; its failure logged. Completes when it has ended (or at once without one). */
    private java.util.concurrent.CompletableFuture<Void> runNotify(String of, String keyword, Optional<String> command) {
        PreparedScript script = command.map(notifies::get).orElse(null);
        if (script == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return scriptRunner.run(script, NOTIFY_TIMEOUT).thenAccept(outcome -> {
            if (!outcome.success()) {
                CheckLog.notifyFailed(of, keyword, command.get(), outcome.describe());
            }
        });
    }

    private void weightChanged(Member m, int from, int to, boolean alive) {
        CheckLog.weight(m.vs(), m.rs(), from, to, alive);
        for (VerdictListener l : listeners) {
            l.realServerWeightChanged(m.vs(), m.rs(), to);
        }
    }

    private void quorumChanged(VirtualServer vs, boolean has, long live) {
        CheckLog.quorum(vs, has, live);
        runNotify("VS " + vs.text(), has ? "quorum_up" : "quorum_down",
                has ? vs.notifies().quorumUp() : vs.notifies().quorumDown());
        java.util.function.BiConsumer<String, String> send = mail;
        if (send != null && vs.smtpAlert()) {
            send.accept(CheckMail.virtualServerSubject(vs, has), vs.quorumMail(has, live));
        }
        for (VerdictListener l : listeners) {
            l.virtualServerChanged(vs, has);
        }
    }

    /** Whether {@code vs} has quorum now (at start: as its real servers start, alive unless a check has alpha). */
    public synchronized boolean hasQuorum(VirtualServer vs) {
        return Boolean.TRUE.equals(quorum.get(canonical(vs)));
    }

    /** This component's own instance of {@code vs} (the same, or an equal one a caller built). */
    private VirtualServer canonical(VirtualServer vs) {
        if (quorum.containsKey(vs)) {
            return vs;
        }
        return virtualServers.stream().filter(vs::equals).findFirst().orElse(vs);
    }

    private Member member(VirtualServer vs, RealServer rs) {
        VirtualServer v = canonical(vs);
        for (RealServer r : v.realServers()) {
            if (r == rs) {
                return new Member(v, r);
            }
        }
        return new Member(v, v.realServers().stream().filter(rs::equals).findFirst().orElse(rs));
    }

    public List<VirtualServer> virtualServers() {
        return virtualServers;
    }

    /** Whether the real server {@code rs} of {@code vs} is alive now. */
    public synchronized boolean isAlive(VirtualServer vs, RealServer rs) {
        Map<CheckSpec, CheckView> states = checkStates.get(member(vs, rs));
        return states != null && isAlive(states);
    }

    /** The weight of the real server {@code rs} of {@code vs} now: configured, changed by its dynamic checks. */
    public synchronized int weight(VirtualServer vs, RealServer rs) {
        Member m = member(vs, rs);
        Map<CheckSpec, CheckView> states = checkStates.get(m);
        return states == null ? 0 : weight(m, states);
    }

    /**
     * Reload: this component stops (its runs in progress end without a verdict), and a new one for
     * {@code next} starts from what this one had decided: an equal check keeps its state, so a real
     * server that had failed stays failed until its check passes, and one that was up is not
     * declared up again. New checks start as at a first start; FILE_CHECKs read their files again.
     * Off the loops; the caller adds the listeners and calls {@link #start()}.
     *
     * @throws IllegalArgumentException before anything stops, when the new checks cannot be built
     *         (a FILE_CHECK's directory is missing)
     */
    public CheckComponent successor(List<VirtualServer> next, ScriptAccess access) {
        // What makes a component fail to build is checked first, while this one still runs.
        FileChecks.checkDirectories(next.stream().flatMap(vs -> vs.realServers().stream())
                .flatMap(rs -> rs.checks().stream()).filter(FileCheck.class::isInstance).map(FileCheck.class::cast)
                .toList());
        stopRunners(5);
        Map<CheckSpec, CheckView> states = new HashMap<>();
        synchronized (this) {
            for (Map.Entry<CheckSpec, List<Member>> e : membersByCheck.entrySet()) {
                if (decided.contains(e.getKey()) && !(e.getKey() instanceof FileCheck) && !e.getValue().isEmpty()) {
                    states.put(e.getKey(), checkStates.get(e.getValue().get(0)).get(e.getKey()));
                }
            }
        }
        close();
        return new CheckComponent(next, loops, random, access, states);
    }

    /**
     * keepalived's omega at stop: for each virtual server with omega, every alive real server's
     * notify_down and, when it has quorum, its quorum_down (with their e-mails), each waited for
     * up to {@code wait} in all. Then {@link #close()}. Off the loops.
     */
    public void shutdown(java.time.Duration wait) {
        stopRunners(1);
        List<java.util.concurrent.CompletableFuture<Void>> scripts = new ArrayList<>();
        java.util.function.BiConsumer<String, String> send = mail;
        for (VirtualServer vs : virtualServers) {
            if (!vs.notifies().omega()) {
                continue;
            }
            for (RealServer rs : vs.realServers()) {
                if (isAlive(vs, rs)) {
                    CheckLog.shuttingDown(vs, rs);
                    scripts.add(runNotify(of(vs, rs), "notify_down", rs.notifyDown()));
                    if (send != null && rs.smtpAlert()) {
                        send.accept(CheckMail.realServerSubject(vs, rs, false), "=> Shutting down <=");
                    }
                }
            }
            if (hasQuorum(vs)) {
                scripts.add(runNotify("VS " + vs.text(), "quorum_down", vs.notifies().quorumDown()));
                if (send != null && vs.smtpAlert()) {
                    send.accept(CheckMail.virtualServerSubject(vs, false), "=> Shutting down <=");
                }
            }
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(scripts.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            CheckLog.omegaUnfinished(wait, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops every check, each run in progress ending without a verdict, waiting up to {@code seconds} for each. */
    private void stopRunners(long seconds) {
        for (CheckRunner r : runners.values()) {
            r.stop().awaitUninterruptibly(seconds, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        runners.values().forEach(CheckRunner::stop);
        files.close();
        if (pinger != null) {
            pinger.close();
        }
        if (scriptRunner != null) {
            scriptRunner.close();
        }
    }
}
