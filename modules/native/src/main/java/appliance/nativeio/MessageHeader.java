package appliance.nativeio;

import jnr.ffi.Pointer;

/**
 * struct msghdr and its one struct iovec as sendmsg(2) and recvmsg(2) take them (x86_64
 * layouts), laid out at the start of a block of native memory whose other parts (the sockaddr,
 * the control messages, the data) the caller places after {@link #END}.
 */
final class MessageHeader {

    // struct msghdr: name, namelen, iov, iovlen, control, controllen, flags
    static final int NAME = 0;
    static final int NAMELEN = 8;
    static final int IOV = 16;
    static final int IOVLEN = 24;
    static final int CONTROL = 32;
    static final int CONTROLLEN = 40;
    static final int FLAGS = 48;
    private static final int SIZE = 56;
    // struct iovec right after it: base, len
    private static final int IOVEC = SIZE;
    /** Where the caller's parts may begin. */
    static final int END = IOVEC + 16;

    private MessageHeader() {
    }

    /**
     * Points the header of the block at {@code block} to its parts: the sockaddr at
     * {@code nameAt}, one buffer at absolute address {@code data}, the control messages at
     * {@code controlAt}. No lambda or allocation: the send path of a takeover runs it.
     */
    static void fill(Pointer block, int nameAt, long nameLength, long data, long dataLength, int controlAt,
                     long controlLength) {
        long base = block.address();
        block.putLong(NAME, base + nameAt);
        block.putLong(NAMELEN, nameLength);
        block.putLong(IOV, base + IOVEC);
        block.putLong(IOVLEN, 1);
        block.putLong(IOVEC, data);
        block.putLong(IOVEC + 8, dataLength);
        block.putLong(CONTROL, base + controlAt);
        block.putLong(CONTROLLEN, controlLength);
        block.putLong(FLAGS, 0);
    }
}
