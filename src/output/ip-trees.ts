import { addressText } from '../dissect/addr.js';
import type { PacketCtx } from '../dissect/packet.js';
import { ipv4, ipv6, tcp, udp } from '../dissect/protocols.js';
import { ipx, ipxEnds } from '../dissect/ipx.js';
import { tappedIpHeader } from './conversation-stats.js';
import type { LineSink } from './sink.js';
import type { StatisticsTap, StatsTreeName } from './statistics-types.js';
import { StatsNode, StatsTree } from './stats-tree.js';

/**
 * tshark's IPv4 and IPv6 statistics trees (Wireshark's pinfo_stats_tree plugin), counted once for each IPv4 (IPv6)
 * header a frame holds (twice for a GRE packet, as tshark's ip and ipv6 taps see them; not for a header an ICMP error
 * quotes), by the frame's innermost addresses:
 * `ip_hosts,tree` the addresses, `ip_srcdst,tree` the sources and the destinations, `ptype,tree` the frame's
 * transport (TCP, UDP; NONE for GRE, ESP, OSPF...), `dests,tree` each destination's transports and ports; `ipv6_hosts`,
 * `ipv6_srcdst`, `ipv6_ptype`, `ipv6_dests` the same by IPv6 headers. Which hosts talk across a tunnel, and how much.
 */

/** Each tree: its title, what it counts, the IP version whose headers it counts. */
const IP_TREES = {
  ip_hosts: { title: 'IPv4 Statistics/All Addresses', counts: 'hosts', version: 4 },
  ip_srcdst: { title: 'IPv4 Statistics/Source and Destination Addresses', counts: 'srcdst', version: 4 },
  ptype: { title: 'IPv4 Statistics/IP Protocol Types', counts: 'ptype', version: 4 },
  dests: { title: 'IPv4 Statistics/Destinations and Ports', counts: 'dests', version: 4 },
  ipv6_hosts: { title: 'IPv6 Statistics/All Addresses', counts: 'hosts', version: 6 },
  ipv6_srcdst: { title: 'IPv6 Statistics/Source and Destination Addresses', counts: 'srcdst', version: 6 },
  ipv6_ptype: { title: 'IPv6 Statistics/IP Protocol Types', counts: 'ptype', version: 6 },
  ipv6_dests: { title: 'IPv6 Statistics/Destinations and Ports', counts: 'dests', version: 6 },
} as const satisfies Record<Exclude<StatsTreeName, 'plen'>, { title: string; counts: string; version: 4 | 6 }>;
export type IpTreeKind = keyof typeof IP_TREES;

export class IpTree implements StatisticsTap {
  private readonly tree: StatsTree;
  private readonly tops: StatsNode[];
  private readonly counts: (typeof IP_TREES)[IpTreeKind]['counts'];
  private readonly header: typeof ipv4;

  constructor(
    private readonly kind: IpTreeKind,
    private readonly passes: ((ctx: PacketCtx) => boolean) | null,
  ) {
    const { title, counts, version } = IP_TREES[kind];
    this.tree = new StatsTree(title);
    this.counts = counts;
    this.header = version === 4 ? ipv4 : ipv6;
    const names =
      counts === 'srcdst'
        ? [`Source IPv${version} Addresses`, `Destination IPv${version} Addresses`]
        : [title.slice(title.lastIndexOf('/') + 1)];
    this.tops = names.map((name) => this.tree.root.child(name));
  }

  observe(ctx: PacketCtx): void {
    if (this.passes && !this.passes(ctx)) return;
    const now = (ctx.tsSec - ctx.firstSec) * 1000 + (ctx.tsNsec - ctx.firstNsec) / 1e6;
    // tshark's tree reads the frame when it has been dissected: each IP header counts with the frame's innermost
    // addresses, transport and port.
    const { src, dst, transport, port } = innermost(ctx);
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      if (l.proto !== this.header || l.quoted || !tappedIpHeader(l)) continue;
      this.tree.at(now);
      const [top, second] = this.tops as [StatsNode, StatsNode | undefined];
      switch (this.counts) {
        case 'hosts':
          top.tick();
          top.child(src).tick();
          top.child(dst).tick();
          break;
        case 'srcdst':
          top.tick();
          top.child(src).tick();
          second!.tick();
          second!.child(dst).tick();
          break;
        case 'ptype':
          top.tick();
          top.child(transport).tick();
          break;
        case 'dests': {
          top.tick();
          const host = top.child(dst);
          host.tick();
          const type = host.child(transport);
          type.tick();
          type.child(String(port)).tick();
          break;
        }
      }
    }
  }

  uncountedNote(): string | null {
    return this.tree.uncountedNote(`${this.kind},tree`);
  }

  print(sink: LineSink): void {
    this.tree.print(sink);
  }
}

/**
 * The frame's last network source and destination (tshark's pinfo->net_src and net_dst: its innermost IP or IPX
 * header's, not one an ICMP error quotes), and its last transport, with the destination port (pinfo->ptype and
 * destport: TCP, UDP, or IPX and its socket; an ICMP error's quoted segment sets them, its quoted addresses are put
 * back).
 */
function innermost(ctx: PacketCtx): { src: string; dst: string; transport: string; port: number } {
  const last = { src: '', dst: '', transport: 'NONE', port: 0 };
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    // tshark takes a UDP header's ports once it has all 8 bytes of it, a TCP header's when it has read them.
    if ((l.proto === tcp && l.off + 4 <= l.end) || (l.proto === udp && l.off + 8 <= l.end)) {
      last.transport = l.proto === tcp ? 'TCP' : 'UDP';
      last.port = l.dv.getUint16(l.off + 2);
    } else if (l.quoted) continue;
    else if (l.proto.family !== undefined && l.hdrEnd > l.off) {
      last.src = addressText(l, 'src');
      last.dst = addressText(l, 'dst');
    } else if (l.proto === ipx) {
      const ends = ipxEnds(l);
      if (ends === null) continue;
      last.src = ends.src;
      last.dst = ends.dst;
      last.transport = 'IPX';
      last.port = ends.dstSocket;
    }
  }
  return last;
}
