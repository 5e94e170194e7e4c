package appliance.config.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.check.CheckSpec;
import appliance.check.HttpCheck;
import appliance.check.RealServer;
import appliance.check.TcpCheck;
import appliance.check.VirtualServer;
import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import appliance.vrrp.VirtualRouterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's keywords into the model, and their errors. */
class KeepalivedKeywordsTest {

    @TempDir
    Path dir;

    Path file;

    ApplianceConfig read(String text) throws Exception {
        file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigReader.read(file, "node1").config();
    }

    List<String> problems(String text) throws Exception {
        try {
            read(text);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString)
                    .map(s -> s.substring(s.indexOf(".conf:") + ".conf:".length())).collect(Collectors.toList());
        }
        throw new AssertionError("no problem found");
    }

    @Test
    void anInstanceWithKeepalivedsUnitsAndSpellings() throws Exception {
        ApplianceConfig c = read("""
                global_defs {
                   vrrp_version 3
                   vrrp_garp_master_refresh 60
                }
                vrrp_script chk {
                   script "/bin/true --quiet"
                   interval 2
                   weight -20 reverse
                }
                vrrp_instance VI_1 {
                   state MASTER
                   interface lo
                   virtual_router_id 51
                   advert_int 0.05
                   nopreempt
                   virtual_ipaddress {
                      10.99.0.100/24 dev lo label lo:vip
                      10.99.0.101
                   }
                   track_script {
                      chk weight 10
                   }
                   notify_master "/bin/echo 'now master'"
                }
                """);
        VirtualRouterConfig vi = c.vrrpInstances().get(0);
        assertEquals(3, vi.version().number());
        assertEquals(255, vi.priority(), "keepalived: state MASTER without a priority is the address owner");
        assertEquals(Duration.ofMillis(50), vi.advertInterval());
        assertFalse(vi.preempt());
        assertEquals(Duration.ofSeconds(60), vi.announcements().masterRefresh());
        assertEquals(2, vi.virtualAddresses().size());
        assertEquals("lo:vip", vi.virtualAddresses().get(0).label().orElseThrow());
        assertEquals(10, vi.tracking().scripts().get(0).weight().orElseThrow());
        assertEquals("/bin/echo 'now master'", vi.notifyScripts().master().orElseThrow());
        assertEquals(Duration.ofSeconds(2), c.vrrpGlobals().scripts().get("chk").interval());
        assertTrue(c.vrrpGlobals().scripts().get("chk").reverse());
    }

    @Test
    void aVirtualServerHandsItsKeysDownToItsChecks() throws Exception {
        ApplianceConfig c = read("""
                virtual_server 10.97.0.100 80 {
                   delay_loop 6
                   lb_algo rr
                   lb_kind DR
                   protocol TCP
                   connect_timeout 2.5
                   sorry_server 127.0.0.1 80
                   real_server 10.98.0.16 80 {
                      weight 2
                      retry 4
                      notify_down "/usr/local/bin/rs-down 10.98.0.16"
                      TCP_CHECK {
                         connect_port 8080
                         nb_get_retry 3
                      }
                      HTTP_GET {
                         url {
                            path /health
                            status_code 200 300-399
                            digest 9a0364b9e99bb480dd25e1f0284c8555
                         }
                      }
                   }
                }
                """);
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals(Duration.ofSeconds(6), vs.delayLoop());
        RealServer rs = vs.realServers().get(0);
        assertEquals(2, rs.weight());
        assertEquals("/usr/local/bin/rs-down 10.98.0.16", rs.notifyDown().orElseThrow());
        assertTrue(rs.notifyUp().isEmpty());
        List<CheckSpec> checks = rs.checks();
        TcpCheck tcp = (TcpCheck) checks.get(0);
        assertEquals(8080, tcp.target().getPort());
        assertEquals(3, tcp.timing().retry(), "the check's own nb_get_retry over the real server's retry");
        assertEquals(Duration.ofMillis(2500), tcp.timing().connectTimeout(), "the virtual server's connect_timeout");
        HttpCheck http = (HttpCheck) checks.get(1);
        assertEquals(4, http.timing().retry(), "the real server's retry");
        assertEquals("/health", http.urls().get(0).path());
    }

    @Test
    void bindIfAndFwmarkOfACheckAreReadAndCheckedWhereTheyAreWritten() throws Exception {
        ApplianceConfig c = read("""
                virtual_server fe80::10 80 {
                   real_server fe80::16 80 {
                      TCP_CHECK {
                         bind_if eth1
                         fwmark 4294967295
                      }
                   }
                }
                """);
        TcpCheck tcp = (TcpCheck) c.virtualServers().get(0).realServers().get(0).checks().get(0);
        assertEquals(java.util.Optional.of("eth1"), tcp.local().bindIf());
        assertEquals(4294967295L, tcp.local().fwmark());
        assertEquals(List.of("4: virtual_server[0] real_server[0] check[0] bind_if: must be an interface name of 1 to 15 characters without '/', ':' or"
                        + " spaces, got \"a/b\"", "5: fwmark: \"0x10\" is not a whole number; needs a mark from 0 to"
                        + " 4294967295", "7: virtual_server[0] real_server[0] check[1] fwmark: must be a mark from 0 (none) to 4294967295, got number 4294967296"),
                problems("""
                virtual_server 10.97.0.100 80 {
                   real_server 10.98.0.16 80 {
                      TCP_CHECK {
                         bind_if a/b
                         fwmark 0x10
                      }
                      HTTP_GET { fwmark 4294967296
                         url { path / } }
                   }
                }
                """));
    }

    @Test
    void aUrlsRegexOptionsAreReadAndRegexStackIsAWarning() throws Exception {
        Files.writeString(dir.resolve("keepalived.conf"), """
                virtual_server 10.97.0.100 80 {
                   real_server 10.98.0.16 80 {
                      HTTP_GET {
                         url {
                            path /status
                            regex "^load: [0-9]"
                            regex_options multiline caseless
                            regex_min_offset 10
                            regex_max_offset 200
                            regex_stack 32768 524288
                         }
                      }
                   }
                }
                """);
        KeepalivedConfigReader.Result result = KeepalivedConfigReader.read(dir.resolve("keepalived.conf"), "node1");
        HttpCheck http = (HttpCheck) result.config().virtualServers().get(0).realServers().get(0).checks().get(0);
        appliance.check.UrlRegex r = http.urls().get(0).regex().orElseThrow();
        assertEquals(List.of("multiline", "caseless"), r.options());
        assertEquals(10, r.minOffset());
        assertEquals(java.util.OptionalInt.of(200), r.maxOffset());
        assertTrue(r.passes("status: ok\nLOAD: 1\n"));
        assertTrue(result.warnings().stream().anyMatch(w -> w.toString().contains("regex_stack sizes PCRE2's JIT stack")),
                result.warnings().toString());
    }

    @Test
    void checkerMailKeywordsAreReadAndAnAlertWithNowhereToGoIsAWarning() throws Exception {
        ApplianceConfig c = read("""
                global_defs {
                   notification_email {
                      ops@example.org
                   }
                   smtp_server 127.0.0.1
                   smtp_alert_checker off
                   no_checker_emails
                }
                virtual_server 10.97.0.100 80 {
                   smtp_alert
                   real_server 10.98.0.16 80 {
                      smtp_alert on
                   }
                   real_server 10.98.0.17 80 {
                   }
                }
                """);
        VirtualServer vs = c.virtualServers().get(0);
        assertTrue(vs.smtpAlert());
        assertTrue(vs.realServers().get(0).smtpAlert());
        assertTrue(!vs.realServers().get(1).smtpAlert(), "smtp_alert_checker off");
        assertTrue(c.noCheckerEmails());
        Files.writeString(dir.resolve("keepalived.conf"), """
                virtual_server 10.97.0.100 80 {
                   real_server 10.98.0.16 80 {
                      smtp_alert
                   }
                }
                """);
        KeepalivedConfigReader.Result r = KeepalivedConfigReader.read(dir.resolve("keepalived.conf"), "node1");
        assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("3: smtp_alert: no e-mail will be sent")),
                r.warnings().toString());
    }

    @Test
    void quorumScriptsOmegaAndInhibitOnFailureAreReadAsKeepalivedsAre() throws Exception {
        ApplianceConfig c = read("""
                virtual_server 10.97.0.100 80 {
                   quorum_up "/usr/local/sbin/quorum-up.sh up"
                   quorum_down /usr/local/sbin/quorum-down.sh
                   omega
                   inhibit_on_failure
                   real_server 10.98.0.16 80 {
                   }
                   real_server 10.98.0.17 80 {
                      inhibit_on_failure off
                   }
                }
                """);
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals(new VirtualServer.Notifies(java.util.Optional.of("/usr/local/sbin/quorum-up.sh up"),
                java.util.Optional.of("/usr/local/sbin/quorum-down.sh"), true), vs.notifies());
        assertTrue(vs.realServers().get(0).inhibitOnFailure(), "the virtual server's inhibit_on_failure");
        assertTrue(!vs.realServers().get(1).inhibitOnFailure(), "its own");
    }

    @Test
    void theSyncDaemonAndTheFlushesAreReadInBothOfKeepalivedsSpellings() throws Exception {
        String instance = """
                vrrp_instance VI_1 {
                   interface lo
                   virtual_router_id 51
                   virtual_ipaddress {
                      10.99.0.100/24
                   }
                }
                """;
        ApplianceConfig c = read("global_defs {\n lvs_sync_daemon eth0 inst VI_1 id 7 maxlen 1400 port 8848 ttl 2 group"
                + " 224.0.0.81\n lvs_flush\n lvs_flush_onstop\n}\n" + instance);
        appliance.config.IpvsSettings ipvs = c.ipvs();
        assertEquals(new appliance.config.IpvsSettings.SyncDaemon("VI_1", new appliance.codec.ipvs.IpvsDaemon(
                appliance.codec.ipvs.IpvsDaemon.BACKUP, "eth0", 7, 1400,
                java.util.Optional.of(java.net.InetAddress.getByName("224.0.0.81")), 8848, 2)), ipvs.syncDaemon().orElseThrow());
        assertTrue(ipvs.flush() && ipvs.flushOnStop());
        c = read("global_defs {\n lvs_sync_daemon eth1 VI_1\n lvs_flush_on_stop VS\n}\n" + instance);
        assertEquals(51, c.ipvs().syncDaemon().orElseThrow().settings().syncId(), "the instance's VRID, as keepalived's default");
        assertTrue(!c.ipvs().flushOnStop(), "VS: only ours, the default");
        assertEquals(List.of("2: global_defs: lvs_sync_daemon instance: names no VRRP instance: VI_2 (known: VI_1)"),
                problems("global_defs {\n lvs_sync_daemon eth0 inst VI_2\n}\n" + instance));
    }

    @Test
    void aVirtualServerGroupIsTheServicesOfItsVirtualServer() throws Exception {
        ApplianceConfig c = read("""
                virtual_server_group web {
                   10.97.0.110-111 80
                   fwmark 8
                }
                virtual_server group web {
                   lb_kind DR
                   real_server 10.98.0.16 80 {
                   }
                }
                """);
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals("[web]:0", vs.text());
        assertEquals(List.of("10.97.0.110-10.97.0.111,80", "FWM 8"),
                vs.group().orElseThrow().entries().stream().map(Object::toString).toList());
        assertEquals(List.of("4: virtual_server[0] group: names no virtual server group: db (known: web)"),
                problems("virtual_server_group web {\n 10.97.0.110 80\n}\nvirtual_server group db {\n}\n"));
    }

    @Test
    void aTrackFilesInitFileIsReadInEitherOrder() throws Exception {
        ApplianceConfig c = read("""
                track_file weight {
                   file /run/ha/weight
                   init_file overwrite -5
                }
                track_file other {
                   file /run/ha/other
                   init_file
                }
                vrrp_instance VI_1 {
                   interface lo
                   virtual_router_id 51
                   virtual_ipaddress {
                      10.99.0.100/24
                   }
                   track_file {
                      weight
                   }
                }
                """);
        assertEquals(List.of(new appliance.config.InitFile(Path.of("/run/ha/weight"), -5, true),
                new appliance.config.InitFile(Path.of("/run/ha/other"), 0, false)), c.initFiles());
        assertEquals(List.of("3: init_file: \"many\" is not a whole number; needs a value, or overwrite"),
                problems("track_file weight {\n file /run/ha/weight\n init_file many\n}\nvrrp_instance VI_1 {\n"
                        + " interface lo\n virtual_router_id 51\n virtual_ipaddress {\n  10.99.0.100/24\n }\n}\n"));
    }

    @Test
    void ipvsOptionsOfAVirtualServerAreReadAsKeepalivedsAre() throws Exception {
        ApplianceConfig c = read("""
                virtual_server 10.97.0.100 80 {
                   lb_algo sh
                   sh-port
                   ops
                   persistence_granularity 255.255.255.0
                   sorry_server 10.98.0.99 8080
                   sorry_server_inhibit
                   sorry_server_lvs_method NAT
                   real_server 10.98.0.16 80 {
                      uthreshold 100
                      lthreshold 10
                   }
                }
                """);
        VirtualServer vs = c.virtualServers().get(0);
        assertEquals(new VirtualServer.IpvsOptions(java.util.Optional.of("255.255.255.0"), java.util.Set.of("sh-port"), true,
                true, java.util.Optional.of("NAT")), vs.ipvs());
        assertEquals(java.time.Duration.ofSeconds(360), vs.persistenceTimeout().orElseThrow(),
                "a granularity without a timeout: IPVS's 6 minutes, as keepalived");
        assertEquals(100, vs.realServers().get(0).upperThreshold());
        assertEquals(10, vs.realServers().get(0).lowerThreshold());
        assertEquals(List.of("3: virtual_server[0] flag-1..3/sh-*/mh-*: sh-port only applies to the sh scheduler, not rr"),
                problems("virtual_server 10.97.0.100 80 {\n lb_algo rr\n sh-port\n}\n"));
    }

    @Test
    void theDistributionsStockGlobalDefsReadWithStrictModeAppliedAsKeepalivedAppliesIt() throws Exception {
        file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                global_defs {
                   router_id LVS_DEVEL
                   vrrp_skip_check_adv_addr
                   vrrp_strict
                   vrrp_garp_interval 0
                   vrrp_gna_interval 0
                }
                vrrp_instance VI_1 {
                   state MASTER
                   interface lo
                   virtual_router_id 51
                   priority 100
                   advert_int 1
                   authentication {
                      auth_type PASS
                      auth_pass 1111
                   }
                   virtual_ipaddress {
                      192.168.200.16
                   }
                }
                """);
        KeepalivedConfigReader.Result r = KeepalivedConfigReader.read(file, "node1");
        VirtualRouterConfig vi = r.config().vrrpInstances().get(0);
        assertTrue(vi.authPassword().isEmpty(), "strict mode drops authentication");
        assertEquals(appliance.vrrp.VrrpState.BACKUP, vi.initialState(), "MASTER only for the address owner");
        assertFalse(vi.accept(), "strict: no accept unless the owner");
        assertTrue(vi.lowerPrioNoAdvert());
        assertEquals(0, vi.announcements().lowerPrioRepeat());
        assertTrue(vi.skipCheckAdvAddr());
        assertEquals(List.of(
                "8: vrrp_instance: (VI_1) strict mode does not support authentication; it is ignored, as keepalived"
                        + " resets it",
                "8: vrrp_instance: (VI_1) state MASTER must match being address owner (priority 255) in strict mode;"
                        + " starting as BACKUP, as keepalived resets it"),
                r.warnings().stream().map(ConfigProblem::toString).map(s -> s.substring(s.indexOf(".conf:") + 6)).toList());
        List<String> p = problems("global_defs {\n   vrrp_strict\n}\n" + """
                vrrp_instance VI_1 {
                   interface lo
                   virtual_router_id 51
                   unicast_peer {
                      10.0.0.2
                   }
                   virtual_ipaddress {
                      10.0.0.100
                   }
                }
                """);
        assertEquals(List.of("4: vrrp_instance: (VI_1) unicast peers are not allowed in strict mode (vrrp_strict or"
                + " strict_mode), as keepalived refuses them"), p);
    }

    @Test
    void unknownMisplacedAndNotYetSupportedKeywordsAreErrorsAllAtOnce() throws Exception {
        List<String> p = problems("""
                global_defs {
                   vrrp_iptables
                   router_idd x
                }
                vrrp_instance VI_1 {
                   interface lo
                   virtual_router_id 51
                   virtual_ipaddress {
                      10.99.0.100/24
                   }
                   delay_loop 3
                   priorty 100
                }
                """);
        assertEquals(List.of(
                "2: vrrp_iptables: vrrp_iptables in global_defs is a keepalived keyword this appliance does not support yet",
                "3: router_idd: unknown keyword in global_defs (did you mean router_id?)",
                "11: delay_loop: delay_loop does not belong in vrrp_instance; it is a keyword of DNS_CHECK, HTTP_GET,"
                        + " MISC_CHECK, PING_CHECK, SMTP_CHECK, SSL_GET, TCP_CHECK, UDP_CHECK, host, real_server,"
                        + " virtual_server",
                "12: priorty: unknown keyword in vrrp_instance (did you mean priority?)"), p);
    }

    @Test
    void valuesAreCheckedWhereTheyAreWritten() throws Exception {
        List<String> p = problems("""
                vrrp_instance VI_1 {
                   interface lo
                   virtual_router_id 256
                   advert_int fast
                   virtual_ipaddress {
                      10.99.0.100/24 peer 10.99.0.1
                   }
                }
                """);
        assertEquals(List.of(
                "3: vrrp_instance VI_1: virtual_router_id: virtual_router_id must be 1..255, got 256",
                "4: advert_int: \"fast\" is not a number of seconds",
                "6: 10.99.0.100/24: address option peer is a keepalived option this appliance does not support yet"),
                p.stream().filter(s -> !s.contains("virtual_ipaddress")).toList());
    }

    @Test
    void aSecondDefinitionOfAnInstanceOrAKeyIsAnError() throws Exception {
        List<String> p = problems("""
                vrrp_instance VI_1 {
                   interface lo
                   interface eth0
                   virtual_router_id 51
                   virtual_ipaddress {
                      10.99.0.100/24
                   }
                }
                vrrp_instance VI_1 {
                }
                """);
        assertEquals(List.of("3: interface: sets interface a second time in this block",
                "9: vrrp_instance: vrrp_instance VI_1 is defined a second time"), p);
    }
}
