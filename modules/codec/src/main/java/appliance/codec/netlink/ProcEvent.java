package appliance.codec.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One event of the kernel's process connector (linux/cn_proc.h), as it arrives on a
 * NETLINK_CONNECTOR socket subscribed to CN_IDX_PROC: a netlink header, a {@code cn_msg} and a
 * {@code proc_event}, in host byte order. Only what process tracking needs is kept: which event,
 * the task's pid and thread group id, and for a COMM event the new name.
 *
 * <pre>
 * nlmsghdr (16) | cn_msg: idx u32, val u32, seq u32, ack u32, len u16, flags u16 (20)
 *               | proc_event: what u32, cpu u32, timestamp_ns u64, event_data (union)
 *   exec / exit / comm event_data: process_pid u32, process_tgid u32, ... (comm: char[16])
 *   fork event_data: parent_pid, parent_tgid, child_pid, child_tgid
 * </pre>
 *
 * @param pid  the task (a thread's own id); for FORK, the child's
 * @param tgid the process (thread group); for FORK, the child's
 * @param comm the new name of a COMM event, empty otherwise
 */
public record ProcEvent(Kind kind, int pid, int tgid, String comm) {

    public static final int CN_IDX_PROC = 1;
    public static final int CN_VAL_PROC = 1;
    public static final int PROC_CN_MCAST_LISTEN = 1;
    public static final int PROC_CN_MCAST_IGNORE = 2;
    static final int CN_MSG_SIZE = 20;
    static final int EVENT_HEADER = 16;
    private static final int COMM_LENGTH = 16;

    /** The events of enum proc_cn_event that tracking reads; the others decode as OTHER. */
    public enum Kind {
        FORK(0x1), EXEC(0x2), COMM(0x200), EXIT(0x80000000), OTHER(0);

        final int what;

        Kind(int what) {
            this.what = what;
        }

        static Kind of(int what) {
            for (Kind k : values()) {
                if (k.what == what && k != OTHER) {
                    return k;
                }
            }
            return OTHER;
        }
    }

    public ProcEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(comm, "comm");
        if (kind != Kind.COMM && !comm.isEmpty() || comm.getBytes(StandardCharsets.UTF_8).length >= COMM_LENGTH) {
            throw new IllegalArgumentException("comm only for COMM events, under 16 bytes: " + comm);
        }
    }

    /** A whole process (not one of its threads). */
    public boolean isProcess() {
        return pid == tgid;
    }

    /** The subscription request (PROC_CN_MCAST_LISTEN) or its end (IGNORE), to the kernel. */
    public static byte[] subscription(boolean listen, int sequence, int portId) {
        ByteBuffer b = ByteBuffer.allocate(NetlinkHeader.SIZE + CN_MSG_SIZE + 4).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort((short) NetlinkHeader.NLMSG_DONE).putShort((short) 0).putInt(sequence).putInt(portId);
        b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(sequence).putInt(0).putShort((short) 4).putShort((short) 0);
        b.putInt(listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE);
        return b.array();
    }

    /**
     * The events in one datagram from the connector socket (usually one). Messages for other
     * connector users, the kernel's acknowledgement of the subscription (what = 0) and messages
     * too short to hold an event are skipped.
     *
     * @throws NetlinkDecodeException when a length or a structure does not fit the bytes
     */
    public static List<ProcEvent> decode(byte[] datagram, int length) throws NetlinkDecodeException {
        if (length < 0 || length > datagram.length) {
            throw new NetlinkDecodeException("length " + length + " outside the buffer of " + datagram.length);
        }
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        List<ProcEvent> events = new ArrayList<>();
        while (in.remaining() >= NetlinkHeader.SIZE) {
            int start = in.position();
            NetlinkHeader h;
            try {
                h = NetlinkHeader.read(in);
            } catch (IllegalArgumentException e) {
                throw new NetlinkDecodeException("bad netlink header at " + start + ": " + e.getMessage());
            }
            if (h.length() > length - start) {
                throw new NetlinkDecodeException("message of " + h.length() + " bytes at " + start + " runs past the "
                        + length + " received");
            }
            if (h.length() >= NetlinkHeader.SIZE + CN_MSG_SIZE) {
                ProcEvent e = event(in, start + h.length());
                if (e != null) {
                    events.add(e);
                }
            }
            long next = start + ((h.length() + 3L) & ~3L);
            if (next >= length) {
                break;
            }
            in.position((int) next);
        }
        return events;
    }

    private static ProcEvent event(ByteBuffer in, int end) throws NetlinkDecodeException {
        int idx = in.getInt();
        int val = in.getInt();
        in.getInt(); // seq
        in.getInt(); // ack
        int len = Short.toUnsignedInt(in.getShort());
        in.getShort(); // flags
        if (idx != CN_IDX_PROC || val != CN_VAL_PROC) {
            return null;
        }
        if (len > end - in.position()) {
            throw new NetlinkDecodeException("cn_msg of " + len + " bytes runs past its netlink message");
        }
        if (len < EVENT_HEADER + 8) {
            return null; // no proc_event: nothing the kernel sends to this group, skipped
        }
        int what = in.getInt();
        in.getInt(); // cpu
        in.getLong(); // timestamp_ns
        Kind kind = Kind.of(what);
        if (kind == Kind.OTHER) {
            return what == 0 ? null : new ProcEvent(Kind.OTHER, 0, 0, "");
        }
        if (kind == Kind.FORK) {
            if (len < EVENT_HEADER + 16) {
                throw new NetlinkDecodeException("fork event of " + len + " bytes is too short");
            }
            in.getInt();
            in.getInt();
            return new ProcEvent(kind, in.getInt(), in.getInt(), "");
        }
        int pid = in.getInt();
        int tgid = in.getInt();
        if (kind != Kind.COMM) {
            return new ProcEvent(kind, pid, tgid, "");
        }
        if (len < EVENT_HEADER + 8 + COMM_LENGTH) {
            throw new NetlinkDecodeException("comm event of " + len + " bytes is too short");
        }
        byte[] raw = new byte[COMM_LENGTH];
        in.get(raw);
        int n = 0;
        while (n < COMM_LENGTH - 1 && raw[n] != 0) {
            n++;
        }
        return new ProcEvent(kind, pid, tgid, new String(raw, 0, n, StandardCharsets.UTF_8));
    }

    /** This event as the kernel would send it (for tests and fuzzing: decode(encode(e)) is e). */
    public byte[] encode(int sequence) {
        int data = kind == Kind.COMM ? 8 + COMM_LENGTH : kind == Kind.FORK ? 16 : kind == Kind.EXIT ? 24 : 8;
        int len = EVENT_HEADER + data;
        ByteBuffer b = ByteBuffer.allocate(NetlinkHeader.SIZE + CN_MSG_SIZE + len).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort((short) NetlinkHeader.NLMSG_DONE).putShort((short) 0).putInt(sequence).putInt(0);
        b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(sequence).putInt(0).putShort((short) len).putShort((short) 0);
        b.putInt(kind == Kind.OTHER ? 0x4 : kind.what).putInt(0).putLong(0);
        if (kind == Kind.FORK) {
            b.putInt(1).putInt(1).putInt(pid).putInt(tgid);
        } else {
            b.putInt(pid).putInt(tgid);
            if (kind == Kind.COMM) {
                byte[] name = comm.getBytes(StandardCharsets.UTF_8);
                b.put(name).put(new byte[COMM_LENGTH - name.length]);
            }
        }
        return b.array();
    }
}
