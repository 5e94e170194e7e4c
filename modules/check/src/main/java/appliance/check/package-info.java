/**
 * keepalived's health checkers: the typed model of {@code virtual-servers} (virtual servers, their
 * real servers and each real server's checks), keepalived's checker state machine
 * ({@link appliance.check.CheckerState}: retry, delay-before-retry, alpha) in plain Java, and the
 * verdicts other components subscribe to. The probes themselves, Netty pipelines on the shared
 * loops, are in {@link appliance.check.net}.
 */
package appliance.check;
