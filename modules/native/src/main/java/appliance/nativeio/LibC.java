package appliance.nativeio;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions this package calls, bound by jnr-ffi. Each saves errno, which
 * {@link Syscalls#errno()} reads back on the same thread right after the call.
 *
 * <p>{@code @In}/{@code @Out} tell jnr-ffi which way to copy Java arrays, so that a
 * sockaddr is not copied back and a receive buffer is not copied in.
 */
interface LibC {

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] address, int addressLength);

    @SaveError
    int setsockopt(int fd, int level, int option, @In byte[] value, int valueLength);

    @SaveError
    int getsockopt(int fd, int level, int option, @Out byte[] value, IntByReference valueLength);

    @SaveError
    @ssize_t long sendto(int fd, @In byte[] buffer, @size_t long length, int flags,
                         @In byte[] address, int addressLength);

    @SaveError
    @ssize_t long recvfrom(int fd, Pointer buffer, @size_t long length, int flags,
                           Pointer address, Pointer addressLength);

    @SaveError
    int close(int fd);

    @SaveError
    int if_nametoindex(String name);

    String strerror(int errno);
}
