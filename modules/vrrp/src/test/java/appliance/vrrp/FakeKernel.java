package appliance.vrrp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel as {@link AddressInstaller} sees it, for tests: it accepts, refuses with a message,
 * or holds its answers until the test gives them; it keeps which addresses it holds.
 */
final class FakeKernel implements AddressInstaller.Kernel {

    enum Mode { ACCEPT, REFUSE, HOLD }

    record Request(String op, VirtualAddress address, CompletableFuture<Void> answer) {}

    Mode addMode = Mode.ACCEPT;
    Mode removeMode = Mode.ACCEPT;
    String refusal = "Operation not permitted (EPERM)";
    final List<Request> requests = new ArrayList<>();
    final List<VirtualAddress> held = new ArrayList<>();

    @Override
    public CompletableFuture<Void> add(VirtualAddress address) {
        return answer(new Request("add", address, new CompletableFuture<>()), addMode);
    }

    @Override
    public CompletableFuture<Void> remove(VirtualAddress address) {
        return answer(new Request("remove", address, new CompletableFuture<>()), removeMode);
    }

    private CompletableFuture<Void> answer(Request r, Mode mode) {
        requests.add(r);
        switch (mode) {
            case ACCEPT -> accept(r);
            case REFUSE -> r.answer().completeExceptionally(new IOException(refusal));
            case HOLD -> { /* the test answers */ }
        }
        return r.answer();
    }

    void accept(Request r) {
        if (r.op().equals("add")) {
            if (!held.contains(r.address())) {
                held.add(r.address());
            }
        } else {
            held.remove(r.address());
        }
        r.answer().complete(null);
    }

    long count(String op) {
        return requests.stream().filter(r -> r.op().equals(op)).count();
    }

    List<Request> pending() {
        return requests.stream().filter(r -> !r.answer().isDone()).toList();
    }
}
