package appliance.config.keepalived;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One keepalived.conf block's keyword table: what each keyword we implement becomes in the HOCON
 * model, the 1.x spellings still accepted (with a warning), and every other keyword keepalived
 * 2.2.7 knows in this block, refused as "not supported yet" rather than called unknown.
 */
final class Keywords<T> {

    interface Handler<T> {
        void apply(Node n, T target);
    }

    private record Entry<T>(Handler<T> handler, boolean block) {
    }

    private final String block;
    private final Map<String, Entry<T>> entries = new LinkedHashMap<>();
    private final Map<String, String> deprecated = new LinkedHashMap<>();
    private final Set<String> keepalivedHas;
    /**
     * Every table's keepalived keywords, to tell a misplaced keyword from an unknown one. The
     * tables are the same in every translation and all are built before any is used.
     */
    private static final Map<String, Set<String>> BLOCKS_OF = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code keepalivedHas}: keepalived 2.2.7's keywords in this block, blank-separated. */
    Keywords(String block, String keepalivedHas) {
        this.block = block;
        this.keepalivedHas = Set.copyOf(Arrays.asList(keepalivedHas.trim().split("\\s+")));
        for (String k : this.keepalivedHas) {
            BLOCKS_OF.computeIfAbsent(k, x -> new java.util.concurrent.ConcurrentSkipListSet<>()).add(block);
        }
    }

    /** The blocks where keepalived has this keyword (empty when none). */
    static Set<String> blocksOf(String keyword) {
        return BLOCKS_OF.getOrDefault(keyword, Set.of());
    }

    /** A keyword written on one line. */
    Keywords<T> leaf(String keyword, Handler<T> handler) {
        entries.put(keyword, new Entry<>(handler, false));
        return this;
    }

    /** A keyword that opens a block ({@code keyword [args] { ... }}). */
    Keywords<T> block(String keyword, Handler<T> handler) {
        entries.put(keyword, new Entry<>(handler, true));
        return this;
    }

    /** A 1.x (or otherwise older) spelling, read as {@code current} with a deprecation warning. */
    Keywords<T> deprecated(String old, String current) {
        deprecated.put(old, current);
        return this;
    }

    boolean knows(String keyword) {
        return entries.containsKey(keyword) || deprecated.containsKey(keyword);
    }

    void translate(List<Node> nodes, T target, Args args) {
        for (Node n : nodes) {
            translate(n, target, args);
        }
    }

    void translate(Node n, T target, Args args) {
        String keyword = n.keyword();
        if (deprecated.containsKey(keyword)) {
            args.warning(n, keyword + " is a keepalived 1.x spelling, read as " + deprecated.get(keyword)
                    + "; write " + deprecated.get(keyword));
            keyword = deprecated.get(keyword);
        }
        Entry<T> e = entries.get(keyword);
        if (e == null) {
            if (keepalivedHas.contains(keyword)) {
                args.error(n, keyword + " in " + block + " is a keepalived keyword this appliance does not"
                        + " support yet");
            } else if (BLOCKS_OF.containsKey(keyword)) {
                args.error(n, keyword + " does not belong in " + block + "; it is a keyword of "
                        + String.join(", ", BLOCKS_OF.get(keyword)));
            } else {
                String near = nearest(keyword);
                args.error(n, "unknown keyword in " + block + (near == null ? "" : " (did you mean " + near + "?)"));
            }
            return;
        }
        if (e.block() && !n.isBlock()) {
            args.error(n, "needs a block: " + keyword + (n.args().isEmpty() ? "" : " " + n.joined()) + " { ... }");
            return;
        }
        if (!e.block() && n.isBlock()) {
            args.error(n, "takes no block { ... }");
            return;
        }
        e.handler().apply(n, target);
    }

    private String nearest(String keyword) {
        Set<String> all = new TreeSet<>(entries.keySet());
        all.addAll(keepalivedHas);
        return appliance.config.Suggestions.nearest(keyword, all);
    }
}
