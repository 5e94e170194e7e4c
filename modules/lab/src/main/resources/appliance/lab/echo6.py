# ICMPv6 echo requests to one address at a fixed pace, whether or not replies come: the IPv6
# counterpart of hping3 --icmp -i uN (hping3 speaks IPv4 only). The kernel fills in the ICMPv6
# checksum of a raw ICMPv6 socket. Usage: python3 echo6.py ADDRESS INTERVAL_MICROSECONDS
import os, socket, struct, sys, time

address, interval = sys.argv[1], int(sys.argv[2]) / 1e6
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
ident = os.getpid() & 0xffff
seq = 0
deadline = time.monotonic()
while True:
    try:
        s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq & 0xffff) + b"halab-echo", (address, 0))
    except OSError:
        pass  # an unreachable neighbour is reported on a later send: the outage being measured
    seq += 1
    deadline += interval
    pause = deadline - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    else:
        deadline = time.monotonic()
