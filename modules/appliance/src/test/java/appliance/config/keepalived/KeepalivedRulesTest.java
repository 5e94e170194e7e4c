package appliance.config.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** One broken keepalived.conf per rule, each with the exact errors expected (line, where, message). */
class KeepalivedRulesTest {

    @TempDir
    Path dir;

    static final String VALID = "vrrp_instance VI_1 {\n   interface lo\n   virtual_router_id 51\n"
            + "   virtual_ipaddress {\n      10.99.0.100/24\n   }\n}\n";

    record Case(String rule, String text, List<String> errors) {
    }

    static final List<Case> CASES = List.of(
            new Case("an unknown keyword, with the nearest one", VALID.replace("   interface lo\n",
                    "   interface lo\n   prority 100\n"),
                    List.of("3: prority: unknown keyword in vrrp_instance (did you mean priority?)")),
            new Case("a keyword of another block", VALID.replace("   interface lo\n", "   interface lo\n   lb_algo rr\n"),
                    List.of("3: lb_algo: lb_algo does not belong in vrrp_instance; it is a keyword of virtual_server")),
            new Case("a required value missing", VALID.replace("   virtual_router_id 51\n", ""),
                    List.of("1: vrrp_instance VI_1: virtual_router_id: missing")),
            new Case("a number out of range", VALID.replace("   interface lo\n", "   interface lo\n   priority 300\n"),
                    List.of("3: vrrp_instance VI_1: priority: priority must be 1..255, got 300")),
            new Case("a value that is not a number", VALID.replace("   interface lo\n",
                    "   interface lo\n   advert_int fast\n"),
                    List.of("3: advert_int: \"fast\" is not a number of seconds")),
            new Case("two instances with one VRID on one interface and family", VALID + VALID.replace("VI_1", "VI_2")
                    .replace("10.99.0.100", "10.99.0.101"),
                    List.of("10: vrrp_instance VI_2: virtual_router_id: virtual_router_id 51 on lo (IPv4) is already used"
                            + " by instance VI_1")),
            new Case("a track_script that names no vrrp_script", "vrrp_script chk_web {\n   script /bin/true\n}\n"
                    + VALID.replace("   interface lo\n", "   interface lo\n   track_script {\n      chk_wbe\n   }\n"),
                    List.of("7: vrrp_instance VI_1: track_script[0]: names no script in the vrrp_script blocks: chk_wbe"
                            + " (did you mean chk_web?)")),
            new Case("a sync group that names no instance", VALID + "vrrp_sync_group G {\n   group {\n      VI_1\n"
                    + "      VI_9\n   }\n}\n",
                    List.of("11: vrrp_sync_group G: group[1]: names no instance in the vrrp_instance blocks: VI_9 (did you"
                            + " mean VI_1?)")),
            new Case("a keyword keepalived has and this appliance not yet", VALID.replace("   interface lo\n",
                    "   interface lo\n   dont_track_primary\n"),
                    List.of("3: dont_track_primary: dont_track_primary in vrrp_instance is a keepalived keyword this"
                            + " appliance does not support yet")),
            new Case("a block keyword without its block", VALID.replace("   virtual_ipaddress {\n      10.99.0.100/24\n   }\n",
                    "   virtual_ipaddress 10.99.0.100/24\n"),
                    List.of("1: vrrp_instance VI_1: virtual_ipaddress: missing (the addresses this instance moves)",
                            "4: virtual_ipaddress: needs a block: virtual_ipaddress 10.99.0.100/24 { ... }")),
            new Case("a block not closed", VALID.substring(0, VALID.length() - 2),
                    List.of("1: vrrp_instance: the block opened here is not closed (a \"}\" is missing)")),
            new Case("a brace too many", VALID + "}\n", List.of("8: a \"}\" that closes no block")),
            new Case("a script command with arguments not quoted", VALID.replace("   interface lo\n",
                    "   interface lo\n   notify_master /bin/notify master\n"),
                    List.of("3: notify_master: running a notify script as its own user (\"master\") is a keepalived"
                            + " option this appliance does not support yet; notify scripts run as global_defs'"
                            + " script_user. A command with arguments is one quoted word: notify_master \"/bin/notify"
                            + " master\"")),
            new Case("every error of the file in one run", VALID.replace("   interface lo\n",
                    "   interface lo\n   prority 100\n   advert_int x\n") + "virtual_serve 10.0.0.1 80 {\n}\n",
                    List.of("3: prority: unknown keyword in vrrp_instance (did you mean priority?)",
                            "4: advert_int: \"x\" is not a number of seconds",
                            "10: virtual_serve: unknown keyword at the top level (did you mean virtual_server?)")));

    @TestFactory
    Stream<DynamicTest> eachRuleHasItsExactError() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.rule(), () -> {
            Path f = dir.resolve(c.rule().replaceAll("\\W+", "-") + ".conf");
            Files.writeString(f, c.text());
            List<String> actual;
            try {
                KeepalivedConfigReader.read(f, "node1");
                actual = List.of();
            } catch (ConfigException e) {
                actual = e.problems().stream().map(p -> located(f, p)).collect(Collectors.toList());
            }
            assertEquals(c.errors(), actual, c.text());
        }));
    }

    private static String located(Path f, ConfigProblem p) {
        assertEquals(f.toString(), p.file());
        return p.line() + ": " + (p.path() == null ? "" : p.path() + ": ") + p.message();
    }
}
