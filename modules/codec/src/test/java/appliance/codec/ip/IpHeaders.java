package appliance.codec.ip;

/** Builds IPv4 and IPv6 header bytes for tests. */
final class IpHeaders {

    private IpHeaders() {
    }

    /** An IPv4 header of {@code ihl} words with a valid checksum, followed by zeroed payload up to {@code bufferLength}. */
    static byte[] ipv4(int ihl, int totalLength, int ttl, int protocol, byte[] source, byte[] destination,
                       int bufferLength) {
        byte[] b = new byte[bufferLength];
        b[0] = (byte) (0x40 | ihl);
        b[1] = (byte) 0xc0;
        b[2] = (byte) (totalLength >>> 8);
        b[3] = (byte) totalLength;
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        System.arraycopy(source, 0, b, 12, 4);
        System.arraycopy(destination, 0, b, 16, 4);
        fixChecksum(b, Math.min(Math.max(ihl, 5) * 4, bufferLength));
        return b;
    }

    static void fixChecksum(byte[] header, int headerLength) {
        header[10] = 0;
        header[11] = 0;
        int sum = InternetChecksum.compute(header, 0, headerLength);
        header[10] = (byte) (sum >>> 8);
        header[11] = (byte) sum;
    }

    static byte[] ipv6(int payloadLength, int nextHeader, int hopLimit, byte[] source, byte[] destination,
                       int bufferLength) {
        byte[] b = new byte[bufferLength];
        b[0] = 0x60;
        b[4] = (byte) (payloadLength >>> 8);
        b[5] = (byte) payloadLength;
        b[6] = (byte) nextHeader;
        b[7] = (byte) hopLimit;
        System.arraycopy(source, 0, b, 8, 16);
        System.arraycopy(destination, 0, b, 24, 16);
        return b;
    }
}
