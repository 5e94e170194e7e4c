package appliance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UrlCursorTest {

    @Test
    void aCycleCompletesWhenEveryUrlPassedInTurn() {
        UrlCursor c = new UrlCursor(3);
        assertEquals(0, c.current());
        assertFalse(c.passed());
        assertEquals(1, c.current());
        assertFalse(c.passed());
        assertTrue(c.passed(), "the third of three");
        assertEquals(0, c.current());
    }

    @Test
    void aFailedUrlIsAskedForAgainThenTheCycleStartsOver() {
        UrlCursor c = new UrlCursor(3);
        c.passed();
        c.failed();
        assertEquals(1, c.current());
        c.failed();
        assertEquals(1, c.current(), "asked for again");
        assertFalse(c.passed(), "its pass does not complete a cycle");
        assertEquals(0, c.current(), "all are checked again from the first");
        c.passed();
        c.passed();
        assertTrue(c.passed());
    }
}
