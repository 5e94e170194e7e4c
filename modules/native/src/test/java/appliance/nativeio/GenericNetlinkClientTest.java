package appliance.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import appliance.codec.netlink.GenericNetlink;
import appliance.codec.netlink.GenlMessage;
import appliance.codec.netlink.NetlinkHeader;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic netlink controller of this kernel, through the transport rtnetlink shares: a
 * family resolved by name (the reply that comes before the ack), a missing one refused with
 * ENOENT, and a dump of every family. IPVS itself is tested in the VM (this kernel has none).
 */
class GenericNetlinkClientTest {

    private static MultiThreadIoEventLoopGroup group;
    private static IoEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Test
    void theControllerNamesFamiliesAndRefusesAMissingOneWithEnoent() throws Exception {
        try (GenericNetlinkClient client = GenericNetlinkClient.open(loop)) {
            assertEquals(GenericNetlink.GENL_ID_CTRL, client.family("nlctrl").get(5, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.family("no-such-family").get(5, TimeUnit.SECONDS));
            NativeException n = assertInstanceOf(NativeException.class, e.getCause());
            assertEquals(Errno.ENOENT, n.errno(), n.getMessage());
            assertTrue(n.getMessage().contains("CTRL_CMD_GETFAMILY no-such-family"), n.getMessage());

            List<GenlMessage> families = client.request("CTRL_CMD_GETFAMILY dump",
                    seq -> GenericNetlink.request(GenericNetlink.GENL_ID_CTRL, NetlinkHeader.NLM_F_REQUEST
                            | NetlinkHeader.NLM_F_DUMP, seq, GenericNetlink.CTRL_CMD_GETFAMILY, 1).toByteArray(),
                    true, parts -> parts).get(5, TimeUnit.SECONDS);
            assertTrue(families.size() > 1, "the controller and at least one other family: " + families.size());
            assertTrue(families.stream().anyMatch(f -> "nlctrl".equals(f.attribute(GenericNetlink.CTRL_ATTR_FAMILY_NAME)
                    .string())), "nlctrl is among them");
        }
    }
}
