/**
 * keepalived's scripts, for every component that runs them (VRRP's notify and tracked scripts,
 * the checkers' MISC_CHECK): {@link appliance.script.ScriptAccess} checks a script before it is
 * used, {@link appliance.script.ScriptRunner} runs it off the event loops in a process group of
 * its own and kills that group at the timeout.
 */
package appliance.script;
