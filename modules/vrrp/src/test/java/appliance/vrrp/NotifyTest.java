package appliance.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A notify command line split as keepalived splits it, and refused as it refuses it. */
class NotifyTest {

    @Test
    void blanksSeparateQuotesAndBackslashesKeepThemTogether() {
        assertEquals(List.of("/usr/local/bin/master.sh", "a", "two words", "it's", "x y"),
                Notify.split("  /usr/local/bin/master.sh a 'two words' \"it's\" x\\ y "));
    }

    @Test
    void badCommandsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Notify.split("master.sh"))
                .getMessage().contains("absolute path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Notify.split("/bin/x 'open"))
                .getMessage().contains("unclosed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Notify.split("   "))
                .getMessage().contains("empty"));
    }

    @Test
    void eachStateHasItsScript() {
        Notify n = new Notify(Optional.of("/m"), Optional.of("/b"), Optional.of("/f"), Optional.of("/s"), Optional.empty());
        assertEquals(Optional.of("/m"), n.forState(VrrpState.MASTER));
        assertEquals(Optional.of("/f"), n.forState(VrrpState.FAULT));
        assertEquals(Optional.empty(), n.forState(VrrpState.INITIALIZE));
        assertTrue(Notify.NONE.isEmpty() && !n.isEmpty());
    }
}
