package appliance.vrrp;

import appliance.script.ScriptUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_script counting (vrrp_script_child_thread) and track_script weights (process_script_update_priority). */
class TrackScriptTest {

    private static VrrpScript script(int weight, int rise, int fall, boolean initFail) {
        return new VrrpScript("chk", "/bin/true", Duration.ofSeconds(1), Optional.empty(), weight, false, rise, fall,
                Optional.empty(), initFail);
    }

    @Test
    void theFirstResultAloneDecidesThenRiseAndFallCountInARow() {
        ScriptResults r = new ScriptResults(script(-20, 3, 2, false));
        assertFalse(r.isKnown());
        assertTrue(r.record(true), "one success is enough at start, whatever rise says");
        assertTrue(r.isGood());
        assertFalse(r.record(false), "fall 2: one failure is not enough");
        assertTrue(r.isGood());
        assertFalse(r.record(true), "a success in between starts the fall count again");
        assertFalse(r.record(false));
        assertTrue(r.record(false), "the second failure in a row");
        assertFalse(r.isGood());
        assertFalse(r.record(true));
        assertFalse(r.record(true));
        assertFalse(r.record(false), "a failure starts the rise count again");
        assertFalse(r.record(true));
        assertFalse(r.record(true));
        assertTrue(r.record(true), "rise 3: the third success in a row");
        assertTrue(r.isGood());
    }

    @Test
    void aFirstFailureIsBadAtOnceAndInitFailStartsBad() {
        ScriptResults r = new ScriptResults(script(0, 1, 5, false));
        assertTrue(r.record(false), "fall does not apply to the first result");
        assertFalse(r.isGood());
        ScriptResults init = new ScriptResults(script(0, 2, 1, true));
        assertTrue(init.isKnown());
        assertFalse(init.isGood());
        assertFalse(init.record(true), "init-fail: rise counts from the start");
        assertTrue(init.record(true));
    }

    @Test
    void weightsFollowKeepalivedSignsAndReverse() {
        VrrpScript minus = script(-20, 1, 1, false);
        VrrpScript plus = script(10, 1, 1, false);
        TrackedScript t = TrackedScript.named("chk");
        assertEquals(0, t.weightWhen(minus, true));
        assertEquals(-20, t.weightWhen(minus, false));
        assertEquals(10, t.weightWhen(plus, true));
        assertEquals(0, t.weightWhen(plus, false));
        TrackedScript override = new TrackedScript("chk", Optional.of(30), false);
        assertEquals(30, override.weightWhen(minus, true), "the instance's weight wins over the script's");
        TrackedScript reverse = new TrackedScript("chk", Optional.of(30), true);
        assertEquals(-30, reverse.weightWhen(minus, true));
        assertEquals(0, reverse.weightWhen(minus, false));
        TrackedScript reverseNegative = new TrackedScript("chk", Optional.of(-30), true);
        assertEquals(30, reverseNegative.weightWhen(minus, false));
        VrrpScript zero = script(0, 1, 1, false);
        assertTrue(t.faultWhen(zero, false));
        assertFalse(t.faultWhen(zero, true));
        assertFalse(t.faultWhen(minus, false), "a weighted script never faults");
        assertTrue(new TrackedScript("chk", Optional.of(0), true).faultWhen(zero, true), "weight 0 reverse: good is FAULT");
    }

    @Test
    void badDefinitionsAreRefusedWithTheirReason() {
        assertThrows(IllegalArgumentException.class, () -> script(254, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> script(0, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new VrrpScript("chk", "relative/x", Duration.ofSeconds(1),
                Optional.empty(), 0, false, 1, 1, Optional.empty(), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VrrpScript("chk", "/bin/true",
                Duration.ofMillis(1), Optional.empty(), 0, false, 1, 1, Optional.empty(), false));
        assertTrue(e.getMessage().contains("interval"), e.getMessage());
        assertEquals(new ScriptUser("nobody", Optional.of("nogroup")), ScriptUser.parse("nobody nogroup"));
        assertThrows(IllegalArgumentException.class, () -> ScriptUser.parse("a b c"));
    }
}
