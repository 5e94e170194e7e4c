/** Logging that never blocks an event loop: a bounded queue in front of the console that drops and counts when stdout stalls. */
package appliance.logging;
