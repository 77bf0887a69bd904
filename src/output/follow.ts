import { addressText } from '../dissect/addr.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import { tcp, udp } from '../dissect/protocols.js';
import { tcpHeaderCut, tcpSegmentLength } from '../dissect/tcp.js';
import { udpLength } from '../dissect/udp.js';
import { printfFixed } from '../util/printf.js';
import type { LineSink } from './sink.js';
import type { FollowSpec, StatisticsTap } from './statistics-types.js';

/**
 * tshark's `-z follow,tcp|udp,MODE,STREAM[,RANGE]` (its ui/cli/tap-follow.c, with TCP's follow tap of
 * epan/dissectors/packet-tcp.c): the payload of one TCP or UDP stream, each side's in turn as it was sent, the
 * second node's indented: what a cleartext tunnel let anyone on its path read (the telnet login inside a GRE
 * tunnel). TCP's data is put in sequence as tshark's follow puts it: a retransmission adds only what is new, a
 * segment ahead of a gap waits for the gap to fill, and data the receiver acknowledged that the capture missed is a
 * `[N bytes missing in capture file]` chunk. Modes: ascii, hex, raw, yaml.
 */

/** Payload a follow keeps, in chunks and out-of-order segments: a stream past it is cut, with a warning. */
const MAX_KEPT = 64 << 20;
/** Segments a side keeps waiting for a gap (each one waiting is looked at again for each segment that fills one). */
const MAX_WAITING = 1024;
const SEPARATOR = '='.repeat(67);

interface Chunk {
  /** Sent by the second node (tshark's server: not the sender of the first segment seen). */
  readonly server: boolean;
  readonly data: Uint8Array;
  readonly frame: number;
  readonly sec: number;
  readonly nsec: number;
  /** The TCP sequence number of its first byte. */
  readonly seq: number;
}

/** An endpoint: its address as text, its port, and whether it is IPv6 (written in brackets). */
interface Node {
  readonly address: string;
  readonly port: number;
  readonly v6: boolean;
}

/** TCP's sequence numbers compare modulo 2^32. */
const lt = (a: number, b: number) => ((a - b) | 0) < 0;
const gt = (a: number, b: number) => ((a - b) | 0) > 0;

const TH_SYN = 0x02;
const TH_ACK = 0x10;

export class FollowStream implements StatisticsTap {
  private client: Node | null = null;
  private serverNode: Node | null = null;
  private readonly chunks: Chunk[] = [];
  /** Each side's segments that came ahead of a gap (client, server), waiting for it. */
  private readonly fragments: [Chunk[], Chunk[]] = [[], []];
  /** Each side's next expected sequence number, and the bytes put in order. */
  private readonly nextSeq = [0, 0];
  private readonly written = [0, 0];
  private kept = 0;
  private dropped = 0;

  constructor(
    private readonly spec: FollowSpec,
    private readonly passes: (ctx: PacketCtx) => boolean,
  ) {}

  observe(ctx: PacketCtx): void {
    if (!this.passes(ctx)) return;
    const proto = this.spec.proto === 'tcp' ? tcp : udp;
    let server: boolean | null = null;
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      if (l.proto !== proto || !(proto === tcp ? followsSegment(ctx, l) : followsDatagram(l))) continue;
      server ??= this.side(ctx);
      if (server === null) return;
      if (proto === tcp) this.segment(ctx, l, server);
      else this.datagram(ctx, l, server);
    }
  }

  /**
   * Which side sent the frame (true: the second node), the first frame naming the first node. As tshark's follow
   * runs when the frame has been dissected, a frame's sender is its innermost IP source and the ports of its last
   * TCP or UDP header (a UDP tunnel's datagram is told by the packet it carries).
   */
  private side(ctx: PacketCtx): boolean | null {
    let ip: Layer | null = null;
    let ports: Layer | null = null;
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      if (l.proto.family !== undefined && l.hdrEnd > l.off) ip = l;
      else if ((l.proto === tcp || l.proto === udp) && l.off + 4 <= l.end) ports = l;
    }
    if (ip === null || ports === null) return null;
    const from = addressText(ip, 'src');
    const src = ports.dv.getUint16(ports.off);
    if (this.client === null) {
      const v6 = ip.proto.family === 6;
      this.client = { address: from, port: src, v6 };
      this.serverNode = { address: addressText(ip, 'dst'), port: ports.dv.getUint16(ports.off + 2), v6 };
    }
    return !(from === this.client.address && src === this.client.port);
  }

  /** A UDP datagram: its payload is a chunk as it is (tshark's follow_tvb_tap_listener). */
  private datagram(ctx: PacketCtx, l: Layer, server: boolean): void {
    this.keep(this.chunk(ctx, server, l.buf.subarray(l.hdrEnd, l.end), 0));
  }

  /** A TCP segment, put in sequence as tshark's follow_tcp_tap_listener does. */
  private segment(ctx: PacketCtx, l: Layer, server: boolean): void {
    let length = tcpSegmentLength(l, ctx);
    const flags = l.buf[l.off + 13]!;
    let sequence = l.dv.getUint32(l.off + 4);
    if (flags & TH_SYN) sequence = (sequence + 1) >>> 0;
    const s = server ? 1 : 0;
    // Data of the other side this segment acknowledges, that the capture lacks: a chunk says so (a segment without
    // the ACK flag acknowledges nothing; tshark reads its unused field all the same).
    if (flags & TH_ACK && this.fragments[1 - s]!.length > 0) {
      const ack = l.dv.getUint32(l.off + 8);
      while (this.fillFromFragments(1 - s, ack, ctx, true));
    }
    if (this.written[s] === 0 && this.nextSeq[s] === 0) this.nextSeq[s] = sequence;
    let offset = 0;
    let captured = Math.max(0, l.end - l.hdrEnd);
    if (lt(sequence, this.nextSeq[s]!)) {
      // A retransmission, maybe with more data than was seen: only what is new counts.
      const end = (sequence + length) >>> 0;
      if (gt(end, this.nextSeq[s]!)) {
        offset = (this.nextSeq[s]! - sequence) >>> 0;
        captured = captured <= offset ? 0 : captured - offset;
        sequence = this.nextSeq[s]!;
        length = (end - this.nextSeq[s]!) >>> 0;
      }
    }
    if (captured === 0 || lt(sequence, this.nextSeq[s]!)) return;
    const chunk = this.chunk(ctx, server, l.buf.subarray(l.hdrEnd + offset, l.hdrEnd + offset + captured), sequence);
    if (sequence === this.nextSeq[s]) {
      this.nextSeq[s] = (this.nextSeq[s]! + length) >>> 0;
      this.written[s]! += chunk.data.length;
      this.keep(chunk);
      while (this.fillFromFragments(s, 0, ctx, false));
    } else if (this.fragments[s]!.length >= MAX_WAITING) this.dropped += chunk.data.length;
    else if (this.room(chunk.data.length)) this.fragments[s]!.push(chunk);
  }

  /**
   * Puts one waiting segment of side s in order if it now fits (tshark's check_follow_fragments): one that starts at
   * or before the next expected byte; or, when the other side acknowledged past the lowest waiting one, a chunk
   * saying how many bytes the capture missed. Returns whether it put one.
   */
  private fillFromFragments(s: number, acknowledged: number, ctx: PacketCtx, useAck: boolean): boolean {
    const waiting = this.fragments[s]!;
    if (waiting.length === 0) return false;
    let lowest = waiting[0]!.seq;
    for (let i = 0; i < waiting.length; i++) {
      const f = waiting[i]!;
      if (gt(lowest, f.seq)) lowest = f.seq;
      if (lt(f.seq, this.nextSeq[s]!)) {
        // Partly seen already: the part past the next expected byte is new.
        const end = (f.seq + f.data.length) >>> 0;
        if (gt(end, this.nextSeq[s]!)) {
          const seen = (this.nextSeq[s]! - f.seq) >>> 0;
          if (f.data.length > seen) {
            const rest = f.data.subarray(seen);
            this.keep({ ...f, data: rest, seq: (this.nextSeq[s]! + rest.length) >>> 0 });
          }
          this.nextSeq[s] = (this.nextSeq[s]! + f.data.length - seen) >>> 0;
        }
        this.unwait(waiting, i);
        return true;
      }
      if (f.seq === this.nextSeq[s]) {
        if (f.data.length > 0) this.keep(f, false);
        this.nextSeq[s] = (this.nextSeq[s]! + f.data.length) >>> 0;
        waiting.splice(i, 1);
        return true;
      }
    }
    if (useAck && gt(acknowledged, lowest)) {
      const note = new TextEncoder().encode(`[${(lowest - this.nextSeq[s]!) | 0} bytes missing in capture file]\0`);
      this.keep({ server: s === 1, data: note, frame: ctx.frameNo, sec: 0, nsec: 0, seq: lowest });
      this.nextSeq[s] = lowest;
      return true;
    }
    return false;
  }

  private unwait(waiting: Chunk[], i: number): void {
    this.kept -= waiting[i]!.data.length;
    waiting.splice(i, 1);
  }

  private chunk(ctx: PacketCtx, server: boolean, payload: Uint8Array, seq: number): Chunk {
    return { server, data: payload.slice(), frame: ctx.frameNo, sec: ctx.tsSec, nsec: ctx.tsNsec, seq };
  }

  /** Whether `bytes` more may be kept; past MAX_KEPT they are counted as left out. */
  private room(bytes: number): boolean {
    if (this.kept + bytes > MAX_KEPT) {
      this.dropped += bytes;
      return false;
    }
    this.kept += bytes;
    return true;
  }

  /** Adds a chunk to the stream (a waiting segment was counted when it came: `count` false). */
  private keep(chunk: Chunk, count = true): void {
    if (!count || this.room(chunk.data.length)) this.chunks.push(chunk);
  }

  uncountedNote(): string | null {
    if (this.dropped === 0) return null;
    return (
      `-z follow,${this.spec.proto}: ${this.dropped} bytes were left out, past the ${MAX_KEPT >> 20} MiB a follow ` +
      `keeps or the ${MAX_WAITING} segments a side keeps waiting for a gap`
    );
  }

  print(sink: LineSink): void {
    const { mode } = this.spec;
    const none: Node = { address: '', port: 0, v6: false };
    const client = this.client ?? none;
    const server = this.serverNode ?? none;
    if (mode === 'yaml') {
      sink.line('peers:');
      sink.line('  - peer: 0');
      sink.line(`    host: ${client.address}`);
      sink.line(`    port: ${client.port}`);
      sink.line('  - peer: 1');
      sink.line(`    host: ${server.address}`);
      sink.line(`    port: ${server.port}`);
      sink.line('packets:');
    } else {
      const node = (n: Node) => (n.v6 ? `[${n.address}]:${n.port}` : `${n.address}:${n.port}`);
      sink.line('');
      sink.line(SEPARATOR);
      sink.line(`Follow: ${this.spec.proto},${mode}`);
      sink.line(`Filter: ${this.spec.filter}`);
      sink.line(`Node 0: ${node(client)}`);
      sink.line(`Node 1: ${node(server)}`);
    }
    // Each side's bytes so far: a hex dump's offsets.
    const position = [0, 0];
    this.chunks.forEach((c, i) => {
      const side = c.server ? 1 : 0;
      const number = i + 1;
      if (number < this.spec.first || number > this.spec.last) {
        position[side]! += c.data.length;
        return;
      }
      const indent = c.server ? '\t' : '';
      switch (mode) {
        case 'ascii':
          sink.line(`${indent}${c.data.length}`);
          sink.line(asciiText(c.data));
          break;
        case 'hex':
          hexDump(sink, indent, position[side]!, c.data);
          position[side]! += c.data.length;
          break;
        case 'raw':
          sink.line(indent + Buffer.from(c.data).toString('hex'));
          break;
        case 'yaml':
          sink.line(`  - packet: ${c.frame}`);
          sink.line(`    peer: ${side}`);
          sink.line(`    timestamp: ${printfFixed(c.sec + c.nsec / 1e9, 9)}`);
          sink.line('    data: !!binary |');
          // 57 bytes a line: 76 characters of base64, as in RFCs.
          for (let at = 0; at < c.data.length; at += 57)
            sink.line(`      ${Buffer.from(c.data.subarray(at, at + 57)).toString('base64')}`);
          break;
      }
    });
    if (mode !== 'yaml') sink.line(SEPARATOR);
  }
}

/** tshark's follow sees a segment whose length it knows: not one an ICMP error quotes, nor a lone IP fragment. */
function followsSegment(ctx: PacketCtx, l: Layer): boolean {
  return !l.quoted && l.hdrEnd > l.off && !tcpHeaderCut(l) && tcpSegmentLength(l, ctx) >= 0;
}

/**
 * A datagram with captured payload (tshark's follow fails on one cut before it), of a length of at least its header,
 * not one an ICMP error quotes.
 */
function followsDatagram(l: Layer): boolean {
  return !l.quoted && l.hdrEnd === l.off + 8 && udpLength(l) >= 8 && l.end > l.hdrEnd;
}

/**
 * tshark's ascii mode: printable bytes as they are, line ends kept, others as dots. A carriage return that no line
 * feed follows is a dot here (tshark writes it raw): it would move a terminal's cursor back over what was written.
 */
function asciiText(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x0a || (b >= 0x20 && b < 0x7f)) s += String.fromCharCode(b);
    else if (b === 0x0d && (i + 1 === data.length || data[i + 1] === 0x0a)) s += '\r';
    else s += '.';
  }
  return s;
}

/** tshark's follow_print_hex: offset, 16 bytes in hex (a space after 8), their text; the last space dropped. */
function hexDump(sink: LineSink, indent: string, offset: number, data: Uint8Array): void {
  for (let at = 0; at < data.length; at += 16, offset += 16) {
    const row = data.subarray(at, at + 16);
    let hex = '';
    let text = '';
    row.forEach((b, i) => {
      hex += `${b.toString(16).padStart(2, '0')} ${i === 7 ? ' ' : ''}`;
      text += `${b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}${i === 7 ? ' ' : ''}`;
    });
    if (text.endsWith(' ')) text = text.slice(0, -1);
    sink.line(`${indent}${(offset >>> 0).toString(16).toUpperCase().padStart(8, '0')}  ${hex.padEnd(50)}${text}`);
  }
}
