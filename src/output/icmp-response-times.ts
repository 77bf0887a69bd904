import { addressText, ipUnder } from '../dissect/addr.js';
import { icmp, icmpv6 } from '../dissect/icmp.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import { tcp, udp } from '../dissect/protocols.js';
import { printfFixed } from '../util/printf.js';
import { visible } from './escape.js';
import type { LineSink } from './sink.js';
import { responseTimesTable, type StatisticsTap } from './statistics-types.js';

/**
 * tshark's `-z icmp,srt[,FILTER]` and `-z icmpv6,srt[,FILTER]`: the echo requests (pings) seen, the replies matched to
 * them, how many were lost, and the response times (least, greatest, mean, median, standard deviation, the frames of
 * the fastest and the slowest reply). Whether pings cross a tunnel, and how fast.
 *
 * A reply is matched as tshark's ICMP dissectors match it, in one pass: to the last request between the same two
 * addresses (either way; after the same transport, as a VXLAN's inner ping), with the same identifier and sequence
 * number, whose checksum differs from the reply's by just the type (so a request sent again with other data is another
 * request). A reply counts once; a request counts whether or not a reply comes.
 */

const RULE = '='.repeat(74);
/** Requests remembered at once, awaiting their replies (tshark keeps every one, answered or not). */
const MAX_WAITING = 1_000_000;
/** Response times kept for the median (tshark keeps every one). */
const MAX_TIMES = 10_000_000;
/** The largest 32-bit unsigned integer: tshark's least response time before any is seen. */
const G_MAXUINT = 4294967295;
/** What sets an echo reply's checksum apart from its request's: the type, in the first 16-bit word. */
const REPLY_TYPE_DIFFERENCE = { 4: 0x0800, 6: 0x0100 } as const;

/** When a request awaiting its reply was seen. */
interface Request {
  sec: number;
  nsec: number;
}

export class IcmpResponseTimes implements StatisticsTap {
  private readonly proto: typeof icmp;
  /** Requests not yet answered, by their key: an answered one is forgotten, as its second reply counts for nothing. */
  private readonly waiting = new Map<string, Request>();
  private requests = 0;
  private replies = 0;
  /** Requests not remembered (MAX_WAITING reached) and response times not kept for the median (MAX_TIMES). */
  private forgotten = 0;
  private untimed = 0;
  private readonly times: number[] = [];
  private minMs = G_MAXUINT;
  private maxMs = 0;
  private totalMs = 0;
  private minFrame = 0;
  private maxFrame = 0;

  constructor(
    private readonly version: 4 | 6,
    private readonly filterText: string | null,
    private readonly passes: ((ctx: PacketCtx) => boolean) | null,
  ) {
    this.proto = version === 4 ? icmp : icmpv6;
  }

  observe(ctx: PacketCtx): void {
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      if (l.proto !== this.proto || l.quoted || l.off + 8 > l.end) continue;
      const type = l.buf[l.off]!;
      const request = this.version === 4 ? type === 8 : type === 128;
      const reply = this.version === 4 ? type === 0 : type === 129;
      if (!request && !reply) continue;
      const at = echoTransport(ctx, l);
      // A Teredo echo request (to port 3544) carries a nonce, not a ping: tshark matches nothing to it.
      if (this.version === 6 && request && at.dstPort === 3544) continue;
      const key = this.key(ctx, l, at.transport, request);
      if (key === null) continue;
      // tshark matches every frame, and its tap counts those its filter passes.
      const counted = !this.passes || this.passes(ctx);
      if (request) this.request(ctx, key, counted);
      else this.reply(ctx, key, counted);
    }
  }

  /**
   * The transaction's key: the two addresses in a fixed order, the transport before the message (tshark's conversation
   * by pinfo->ptype, no ports), the identifier and sequence number, and the checksum the reply carries (a request's
   * own, changed by the type, in one's complement; ICMPv6 keys its reply by the request's checksum instead).
   */
  private key(ctx: PacketCtx, l: Layer, transport: string, request: boolean): string | null {
    const ip = ipUnder(l, ctx);
    if (ip === null) return null;
    const src = addressText(ip, 'src');
    const dst = addressText(ip, 'dst');
    const checksum = l.dv.getUint16(l.off + 2);
    // 0 and 0xffff are one number in one's complement: tshark makes them one in the key the reply side reckons.
    let sum: number;
    if (this.version === 4) sum = request ? checksumPlus(checksum, REPLY_TYPE_DIFFERENCE[4]) : checksum % 0xffff;
    else sum = request ? checksum : checksumPlus(checksum, REPLY_TYPE_DIFFERENCE[6]) || 0xffff;
    const ends = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    return `${ends} ${transport} ${sum} ${l.dv.getUint32(l.off + 4)}`;
  }

  private request(ctx: PacketCtx, key: string, counted: boolean): void {
    if (this.waiting.size >= MAX_WAITING && !this.waiting.has(key)) this.forgotten++;
    else this.waiting.set(key, { sec: ctx.tsSec, nsec: ctx.tsNsec });
    if (counted) this.requests++;
  }

  private reply(ctx: PacketCtx, key: string, counted: boolean): void {
    const request = this.waiting.get(key);
    if (request === undefined) return;
    this.waiting.delete(key);
    if (!counted) return;
    const ms = elapsedMs(ctx.tsSec, ctx.tsNsec, request.sec, request.nsec);
    if (this.times.length < MAX_TIMES) this.times.push(ms);
    else this.untimed++;
    this.replies++;
    if (this.minMs > ms) {
      this.minMs = ms;
      this.minFrame = ctx.frameNo;
    }
    if (this.maxMs < ms) {
      this.maxMs = ms;
      this.maxFrame = ctx.frameNo;
    }
    this.totalMs += ms;
  }

  uncountedNote(): string | null {
    const notes: string[] = [];
    if (this.forgotten > 0)
      notes.push(`${this.forgotten} requests past the ${MAX_WAITING} awaiting replies were not remembered`);
    if (this.untimed > 0) notes.push(`${this.untimed} response times past ${MAX_TIMES} were left out of the median`);
    return notes.length === 0 ? null : `-z ${responseTimesTable(this.version)}: ${notes.join('; ')}`;
  }

  print(sink: LineSink): void {
    sink.line('');
    sink.line(RULE);
    sink.line(`ICMP${this.version === 6 ? 'v6' : ''} Service Response Time (SRT) Statistics (all times in ms):`);
    sink.line(`Filter: ${this.filterText === null ? '<none>' : visible(this.filterText)}`);
    sink.line('');
    sink.line('Requests  Replies   Lost      % Loss');
    const heading = 'Minimum   Maximum   Mean      Median    SDeviation     Min Frame Max Frame';
    if (this.requests === 0) {
      sink.line('0         0         0           0.0%');
      sink.line('');
      sink.line(heading);
      sink.line('0.000     0.000     0.000     0.000     0.000          0         0');
    } else {
      // tshark's counts are unsigned: more replies than requests (a filter that passes replies only) wrap around.
      const lost = (this.requests - this.replies) >>> 0;
      const { mean, median, deviation } = this.summary();
      const ms = (x: number) => printfFixed(x, 3).padEnd(10);
      sink.line(
        `${String(this.requests).padEnd(10)}${String(this.replies).padEnd(10)}${String(lost).padEnd(10)}` +
          `${printfFixed((100 * lost) / this.requests, 1).padStart(5)}%`,
      );
      sink.line('');
      sink.line(heading);
      sink.line(
        `${ms(this.minMs >= G_MAXUINT ? 0 : this.minMs)}${ms(this.maxMs)}${ms(mean)}${ms(median)}${ms(deviation)}` +
          `     ${String(this.minFrame).padEnd(10)}${String(this.maxFrame).padEnd(10)}`,
      );
    }
    sink.line(RULE);
  }

  /** The mean, the median (of the two middle times when their number is even) and the sample standard deviation. */
  private summary(): { mean: number; median: number; deviation: number } {
    const times = this.times;
    if (this.replies === 0 || times.length === 0) return { mean: 0, median: 0, deviation: 0 };
    const mean = this.totalMs / this.replies;
    times.sort((a, b) => a - b);
    const n = times.length;
    const median = n & 1 ? times[n >> 1]! : (times[(n - 1) >> 1]! + times[n >> 1]!) / 2;
    let squares = 0;
    for (const t of times) squares += (t - mean) * (t - mean);
    return { mean, median, deviation: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
  }
}

/** The last transport before an echo (tshark's pinfo->ptype when ICMP runs) and its destination port. */
function echoTransport(ctx: PacketCtx, echo: Layer): { transport: string; dstPort: number } {
  let transport = 'NONE';
  let dstPort = 0;
  for (let i = 0; i < ctx.count && ctx.layers[i] !== echo; i++) {
    const l = ctx.layers[i]!;
    if (l.quoted || (l.proto !== udp && l.proto !== tcp) || l.off + 4 > l.end) continue;
    transport = l.proto === udp ? 'UDP' : 'TCP';
    dstPort = l.dv.getUint16(l.off + 2);
  }
  return { transport, dstPort };
}

/**
 * A checksum with `difference` added in one's complement: the checksum of the message whose first word is less by
 * `difference` (tshark's ip_checksum of the two words' complements).
 */
function checksumPlus(checksum: number, difference: number): number {
  let sum = (~checksum & 0xffff) + (~difference & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Milliseconds from one time to a later one, as Wireshark's nstime_delta and nstime_to_msec reckon them. */
function elapsedMs(sec: number, nsec: number, fromSec: number, fromNsec: number): number {
  let secs = sec - fromSec;
  let nsecs = nsec - fromNsec;
  if (secs > 0 && nsecs < 0) {
    nsecs += 1e9;
    secs--;
  } else if (secs < 0 && nsecs > 0) {
    nsecs -= 1e9;
    secs++;
  }
  return secs * 1000 + nsecs / 1e6;
}
