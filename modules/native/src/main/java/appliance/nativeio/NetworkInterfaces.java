package appliance.nativeio;

import java.util.Objects;

/** Interface names to indexes, in the calling thread's network namespace. */
public final class NetworkInterfaces {

    private NetworkInterfaces() {
    }

    /**
     * The index of the named interface (if_nametoindex(3)).
     *
     * @throws NativeException with ENODEV, "no such network interface: e9", when it does not exist
     */
    public static int indexOf(String name) throws NativeException {
        Objects.requireNonNull(name, "name");
        int index = Syscalls.interfaceIndex(name);
        if (index > 0) {
            return index;
        }
        int errno = Syscalls.errno();
        String call = "if_nametoindex(" + name + ")";
        if (errno == Errno.ENODEV || errno == 0) {
            throw new NativeException(call, Errno.ENODEV, "no such network interface: " + name);
        }
        throw new NativeException(call, errno);
    }

    /** ioctl SIOCGIFHWADDR: struct ifreq is the name (16 bytes) then a sockaddr whose sa_data holds the MAC. */
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final int IFREQ_SIZE = 40;

    /**
     * The hardware (MAC) address of the named interface, 6 bytes for Ethernet-like links.
     *
     * @throws NativeException ENODEV when it does not exist
     */
    public static byte[] hardwareAddress(String name) throws NativeException {
        Objects.requireNonNull(name, "name");
        byte[] nameBytes = Syscalls.cString(name);
        if (nameBytes.length > 16) {
            throw new NativeException("SIOCGIFHWADDR(" + name + ")", Errno.ENODEV, "no such network interface: " + name);
        }
        int fd = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM, 0)");
        try {
            jnr.ffi.Pointer ifreq = jnr.ffi.Memory.allocateDirect(Syscalls.runtime(), IFREQ_SIZE, true);
            ifreq.put(0, nameBytes, 0, nameBytes.length);
            int errno = Syscalls.ioctl(fd, SIOCGIFHWADDR, ifreq);
            if (errno != 0) {
                throw new NativeException("ioctl(SIOCGIFHWADDR, " + name + ")", errno);
            }
            byte[] mac = new byte[6];
            ifreq.get(18, mac, 0, 6);
            return mac;
        } finally {
            Syscalls.close(fd);
        }
    }
}
