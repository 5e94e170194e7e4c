package appliance.nativeio;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * Thin wrappers over {@link LibC} (the jnr-ffi binding below): constants from the Linux headers, sockaddr and option
 * structs laid out in Java, and errno turned into {@link NativeException} for setup calls.
 * Data-path calls ({@link #sendTo}, {@link #sendMessage}, {@link #receive},
 * {@link #receiveMessages})
 * return {@code -errno} instead of throwing.
 */
final class Syscalls {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;

    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_BINDTODEVICE = 25;
    /** Also the control message's type (SCM_TIMESTAMPNS); a struct timespec of 64-bit fields on x86_64. */
    static final int SO_TIMESTAMPNS = 35;

    static final int IPPROTO_IP = 0;
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;

    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_ADD_MEMBERSHIP = 20;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;
    static final int IPV6_TCLASS = 67;

    static final int NETLINK_ROUTE = 0;

    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SOCKADDR_NL_SIZE = 12;

    private static final LibC C = LibraryLoader.create(LibC.class)
            .failImmediately()
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private Syscalls() {
    }

    static Runtime runtime() {
        return RUNTIME;
    }

    /** errno of the last call on this thread; read it before any other native call. */
    static int errno() {
        return RUNTIME.getLastError();
    }

    static String strerror(int errno) {
        return C.strerror(errno);
    }

    /** A socket, always non-blocking and close-on-exec. */
    static int socket(int domain, int type, int protocol, String call) throws NativeException {
        int fd = C.socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new NativeException(call, errno());
        }
        return fd;
    }

    static void bind(int fd, byte[] address, String call) throws NativeException {
        if (C.bind(fd, address, address.length) < 0) {
            throw new NativeException(call, errno());
        }
    }

    static void setOption(int fd, int level, int option, byte[] value, String call) throws NativeException {
        if (C.setsockopt(fd, level, option, value, value.length) < 0) {
            throw new NativeException(call, errno());
        }
    }

    static void setOption(int fd, int level, int option, int value, String call) throws NativeException {
        setOption(fd, level, option, nativeInt(value), call);
    }

    /** Reads and so clears SO_ERROR; 0 when there was none. */
    static int takeSocketError(int fd) {
        byte[] value = new byte[4];
        IntByReference length = new IntByReference(4);
        if (C.getsockopt(fd, SOL_SOCKET, SO_ERROR, value, length) < 0) {
            return errno();
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Bytes sent, or {@code -errno}. */
    static long sendTo(int fd, byte[] buffer, byte[] address) {
        long n = C.sendto(fd, buffer, buffer.length, 0, address, address.length);
        return n >= 0 ? n : -errno();
    }

    /** sendmsg(2) of a message laid out in native memory; bytes sent or {@code -errno}. */
    static long sendMessage(int fd, Pointer message) {
        long n = C.sendmsg(fd, message, 0);
        return n >= 0 ? n : -errno();
    }

    /**
     * One datagram into {@code buffer}, with MSG_TRUNC so that the real length is returned even
     * when it did not fit; or {@code -errno}. {@code address}, when not null, receives the
     * sender's sockaddr ({@code addressLength} points at its capacity, updated to its length).
     */
    static int receive(int fd, Pointer buffer, int capacity, Pointer address, Pointer addressLength) {
        long n = C.recvfrom(fd, buffer, capacity, MSG_TRUNC, address, addressLength);
        return n >= 0 ? (int) Math.min(n, Integer.MAX_VALUE) : -errno();
    }

    /**
     * recvmmsg(2) without waiting, into the {@code count} struct mmsghdr at {@code vector}, with
     * MSG_TRUNC so that each msg_len is the datagram's real length; how many were received, or
     * {@code -errno} (EAGAIN when none was queued).
     */
    static int receiveMessages(int fd, Pointer vector, int count) {
        int n = C.recvmmsg(fd, vector, count, MSG_TRUNC | MSG_DONTWAIT, null);
        return n >= 0 ? n : -errno();
    }

    /** inotify_init1(IN_NONBLOCK | IN_CLOEXEC). */
    static int inotifyInit(String call) throws NativeException {
        int fd = C.inotify_init1(SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            throw new NativeException(call, errno());
        }
        return fd;
    }

    static void inotifyAddWatch(int fd, String path, int mask, String call) throws NativeException {
        if (C.inotify_add_watch(fd, path, mask) < 0) {
            throw new NativeException(call, errno());
        }
    }

    /** Bytes read, or {@code -errno}. */
    static long read(int fd, Pointer buffer, long count) {
        long n = C.read(fd, buffer, count);
        return n >= 0 ? n : -errno();
    }

    static void close(int fd) {
        C.close(fd);
    }

    static LibC libc() {
        return C;
    }

    /** An ioctl on {@code fd} with a pointer argument; 0, or the errno. */
    static int ioctl(int fd, long request, Pointer argument) {
        return C.ioctl(fd, request, argument) < 0 ? errno() : 0;
    }

    /** 0 and errno set when there is no such interface. */
    static void setNice(int nice) throws NativeException {
        // PRIO_PROCESS with who 0: on Linux the calling thread's nice value alone.
        if (C.setpriority(0, 0, nice) < 0) {
            throw new NativeException("setpriority(" + nice + ")", errno());
        }
    }

    static void setRoundRobin(int priority) throws NativeException {
        // pid 0: the calling thread; SCHED_RR is 2.
        if (C.sched_setscheduler(0, 2, new int[] {priority}) < 0) {
            throw new NativeException("sched_setscheduler(SCHED_RR, " + priority + ")", errno());
        }
    }

    static int interfaceIndex(String name) {
        return C.if_nametoindex(name);
    }

    /** struct sockaddr_in: family (host order), port 0 (raw sockets ignore it), address. */
    static byte[] sockaddrIn(Inet4Address address) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_IN_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_INET);
        b.putShort((short) 0);
        b.put(address.getAddress());
        return b.array();
    }

    /**
     * struct sockaddr_ll for sending on {@code ifindex}: protocol in network order, the
     * destination hardware address in sll_addr (halen 6).
     */
    static byte[] sockaddrLl(int ifindex, int etherType, byte[] destinationMac) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_LL_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) etherType).order(ByteOrder.nativeOrder());
        b.putInt(ifindex);
        b.putShort((short) 0); // sll_hatype: only reported on receive
        b.put((byte) 0);       // sll_pkttype: idem
        b.put((byte) destinationMac.length);
        b.put(Arrays.copyOf(destinationMac, 8));
        return b.array();
    }

    /** struct sockaddr_nl: port id 0 (bind: let the kernel choose; sendto: the kernel), no groups. */
    static byte[] sockaddrNl(int portId, int groups) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_NL_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_NETLINK);
        b.putShort((short) 0);
        b.putInt(portId);
        b.putInt(groups);
        return b.array();
    }

    /** struct ip_mreqn: multicast group (or INADDR_ANY), local address INADDR_ANY, interface index. */
    static byte[] ipMreqn(Inet4Address group, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.put(group == null ? new byte[4] : group.getAddress());
        b.put(new byte[4]);
        b.putInt(ifindex);
        return b.array();
    }

    /** struct ipv6_mreq: multicast group, interface index. */
    static byte[] ipv6Mreq(Inet6Address group, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.put(group.getAddress());
        b.putInt(ifindex);
        return b.array();
    }

    /** A NUL-terminated interface name, as SO_BINDTODEVICE takes it. */
    static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(text, text.length + 1);
    }

    static byte[] nativeInt(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /**
     * The libc functions this package calls, bound by jnr-ffi. Each saves errno, which
     * {@link Syscalls#errno()} reads back on the same thread right after the call.
     *
     * <p>{@code @In}/{@code @Out} tell jnr-ffi which way to copy Java arrays, so that a
     * sockaddr is not copied back and a receive buffer is not copied in.
     *
     * <p>Public, though nested in this package-private class: jnr-ffi generates the
     * implementation in a class loader of its own, which cannot implement a package-private
     * interface (IllegalAccessError). Outside this package it is still out of reach.
     */
    public interface LibC {

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
        @ssize_t long sendmsg(int fd, Pointer message, int flags);

        @SaveError
        @ssize_t long recvfrom(int fd, Pointer buffer, @size_t long length, int flags,
                               Pointer address, Pointer addressLength);

        @SaveError
        int recvmmsg(int fd, Pointer vector, int count, int flags, Pointer timeout);

        @SaveError
        int close(int fd);

        @SaveError
        int inotify_init1(int flags);

        @SaveError
        int inotify_add_watch(int fd, String path, int mask);

        @SaveError
        @ssize_t long read(int fd, Pointer buffer, @size_t long count);

        @SaveError
        int ioctl(int fd, @u_int64_t long request, Pointer argument);

        @SaveError
        int if_nametoindex(String name);

        String strerror(int errno);

        @SaveError
        int kill(int pid, int signal);

        @SaveError
        int setpriority(int which, int who, int priority);

        /** {@code param}: a struct sched_param, one int. */
        @SaveError
        int sched_setscheduler(int pid, int policy, int[] param);

        int getuid();

        int getgid();

        /** struct passwd *, or null; not thread-safe, so every call goes through {@link Accounts}. */
        Pointer getpwnam(String name);

        /** struct group *, or null. */
        Pointer getgrnam(String name);
    }
}
