/** Live state over JMX: one MXBean per VRRP instance and per receiving interface, one for log output, plus dropwizard metrics under appliance.metrics. */
package appliance.jmx;
