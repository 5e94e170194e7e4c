/** The process, as keepalived's core: command line, configuration, one shared epoll loop group for every component, signals, JMX. */
package appliance;
