package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.ApplianceNode;
import appliance.lab.Agreement;
import appliance.lab.Lab;
import appliance.lab.PacketInjector;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RFC 3768/5798 section 7.1 on the wire: a client injects packets that would each take
 * mastership if accepted (priority 254). Both nodes must drop every one, count it under its
 * reason, and change nothing.
 */
@LabTest
class MalformedPacketDropTest {

    static final int PER_KIND = 10;
    static final Map<PacketInjector.Kind, String> REASONS = Map.of(
            PacketInjector.Kind.TTL, "TTL_NOT_255",
            PacketInjector.Kind.CHECKSUM, "BAD_CHECKSUM",
            PacketInjector.Kind.AUTH, "AUTH_MISMATCH",
            PacketInjector.Kind.INTERVAL, "ADVERT_INTERVAL_MISMATCH",
            PacketInjector.Kind.VERSION, "UNSUPPORTED_VERSION",
            PacketInjector.Kind.LENGTH, "BAD_LENGTH",
            PacketInjector.Kind.VRID, "UNKNOWN_VRID",
            PacketInjector.Kind.MALFORMED, "MALFORMED");

    @Test
    void badPacketsOnTheWireAreDroppedCountedAndChangeNothing() {
        VirtualRouterSpec spec = VirtualRouterSpec.v2(Duration.ofSeconds(1)).withAuthPassword("secret12");
        try (Lab lab = Lab.create(2)) {
            VrrpNode master = ApplianceNode.start(lab, lab.node(1), spec.withPriority(150));
            VrrpNode backup = ApplianceNode.start(lab, lab.node(2), spec.withPriority(100));
            Agreement.await(SETTLE, master, backup);
            int masterMark = master.process().mark();
            int backupMark = backup.process().mark();

            Path home = ApplianceNode.home();
            String classpath = home.resolve("modules/lab/target/lab.jar") + ":" + home.resolve("modules/lab/target/lib/*");
            for (PacketInjector.Kind kind : PacketInjector.Kind.values()) {
                String out = lab.exec(lab.client().namespace(), "java", "-cp", classpath, PacketInjector.class.getName(),
                        kind.name().toLowerCase(Locale.ROOT), String.valueOf(PER_KIND),
                        String.valueOf(spec.vrid()), lab.client().address(), "secret12");
                assertTrue(out.contains("sent " + PER_KIND), out);
            }
            for (VrrpNode node : List.of(master, backup)) {
                int mark = node == master ? masterMark : backupMark;
                for (String reason : REASONS.values()) {
                    var line = node.process().awaitLine(mark, Pattern.compile("dropped: " + reason + " .*\\("
                            + PER_KIND + " dropped for this reason\\)"), Duration.ofSeconds(10));
                    System.out.printf("%s: %s%n", node.name(), line.text());
                }
            }
            // Nothing changed: no transition on either node, the address where it was.
            Lab.pause(Duration.ofSeconds(4));
            for (VrrpNode node : List.of(master, backup)) {
                int mark = node == master ? masterMark : backupMark;
                long transitions = node.process().lines().stream().skip(mark)
                        .filter(l -> l.text().contains("Entering")).count();
                assertEquals(0, transitions, node.describe());
            }
            assertTrue(master.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), master.describe());
            assertFalse(backup.addresses().contains(VirtualRouterSpec.DEFAULT_VIP), backup.describe());
        }
    }
}
