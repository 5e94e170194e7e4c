package appliance.codec.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapReaderTest {

    @Test
    void readsEveryRecordOfALittleEndianCapture() {
        List<PcapReader.Frame> frames = PcapReader.readCapture("v3-unicast.pcap");

        assertEquals(4, frames.size());
        for (PcapReader.Frame f : frames) {
            assertEquals(46, f.data().length);
            assertEquals(46, f.originalLength());
        }
        // tshark: 0.000000, 1.003856, 2.004078, 2.398890 seconds after the first frame.
        assertEquals(Duration.ofNanos(2_398_890_000L),
                Duration.between(frames.get(0).timestamp(), frames.get(3).timestamp()));
    }

    @Test
    void readsBigEndianAndNanosecondFiles() throws IOException {
        byte[] frame = {1, 2, 3};
        byte[] file = file(ByteOrder.BIG_ENDIAN, 0xa1b23c4d, 1, 1_700_000_000, 123_456_789, frame);

        List<PcapReader.Frame> frames = PcapReader.read(file);

        assertEquals(1, frames.size());
        assertArrayEquals(frame, frames.get(0).data());
        assertEquals(Instant.ofEpochSecond(1_700_000_000, 123_456_789), frames.get(0).timestamp());
    }

    @Test
    void rejectsOtherLinkTypesAndTruncatedRecords() {
        byte[] rawIp = file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 101, 0, 0, new byte[4]);
        assertTrue(assertThrows(IOException.class, () -> PcapReader.read(rawIp)).getMessage().contains("101"));

        byte[] whole = file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, 0, 0, new byte[10]);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 1);
        assertThrows(IOException.class, () -> PcapReader.read(truncated));
        assertThrows(IOException.class, () -> PcapReader.read(new byte[24]));
    }

    private static byte[] file(ByteOrder order, int magic, int linkType, int seconds, int fraction, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        b.putInt(seconds).putInt(fraction).putInt(frame.length).putInt(frame.length).put(frame);
        return b.array();
    }
}
