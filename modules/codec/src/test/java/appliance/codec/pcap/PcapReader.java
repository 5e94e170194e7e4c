package appliance.codec.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic libpcap files (not pcapng) with Ethernet link type, as tcpdump writes them.
 *
 * <pre>
 * global header, 24 bytes          record header, 16 bytes, before each frame
 *   0 magic a1b2c3d4 (µs) or         0 timestamp seconds
 *     a1b23c4d (ns), in the          4 timestamp µs or ns
 *     writer's byte order            8 captured length (bytes that follow)
 *   4 version major, minor          12 original length on the wire
 *   8 timezone, sigfigs (unused)
 *  16 snap length
 *  20 link type (1 = Ethernet)
 * </pre>
 */
public final class PcapReader {

    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    /** One captured frame; {@code data} may be shorter than {@code originalLength} if the snap length cut it. */
    public record Frame(int index, Instant timestamp, byte[] data, int originalLength) {
    }

    private PcapReader() {
    }

    /** Reads {@code /captures/<name>} from the test classpath. */
    public static List<Frame> readCapture(String name) {
        try (InputStream in = PcapReader.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture /captures/" + name + " on the classpath");
            }
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Frame> read(byte[] file) throws IOException {
        if (file.length < GLOBAL_HEADER) {
            throw new IOException("pcap global header needs 24 bytes, file has " + file.length);
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt(0);
        if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            magic = Integer.reverseBytes(magic);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format("not a classic pcap file (magic 0x%08x)", b.getInt(0)));
        }
        long subsecondNanos = magic == MAGIC_NANOS ? 1 : 1_000;
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException("link type " + linkType + ", only Ethernet (1) is supported");
        }
        List<Frame> frames = new ArrayList<>();
        int at = GLOBAL_HEADER;
        while (at < file.length) {
            if (file.length - at < RECORD_HEADER) {
                throw new IOException("truncated record header at byte " + at);
            }
            long seconds = Integer.toUnsignedLong(b.getInt(at));
            long fraction = Integer.toUnsignedLong(b.getInt(at + 4));
            int captured = b.getInt(at + 8);
            int original = b.getInt(at + 12);
            at += RECORD_HEADER;
            if (captured < 0 || captured > file.length - at) {
                throw new IOException("record " + frames.size() + " claims " + captured + " bytes, "
                        + (file.length - at) + " remain");
            }
            byte[] data = new byte[captured];
            System.arraycopy(file, at, data, 0, captured);
            at += captured;
            frames.add(new Frame(frames.size(), Instant.ofEpochSecond(seconds, fraction * subsecondNanos),
                    data, original));
        }
        return frames;
    }
}
