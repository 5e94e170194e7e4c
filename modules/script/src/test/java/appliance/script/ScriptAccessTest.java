package appliance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import appliance.nativeio.Accounts;
import appliance.script.ScriptUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's check_script_secure, as errors: run as root here, so that ownership can be set up. */
class ScriptAccessTest {

    @TempDir
    Path dir;

    @BeforeEach
    void root() {
        assumeTrue(Accounts.uid() == 0, "needs root to own files as root and as others");
    }

    private Path script(String perms) throws Exception {
        Path p = dir.resolve("check.sh");
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void aRootOwnedScriptInRootOwnedDirectoriesRunsAsRoot() throws Exception {
        Path s = script("rwxr-xr-x");
        PreparedScript p = new ScriptAccess(Optional.empty(), true).prepare(List.of(s.toString(), "arg"), Optional.empty());
        assertEquals(List.of(s.toString(), "arg"), p.arguments());
        assertEquals(0, p.uid());
    }

    @Test
    void aScriptWritableByOthersIsRefusedUnderScriptSecurityOnly() throws Exception {
        Path s = script("rwxrwxrwx");
        ScriptAccess.ScriptException e = assertThrows(ScriptAccess.ScriptException.class,
                () -> new ScriptAccess(Optional.empty(), true).prepare(List.of(s.toString()), Optional.empty()));
        assertTrue(e.getMessage().contains(s + " is writable by everyone"), e.getMessage());
        assertTrue(e.getMessage().contains("enable-script-security"), e.getMessage());
        new ScriptAccess(Optional.empty(), false).prepare(List.of(s.toString()), Optional.empty());
    }

    @Test
    void aScriptOwnedByAnotherUserOrInADirectoryAnotherUserOwnsIsRefused() throws Exception {
        Path s = script("rwxr-xr-x");
        int nobody = Accounts.user("nobody").orElseThrow().uid();
        Files.setAttribute(dir, "unix:uid", nobody);
        ScriptAccess.ScriptException e = assertThrows(ScriptAccess.ScriptException.class,
                () -> new ScriptAccess(Optional.empty(), true).prepare(List.of(s.toString()), Optional.empty()));
        assertTrue(e.getMessage().contains(dir + " is owned by uid " + nobody), e.getMessage());
    }

    @Test
    void missingNotExecutableAndUnknownUsersAreNamed() throws Exception {
        ScriptAccess a = new ScriptAccess(Optional.empty(), true);
        assertTrue(assertThrows(ScriptAccess.ScriptException.class,
                () -> a.prepare(List.of(dir.resolve("gone.sh").toString()), Optional.empty())).getMessage()
                .contains("does not exist"));
        Path s = script("rw-r--r--");
        assertTrue(assertThrows(ScriptAccess.ScriptException.class,
                () -> a.prepare(List.of(s.toString()), Optional.empty())).getMessage().contains("not executable"));
        assertTrue(assertThrows(ScriptAccess.ScriptException.class,
                () -> a.prepare(List.of(s.toString()), Optional.of(ScriptUser.parse("no-such-user-x")))).getMessage()
                .contains("user no-such-user-x does not exist"));
    }

    @Test
    void anotherUserNeedsToBeAbleToExecuteTheScriptAndABareNameIsFoundOnPath() throws Exception {
        Path s = script("rwx------");
        assertThrows(ScriptAccess.ScriptException.class,
                () -> new ScriptAccess(Optional.empty(), true).prepare(List.of(s.toString()), Optional.of(ScriptUser.parse("nobody"))));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        PreparedScript p = new ScriptAccess(Optional.empty(), true).prepare(List.of(s.toString()), Optional.of(ScriptUser.parse("nobody")));
        assertTrue(p.asOther());
        assertEquals(Accounts.user("nobody").orElseThrow().uid(), p.uid());
        PreparedScript path = new ScriptAccess(Optional.empty(), false).prepare(List.of("true"), Optional.empty());
        assertTrue(path.program().endsWith("/true") && path.program().startsWith("/"), path.program());
    }
}
