package appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the effective capabilities of this process, so that missing ones are named before anything starts. */
final class Privileges {

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;

    private Privileges() {
    }

    /** The capabilities VRRP needs that this process lacks, by name; empty when all are there. */
    static List<String> missingForVrrp() throws IOException {
        return missing(Files.readString(Path.of("/proc/self/status")));
    }

    static List<String> missing(String procStatus) {
        long effective = effectiveCapabilities(procStatus);
        List<String> missing = new ArrayList<>();
        if ((effective & (1L << CAP_NET_RAW)) == 0) {
            missing.add("CAP_NET_RAW (raw VRRP and ARP sockets)");
        }
        if ((effective & (1L << CAP_NET_ADMIN)) == 0) {
            missing.add("CAP_NET_ADMIN (adding and removing virtual addresses)");
        }
        return missing;
    }

    static long effectiveCapabilities(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        throw new IllegalArgumentException("no CapEff line in /proc/self/status");
    }
}
