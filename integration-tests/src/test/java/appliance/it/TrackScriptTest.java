package appliance.it;

import static appliance.it.Subject.SETTLE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.lab.AdvertCapture;
import appliance.lab.Agreement;
import appliance.lab.Host;
import appliance.lab.Lab;
import appliance.lab.NodeKind;
import appliance.lab.NodeProcess;
import appliance.lab.VirtualRouterSpec;
import appliance.lab.VrrpNode;
import appliance.lab.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: track-script as keepalived's vrrp_script/track_script, against keepalived
 * 2.2.7 doing the same. A script that starts failing lowers the priority after {@code fall} runs
 * and the address moves to the peer within interval × fall + Master_Down_Interval; it comes back
 * after {@code rise}; when keepalived's own script fails the address comes back too. A script that
 * hangs is killed with its children at its timeout (a failure) while the adverts stay on time.
 */
@LabTest
class TrackScriptTest {

    private static final VirtualRouterSpec SPEC = VirtualRouterSpec.v3(Duration.ofMillis(100));
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** A check that succeeds while its flag file says ok. */
    private static Path check(Lab lab, String name, Path flag) throws Exception {
        Path script = lab.workDir().resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$(cat " + flag + ")\" = ok ]\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(flag, "ok\n");
        return script;
    }

    @Test
    void bothSidesTrackScriptsWithWeightsAndTheAddressFollowsTheHealthierNode() throws Exception {
        try (Lab lab = Lab.create(2)) {
            Host n1 = lab.node(1);
            Path flag1 = lab.workDir().resolve("n1-flag");
            Path flag2 = lab.workDir().resolve("n2-flag");
            Path check1 = check(lab, "n1-check", flag1);
            Path check2 = check(lab, "n2-check", flag2);
            VrrpNode app = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withBlock("global { enable-script-security = true }\nvrrp.scripts { chk { script = \"" + check1
                            + "\", interval = 1s, weight = -60, rise = 2, fall = 2 } }", null)
                    .withOption("track-script = [chk]", null));
            VrrpNode kad = NodeKind.KEEPALIVED.start(lab, lab.node(2), SPEC.withPriority(120)
                    .withBlock(null, "vrrp_script chk {\n  script \"" + check2 + "\"\n  interval 1\n  weight -60\n}")
                    .withOption(null, "track_script {\n    chk\n  }"));
            System.out.println(Agreement.await(SETTLE, app, kad));

            // The appliance's check fails: after fall (2) runs it advertises 90 < 120 and keepalived preempts.
            Instant failed = Instant.now();
            Files.writeString(flag1, "down\n");
            VrrpNode.StateChange k = kad.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            Duration took = Duration.between(failed, kad.loggedAt(k.line()));
            Duration bound = INTERVAL.multipliedBy(2).plus(SPEC.masterDownInterval()).plus(INTERVAL);
            System.out.printf("appliance's script fails: keepalived MASTER after %d ms (bound %d ms)%n",
                    took.toMillis(), bound.toMillis());
            assertTrue(took.compareTo(bound) <= 0, took + " > " + bound);
            System.out.println(Agreement.await(SETTLE, kad, app));
            assertTrue(app.process().lines().stream().anyMatch(l -> l.text().contains("Changing effective priority from 150 to 90")),
                    app.process().tail(20));

            // Good again: after rise (2) runs 150 > 120, and the appliance preempts.
            Instant healed = Instant.now();
            Files.writeString(flag1, "ok\n");
            VrrpNode.StateChange a = app.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            Duration back = Duration.between(healed, app.loggedAt(a.line()));
            System.out.printf("appliance's script good again: appliance MASTER after %d ms%n", back.toMillis());
            assertTrue(back.compareTo(INTERVAL.multipliedBy(3).plus(Duration.ofMillis(500))) <= 0, back.toString());
            System.out.println(Agreement.await(SETTLE, app, kad));

            // The reverse: keepalived master (the appliance's check failing, 90), then keepalived's own
            // check fails (120 - 60 = 60 < 90) and the appliance takes the address back.
            Files.writeString(flag1, "down\n");
            kad.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            System.out.println(Agreement.await(SETTLE, kad, app));
            Instant kFailed = Instant.now();
            Files.writeString(flag2, "down\n");
            VrrpNode.StateChange a2 = app.awaitState(VrrpState.MASTER, Duration.ofSeconds(10));
            // keepalived's next run (interval 1 s, fall 1), its next advert at 60, then the
            // appliance's Master_Down_Interval, since a backup that may preempt ignores a lower master.
            Bound reverse = Bound.atMost("keepalived's script interval + one advert + Master_Down_Interval",
                    INTERVAL.plus(SPEC.advertInterval()).plus(SPEC.masterDownInterval()));
            Duration reverseTook = Duration.between(kFailed, app.loggedAt(a2.line()));
            System.out.println("keepalived's script fails: appliance MASTER after " + reverse.show(reverseTook));
            reverse.check("appliance takeover after keepalived's script failed", reverseTook);
            System.out.println(Agreement.await(SETTLE, app, kad));
        }
    }

    @Test
    void aHungScriptIsKilledWithItsChildrenAtItsTimeoutWhileTheAdvertsStayOnTime() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            Path pids = lab.workDir().resolve("hung-pids");
            Path script = lab.workDir().resolve("hang.sh");
            // A child that ignores SIGTERM, and the script waiting on it: only the group's SIGKILL ends both.
            Files.writeString(script, "#!/bin/sh\nsh -c 'trap \"\" TERM; echo $$ >> " + pids
                    + "; while :; do sleep 0.05; done' &\necho $$ >> " + pids + "\nwait\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            VrrpNode node = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withBlock("vrrp.scripts { hang { script = \"" + script
                            + "\", interval = 1s, timeout = 300ms, weight = -50 } }", null)
                    .withOption("track-script = [hang]", null));
            node.awaitState(VrrpState.MASTER, SETTLE);
            try (AdvertCapture capture = AdvertCapture.start(lab, lab.client(), n1, Duration.ofSeconds(10))) {
                capture.awaitNextAdvert(Duration.ofSeconds(5));
                Lab.pause(Duration.ofSeconds(4));
                List<Instant> adverts = capture.adverts();
                long worst = 0;
                for (int i = 1; i < adverts.size(); i++) {
                    worst = Math.max(worst, Duration.between(adverts.get(i - 1), adverts.get(i)).toMillis());
                }
                System.out.printf("%d adverts in 4 s while the script hangs and is killed each second; largest gap %d ms%n",
                        adverts.size(), worst);
                assertTrue(worst <= 130, "an advert came " + worst + " ms after the one before");
                assertTrue(adverts.size() >= 38, adverts.size() + " adverts in 4 s at 100 ms");
            }
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("VRRP_Script(hang) timed_out")),
                    node.process().tail(20));
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("Changing effective priority from 150 to 100")),
                    node.process().tail(20));
            node.stop(Duration.ofSeconds(10));
            Lab.pause(Duration.ofMillis(300));
            List<Long> started = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
            assertTrue(started.size() >= 6, "runs: " + started);
            for (long pid : started) {
                assertFalse(running(pid),
                        "script process " + pid + " was left running");
            }
            System.out.println(String.join("\n", node.process().lines().stream().map(NodeProcess.Line::text)
                    .filter(l -> l.contains("Script") || l.contains("priority")).limit(8).toList()));
        }
    }

    @Test
    void aScriptMissingOnThisMachineIsAFailingTrackerAndAMissingNotifyScriptALogLineNeverARefusal() throws Exception {
        try (Lab lab = Lab.create(1)) {
            Host n1 = lab.node(1);
            Path missing = lab.workDir().resolve("not-deployed-yet.sh");
            VrrpNode node = NodeKind.APPLIANCE.start(lab, n1, SPEC.withPriority(150)
                    .withBlock("vrrp.scripts { chk { script = \"" + missing + "\", interval = 1s } }", null)
                    .withOption("track-script = [chk]", null)
                    .withOption("notify-master = \"" + missing + " master\"", null));
            node.awaitState(VrrpState.FAULT, SETTLE);
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("VRRP_Script(chk) cannot run: "
                    + missing + " does not exist")), node.process().tail(20));
            assertTrue(node.process().lines().stream().anyMatch(l -> l.text().contains("notify script \"" + missing
                    + " master\" cannot run")), node.process().tail(20));
        }
    }

    /** Alive and not a zombie: a killed orphan stays a zombie until init reaps it, which is not ours to wait for. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
