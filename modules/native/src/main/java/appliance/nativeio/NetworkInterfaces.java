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
}
