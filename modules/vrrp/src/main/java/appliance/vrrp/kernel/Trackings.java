package appliance.vrrp.kernel;

import appliance.vrrp.VirtualRouter;
import io.netty.channel.IoEventLoop;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What every tracker (interfaces, files, scripts, processes) keeps: the routers that track
 * things of its kind, each with its list and its loop, and how to bring one router up to date;
 * a change is applied on the loop of each router that tracks what changed.
 */
final class Trackings<T> {

    /** One tracking router, driven on its loop. */
    record Tracking<T>(VirtualRouter router, IoEventLoop loop, List<T> tracked) {
    }

    /** Read by the trackers' threads; a reload adds and removes routers. */
    private final List<Tracking<T>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<Tracking<T>> apply;

    /** @param apply brings a router's weights and faults up to date; runs on its loop */
    Trackings(Consumer<Tracking<T>> apply) {
        this.apply = apply;
    }

    /** Off the loops: at start, or when a reload adds an instance. */
    void add(VirtualRouter router, IoEventLoop loop, List<T> tracked) {
        if (!tracked.isEmpty()) {
            all.add(new Tracking<>(router, loop, List.copyOf(tracked)));
        }
    }

    /** A reload removed the instance: it hears of nothing any more. */
    void remove(VirtualRouter router) {
        all.removeIf(t -> t.router() == router);
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** Everything tracked, by all routers (a thing tracked by several appears as often). */
    Stream<T> tracked() {
        return all.stream().flatMap(t -> t.tracked().stream());
    }

    /** On a router's loop, before its startup: its weights and faults from the state at start. */
    void applyTo(VirtualRouter router) {
        for (Tracking<T> t : all) {
            if (t.router() == router) {
                apply.accept(t);
            }
        }
    }

    /** Something {@code concerns} picks changed: each router tracking it is brought up to date on its loop. */
    void changed(Predicate<T> concerns) {
        for (Tracking<T> t : all) {
            if (t.tracked().stream().anyMatch(concerns)) {
                t.loop().execute(() -> apply.accept(t));
            }
        }
    }
}
