package appliance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's virtual_server_group lines: an address or a range on its last byte (IPv6: last 16 bits), a mark. */
class ServiceGroupTest {

    @Test
    void linesAreKeepalivedsAndRangesExpandToEveryAddress() throws Exception {
        ServiceGroup.Entry one = ServiceGroup.Entry.parse("10.97.0.100 80");
        assertEquals(List.of(InetAddress.getByName("10.97.0.100")), one.addresses());
        assertEquals(80, one.port());
        ServiceGroup.Entry range = ServiceGroup.Entry.parse("  10.97.0.101-103   8080 ");
        assertEquals(List.of(InetAddress.getByName("10.97.0.101"), InetAddress.getByName("10.97.0.102"),
                InetAddress.getByName("10.97.0.103")), range.addresses());
        ServiceGroup.Entry v6 = ServiceGroup.Entry.parse("ae00::2-9 80");
        assertEquals(8, v6.addresses().size());
        assertEquals(InetAddress.getByName("ae00::9"), v6.addresses().get(7));
        ServiceGroup.Entry mark = ServiceGroup.Entry.parse("fwmark 7 inet6");
        assertEquals(7, mark.fwmark());
        assertEquals(true, mark.inet6());
        assertEquals("10.97.0.101-10.97.0.103,8080", range.toString());
    }

    @Test
    void aBadLineSaysWhatIsWrong() {
        assertEquals("the range ends before it starts: 10.97.0.101-100", assertThrows(IllegalArgumentException.class,
                () -> ServiceGroup.Entry.parse("10.97.0.101-100 80")).getMessage());
        assertEquals("\"70000\" is not a port (0..65535)", assertThrows(IllegalArgumentException.class,
                () -> ServiceGroup.Entry.parse("10.97.0.101 70000")).getMessage());
        assertEquals("a mark line is fwmark N [inet|inet6], got \"fwmark 7 ipv4\"", assertThrows(IllegalArgumentException.class,
                () -> ServiceGroup.Entry.parse("fwmark 7 ipv4")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServiceGroup.Entry.parse("www.example.org 80"));
        assertThrows(IllegalArgumentException.class, () -> ServiceGroup.Entry.parse("10.97.0.0/24 80"));
        assertThrows(IllegalArgumentException.class, () -> new ServiceGroup("empty", List.of()));
    }
}
