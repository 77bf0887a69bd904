import { addressText, ipUnder, mac } from '../dissect/addr.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import { ipv6Tapped } from '../dissect/ipv6.js';
import { ethernet, ipv4, ipv6, tcp, udp } from '../dissect/protocols.js';
import type { LineSink } from './sink.js';
import { visible } from './escape.js';
import { printfFixed } from '../util/printf.js';
import { CONVERSATION_TITLES, type ConversationType, type StatisticsKind } from './statistics-types.js';

/**
 * tshark's `-z conv,TYPE[,FILTER]` and `-z endpoints,TYPE[,FILTER]` (its ui/cli/tap-iousers.c and tap-endpoints.c):
 * each conversation of one protocol with its frames and bytes each way, its start relative to the first frame and its
 * duration; each endpoint with what it sent and received; in tshark 4.0's text tables. As tshark's taps, every layer
 * of the protocol in a frame counts (the outer and the inner IP header of a GRE packet), with the frame's length as
 * its bytes; the table's own filter picks frames, -Y does not. TCP's and UDP's conversations are their streams
 * (tcp.stream, udp.stream): a reused port pair after a closed stream is a conversation of its own; their endpoints
 * are address and port. Addresses are never resolved (tshark -n).
 */

const RULE = '='.repeat(80);
/** Rows a table keeps (a flood of addresses must not take all memory); frames of rows past them are counted apart. */
const MAX_ROWS = 1_000_000;

/** One layer's two ends as a table counts them. */
interface Ends {
  src: string;
  dst: string;
  /** TCP's and UDP's ports, -1 for the other types. */
  srcPort: number;
  dstPort: number;
  /** The stream (TCP, UDP), '' where the addresses alone say the conversation. */
  stream: string;
}
const ends: Ends = { src: '', dst: '', srcPort: -1, dstPort: -1, stream: '' };

/**
 * An IP header tshark's ip or ipv6 tap sees: an IPv4 header read whole (not one cut inside its options), an IPv6
 * header read, unless it carries a fragment of a datagram not yet whole (that is tapped once, when it is).
 */
export const tappedIpHeader = (l: Layer): boolean => {
  if (l.proto === ipv6) return l.hdrEnd > l.off && ipv6Tapped(l);
  const length = (l.buf[l.off]! & 0x0f) * 4;
  return l.proto === ipv4 && length >= 20 && l.off + length <= l.end;
};

/** Fills `ends` from a layer a `type` table counts, or says it counts none. */
function layerEnds(type: ConversationType, l: Layer, ctx: PacketCtx): boolean {
  // A packet an ICMP error quotes is no frame of its conversation (tshark's taps skip it).
  if (l.quoted) return false;
  ends.srcPort = ends.dstPort = -1;
  ends.stream = '';
  switch (type) {
    case 'eth':
      if (l.proto !== ethernet || l.off + 12 > l.end) return false;
      ends.src = mac(l.buf, l.off + 6);
      ends.dst = mac(l.buf, l.off);
      return true;
    case 'ip':
    case 'ipv6':
      if (l.proto !== (type === 'ip' ? ipv4 : ipv6) || !tappedIpHeader(l)) return false;
      ends.src = addressText(l, 'src');
      ends.dst = addressText(l, 'dst');
      return true;
    case 'tcp':
    case 'udp': {
      if (l.proto !== (type === 'tcp' ? tcp : udp) || l.flow.stream < 0) return false;
      const net = ipUnder(l, ctx);
      if (net === null) return false;
      ends.src = addressText(net, 'src');
      ends.dst = addressText(net, 'dst');
      ends.srcPort = l.dv.getUint16(l.off);
      ends.dstPort = l.dv.getUint16(l.off + 2);
      ends.stream = String(l.flow.stream);
      return true;
    }
  }
}

/** Frames and bytes one way ("tx": from the row's first address) and the other ("rx"). */
class Counts {
  txFrames = 0;
  txBytes = 0;
  rxFrames = 0;
  rxBytes = 0;
  get frames(): number {
    return this.txFrames + this.rxFrames;
  }
  add(sent: boolean, bytes: number): void {
    if (sent) {
      this.txFrames++;
      this.txBytes += bytes;
    } else {
      this.rxFrames++;
      this.rxBytes += bytes;
    }
  }
}

class Conversation extends Counts {
  constructor(
    /** The first frame's source and destination, with ports for TCP and UDP. */
    readonly a: string,
    readonly b: string,
    /** Seconds since the capture's first frame: the earliest and the latest frame's (a capture's times may go back). */
    public start: number,
    public stop: number,
  ) {
    super();
  }
}

class Endpoint extends Counts {
  constructor(
    readonly address: string,
    readonly port: number,
  ) {
    super();
  }
}

/** By total frames, most first; rows with as many in the order they came (tshark's draw loops). */
const byFrames = <T extends Counts>(rows: T[]): T[] => [...rows].sort((x, y) => y.frames - x.frames);

/** One `-z conv` or `-z endpoints` table: its rows in the order they came (a Map's). */
export class StatisticsTable {
  private readonly conversations = new Map<string, Conversation>();
  private readonly endpoints = new Map<string, Endpoint>();
  /** Layers of conversations or endpoints past MAX_ROWS, not counted in any row. */
  private uncounted = 0;

  constructor(
    readonly kind: StatisticsKind,
    readonly type: ConversationType,
    /** The table's filter as given (tshark prints it), and whether a frame passes it (its compiled form). */
    readonly filterText: string | null,
    private readonly passes: ((ctx: PacketCtx) => boolean) | null,
  ) {}

  /** Counts each layer of the table's protocol in a dissected frame. */
  observe(ctx: PacketCtx): void {
    if (this.passes && !this.passes(ctx)) return;
    const rel = ctx.tsSec - ctx.firstSec + (ctx.tsNsec - ctx.firstNsec) / 1e9;
    for (let i = 0; i < ctx.count; i++) {
      if (!layerEnds(this.type, ctx.layers[i]!, ctx)) continue;
      if (this.kind === 'endpoints') {
        this.endpoint(ends.src, ends.srcPort)?.add(true, ctx.len);
        this.endpoint(ends.dst, ends.dstPort)?.add(false, ctx.len);
      } else this.conversation(rel, ctx.len);
    }
  }

  private conversation(rel: number, bytes: number): void {
    const src = ends.srcPort < 0 ? ends.src : `${ends.src}:${ends.srcPort}`;
    const dst = ends.dstPort < 0 ? ends.dst : `${ends.dst}:${ends.dstPort}`;
    const forward = `${ends.stream}|${src}|${dst}`;
    let c = this.conversations.get(forward);
    let sent = c !== undefined;
    if (c === undefined) c = this.conversations.get(`${ends.stream}|${dst}|${src}`);
    if (c === undefined) {
      if (this.conversations.size >= MAX_ROWS) {
        this.uncounted++;
        return;
      }
      c = new Conversation(src, dst, rel, rel);
      this.conversations.set(forward, c);
      sent = true;
    }
    c.add(sent, bytes);
    if (rel > c.stop) c.stop = rel;
    else if (rel < c.start) c.start = rel;
  }

  private endpoint(address: string, port: number): Endpoint | null {
    const key = `${address}|${port}`;
    let e = this.endpoints.get(key);
    if (e === undefined) {
      if (this.endpoints.size >= MAX_ROWS) {
        this.uncounted++;
        return null;
      }
      e = new Endpoint(address, port);
      this.endpoints.set(key, e);
    }
    return e;
  }

  /** What the table could not count, for a warning; null when it counted every frame. */
  uncountedNote(): string | null {
    if (this.uncounted === 0) return null;
    return `-z ${this.kind},${this.type}: ${this.uncounted} frames past the table's ${MAX_ROWS} rows were not counted`;
  }

  /** The table as tshark prints it. */
  print(sink: LineSink): void {
    sink.line(RULE);
    sink.line(`${CONVERSATION_TITLES[this.type]} ${this.kind === 'conv' ? 'Conversations' : 'Endpoints'}`);
    sink.line(`Filter:${this.filterText === null ? '<No Filter>' : visible(this.filterText)}`);
    if (this.kind === 'conv') this.printConversations(sink);
    else this.printEndpoints(sink);
    sink.line(RULE);
  }

  private printConversations(sink: LineSink): void {
    const ports = this.type === 'tcp' || this.type === 'udp';
    const indent = ports ? ' '.repeat(12) : '';
    sink.line(
      `${indent}                                               |       <-      | |       ->      | ` +
        '|     Total     |    Relative    |   Duration   |',
    );
    sink.line(
      `${indent}                                               | Frames  Bytes | | Frames  Bytes | ` +
        '| Frames  Bytes |      Start     |              |',
    );
    const width = ports ? 26 : 20;
    const count = (frames: number, bytes: number) => `  ${String(frames).padStart(6)} ${sizeText(bytes).padEnd(9)}`;
    for (const c of byFrames([...this.conversations.values()])) {
      sink.line(
        `${visible(c.a).padEnd(width)} <-> ${visible(c.b).padEnd(width)}` +
          count(c.rxFrames, c.rxBytes) +
          count(c.txFrames, c.txBytes) +
          count(c.frames, c.txBytes + c.rxBytes) +
          `  ${printfFixed(c.start, 9).padStart(14)}   ${printfFixed(c.stop - c.start, 4).padStart(12)}`,
      );
    }
  }

  private printEndpoints(sink: LineSink): void {
    const ports = this.type === 'tcp' || this.type === 'udp';
    sink.line(
      `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | ` +
        '| Rx Packets | | Rx Bytes |',
    );
    const n = (v: number, width: number) => String(v).padStart(width);
    for (const e of byFrames([...this.endpoints.values()])) {
      sink.line(
        `${visible(e.address).padEnd(20)}      ${ports ? `${n(e.port, 5)}     ` : ''}${n(e.frames, 6)}     ` +
          `${n(e.txBytes + e.rxBytes, 9)}     ${n(e.txFrames, 6)}       ${n(e.txBytes, 9)}      ` +
          `${n(e.rxFrames, 6)}       ${n(e.rxBytes, 9)}   `,
      );
    }
  }
}

/**
 * A byte count as tshark 4.0's format_size writes it: exact under 10,000 (`750 bytes`), else whole units of 1000
 * rounded down (`12 kB`, `10 MB`).
 */
export function sizeText(bytes: number): string {
  const prefixes = ['k', 'M', 'G', 'T'];
  for (let p = prefixes.length; p >= 1; p--) {
    const scaled = Math.floor(bytes / 1000 ** p);
    if (scaled >= 10) return `${scaled} ${prefixes[p - 1]}B`;
  }
  return `${bytes} bytes`;
}
