/** Reads the HOCON configuration (conf/appliance.conf) into each component's typed model, reporting every problem with file, line and key. */
package appliance.config;
