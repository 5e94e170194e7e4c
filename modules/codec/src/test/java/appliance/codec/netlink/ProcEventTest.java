package appliance.codec.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The process connector's events: round trips, the subscription's ack skipped, and bad lengths refused. */
class ProcEventTest {

    static final List<ProcEvent> EVENTS = List.of(new ProcEvent(ProcEvent.Kind.EXEC, 4242, 4242, ""),
            new ProcEvent(ProcEvent.Kind.EXIT, 4243, 4242, ""), new ProcEvent(ProcEvent.Kind.FORK, 5000, 5000, ""),
            new ProcEvent(ProcEvent.Kind.COMM, 77, 77, "haproxy"), new ProcEvent(ProcEvent.Kind.OTHER, 0, 0, ""));

    @Test
    void eachEventRoundTrips() throws Exception {
        for (ProcEvent e : EVENTS) {
            byte[] b = e.encode(7);
            assertEquals(List.of(e), ProcEvent.decode(b, b.length), e.toString());
        }
    }

    @Test
    void theSubscriptionsAcknowledgementIsNoEventAndTwoMessagesInADatagramAreTwoEvents() throws Exception {
        // The kernel acknowledges a subscription with a proc_event of what 0 (PROC_EVENT_NONE).
        byte[] ack = EVENTS.get(0).encode(1);
        java.nio.ByteBuffer.wrap(ack).order(java.nio.ByteOrder.nativeOrder()).putInt(36, 0);
        assertEquals(List.of(), ProcEvent.decode(ack, ack.length));
        byte[] request = ProcEvent.subscription(true, 1, 0);
        assertEquals(List.of(), ProcEvent.decode(request, request.length), "too short for an event");
        byte[] a = EVENTS.get(0).encode(1);
        byte[] b = EVENTS.get(3).encode(2);
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals(List.of(EVENTS.get(0), EVENTS.get(3)), ProcEvent.decode(both, both.length));
    }

    @Test
    void truncatedOrOverlongMessagesAreRefusedNeverThrownOtherwise() {
        byte[] b = EVENTS.get(3).encode(1);
        assertThrows(NetlinkDecodeException.class, () -> ProcEvent.decode(b, b.length - 1));
        Random random = new Random(5);
        for (int i = 0; i < 20000; i++) {
            byte[] mutated = EVENTS.get(random.nextInt(EVENTS.size())).encode(i);
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            int length = random.nextInt(mutated.length + 1);
            try {
                ProcEvent.decode(mutated, length);
            } catch (NetlinkDecodeException expected) {
                // refused with a reason: fine
            }
        }
    }
}
