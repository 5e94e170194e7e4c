import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A UDP echo for the checker tests: java UdpEcho.java ADDRESS PORT; answers each datagram with "ok:" and the datagram. */
public class UdpEcho {
    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(args[0]),
                Integer.parseInt(args[1])))) {
            System.out.println("listening");
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] out = new byte[3 + p.getLength()];
                out[0] = 'o';
                out[1] = 'k';
                out[2] = ':';
                System.arraycopy(p.getData(), 0, out, 3, p.getLength());
                s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            }
        }
    }
}
