package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeExceptionTest {

    @Test
    void messageNamesTheCallTheTextAndTheErrno() {
        NativeException e = new NativeException("socket(AF_INET, SOCK_RAW, 112)", Errno.EPERM);
        assertEquals("socket(AF_INET, SOCK_RAW, 112): Operation not permitted (EPERM)", e.getMessage());
        assertEquals("socket(AF_INET, SOCK_RAW, 112)", e.call());
        assertEquals(1, e.errno());
    }

    @Test
    void permissionDeniedIsEpermOrEacces() {
        assertTrue(new NativeException("x", Errno.EPERM).isPermissionDenied());
        assertTrue(new NativeException("x", Errno.EACCES).isPermissionDenied());
        assertFalse(new NativeException("x", Errno.ENODEV).isPermissionDenied());
    }

    @Test
    void noSuchDeviceIsEnodev() {
        assertTrue(new NativeException("x", Errno.ENODEV).isNoSuchDevice());
        assertFalse(new NativeException("x", Errno.EEXIST).isNoSuchDevice());
    }

    @Test
    void unnamedErrnoStillGetsLibcText() {
        // EDOM is not in our table of names; libc still describes it.
        assertEquals("f: Numerical argument out of domain (errno 33)", new NativeException("f", 33).getMessage());
    }
}
