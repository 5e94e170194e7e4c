package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Drops a capability from the calling thread only (Linux capabilities are per thread). */
final class Capabilities {

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;

    private Capabilities() {
    }

    /** Removes {@code capability} from this thread's effective set; use on a thread that then dies. */
    static void dropFromThisThread(int capability) {
        int[] header = {TestLibC.LINUX_CAPABILITY_VERSION_3, 0};
        int[] data = new int[6]; // {effective, permitted, inheritable} x 2 words
        assertEquals(0, TestLibC.INSTANCE.capget(header, data), "capget");
        data[0] &= ~(1 << capability);
        assertEquals(0, TestLibC.INSTANCE.capset(header, data), "capset");
    }
}
