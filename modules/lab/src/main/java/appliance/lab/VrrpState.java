package appliance.lab;

/** The states a VRRP instance announces in its log, in keepalived's words. */
public enum VrrpState {
    BACKUP, MASTER, FAULT
}
