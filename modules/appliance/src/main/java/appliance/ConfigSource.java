package appliance;

import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;

/** Where the configuration comes from: read at start, and again, with the same options, at each reload. */
@FunctionalInterface
interface ConfigSource {
    ApplianceConfig read() throws ConfigException;
}
