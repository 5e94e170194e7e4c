package appliance.ipvs;

import appliance.codec.ipvs.IpvsDestination;
import appliance.codec.ipvs.IpvsService;

/** One write to the kernel's IPVS table, and how it reads in a log line. */
public sealed interface TableWrite {

    IpvsService.Key service();

    record AddService(IpvsService desired) implements TableWrite {
        public IpvsService.Key service() {
            return desired.key();
        }

        @Override
        public String toString() {
            return "add service " + desired.key() + " " + desired.scheduler();
        }
    }

    record EditService(IpvsService desired) implements TableWrite {
        public IpvsService.Key service() {
            return desired.key();
        }

        @Override
        public String toString() {
            return "edit service " + desired.key() + " " + desired.scheduler();
        }
    }

    record DeleteService(IpvsService.Key service) implements TableWrite {
        @Override
        public String toString() {
            return "delete service " + service;
        }
    }

    record AddDestination(IpvsService.Key service, IpvsDestination desired) implements TableWrite {
        @Override
        public String toString() {
            return "add destination " + desired + " to " + service;
        }
    }

    record EditDestination(IpvsService.Key service, IpvsDestination desired) implements TableWrite {
        @Override
        public String toString() {
            return "edit destination " + desired + " of " + service;
        }
    }

    record DeleteDestination(IpvsService.Key service, IpvsDestination existing) implements TableWrite {
        @Override
        public String toString() {
            return "delete destination " + existing.address().getHostAddress() + ":" + existing.port() + " from " + service;
        }
    }
}
