import { W, type Warning } from './warnings.js';
import { FlowFacts } from './flow.js';
import type { EngineState } from './state.js';
import type { TextOut } from '../util/text-out.js';
import type { CaptureInterface } from '../capture/frame.js';
import type { DeclaredFields, Field, Values } from './field.js';
import type { JsonMembers } from './json.js';
import type { Reassembled } from './reassembly.js';

export type PayloadData = 'after' | 'within';
/** The payloadData of a protocol whose undissected payload is always data after it. */
export const DATA_AFTER = (): PayloadData => 'after';

/** Dispatch tables: which field of the parent names the child. */
export const Table = {
  None: 0,
  Link: 1,
  EtherType: 2,
  IpProto: 3,
  GreProto: 4,
  UdpPort: 5,
  PppProto: 6,
  /** What an 802.3 length field (<= 1500, where Ethernet II has its type) says follows: LLC, key 0. */
  Ieee8023: 7,
  /** LLC's destination SAP. */
  LlcSap: 8,
  /** Cisco's SNAP protocol IDs (organisation code 00:00:0c). */
  CiscoSnap: 9,
  TcpPort: 10,
} as const;
export type TableId = (typeof Table)[keyof typeof Table];

/**
 * Reads one layer at l.off (its bytes end at l.end) and sets l.hdrEnd. To go
 * on, it calls ctx.handoff(); otherwise the packet ends here. It never throws:
 * short or lying headers become warnings.
 */
export type Dissector = (ctx: PacketCtx, l: Layer) => void;

export interface Protocol {
  /** The name in JSON output (CONTRACT.md). */
  readonly name: string;
  readonly dissect: Dissector;
  /**
   * The layer's JSON members (CONTRACT.md), declared once (json.ts): each
   * names one of the fields below or a value derived from the layer.
   */
  readonly json: JsonMembers;
  /**
   * Writes the layer's part of a text line, tcpdump-style; network layers
   * write "src > dst:". A layer that writes nothing is left out of the line.
   */
  readonly summary: (l: Layer, out: TextOut) => void;
  /**
   * The message's name ("OSPFv2 Hello", "ICMP echo request"): the start of
   * the summary, and what the tunnel table names a multicast group's traffic by.
   */
  readonly label?: (l: Layer) => string;
  /** True for layers that carry addresses (they open a segment in a text line). */
  readonly network?: boolean;
  /** 4 or 6 for IP: for helpers the protocol files import (addr.ts), which cannot import them back to compare. */
  readonly family?: 4 | 6;
  /** Wireshark's filter name of the protocol (`ip` for ipv4); the JSON name when absent. */
  readonly abbrev?: string;
  /** The protocol's title in the packet detail tree (-V), as Wireshark's. */
  readonly title?: string;
  /** Header fields (field.ts), built at their first use: what display filters, -T fields and -V read. */
  readonly hf?: DeclaredFields;
  /**
   * The layer's field occurrences in the order and nesting of Wireshark's tree, for a protocol whose records nest
   * in ways a declared list does not say (IKE's payloads, proposals, transforms, attributes): -V and the UI show
   * them so, rather than field by field. Each visit has one occurrence in v, at a depth (1: under the title).
   * `quoted` draws the quoted layers that follow (an NHRP indication's packet) at a depth in this tree; a tree that
   * does not call it has them after its fields, one level under its title (an ICMP error's).
   */
  readonly tree?: (
    l: Layer,
    ctx: PacketCtx,
    visit: (f: Field, v: Values, depth: number) => void,
    quoted: (depth: number) => void,
  ) => void;
  /**
   * Wireshark hands this protocol's payload on through its `ethertype` dissector, which names itself in the frame's
   * protocols (`eth:ethertype:ip`).
   */
  readonly ethertype?: boolean;
  /**
   * Whether bytes after its header that no protocol takes are Wireshark's `data` in this layer: a TCP or UDP payload,
   * an IP fragment's (a protocol after it, `after`), an ICMP echo's (shown within its own tree, `within`). Without it,
   * or where it says null, they are its own body (OSPF's, ESP's, an ICMPv6 neighbour solicitation's).
   */
  readonly payloadData?: (l: Layer) => PayloadData | null;
  /** Its names in frame.protocols where Wireshark's differ from its abbreviation (802.11's `wlan:llc`; '' for none). */
  readonly frameNames?: (l: Layer) => string;
  /**
   * Its protocol items at the top of Wireshark's tree (what tshark's -z io,phs counts) where they differ from its
   * frame.protocols names: IS-IS's PDU kind without the `osi` that adds no item, IGMP's one item.
   */
  readonly treeNames?: (l: Layer) => string;
  /** Whether Wireshark draws this layer within the tree of the one before it (AH after IPv6: an extension header). */
  readonly drawnWithin?: (previous: Layer) => boolean;
}

/**
 * A protocol with every member present, in one order, so that all
 * protocols share one hidden class: the per-layer reads (`proto.dissect`,
 * `proto.network`, `proto.summary`) are then monomorphic. As object
 * literals, each with its own set of optional members, the 49 protocols
 * had seven shapes: a read that met more than one checked them in turn,
 * and one that met more than four became a megamorphic lookup.
 */
export function protocol(p: Protocol): Protocol {
  return {
    name: p.name,
    dissect: p.dissect,
    json: p.json,
    summary: p.summary,
    label: p.label,
    network: p.network ?? false,
    family: p.family,
    abbrev: p.abbrev,
    title: p.title,
    hf: p.hf,
    tree: p.tree,
    ethertype: p.ethertype ?? false,
    payloadData: p.payloadData,
    frameNames: p.frameNames,
    treeNames: p.treeNames,
    drawnWithin: p.drawnWithin,
  };
}

/** One dissected layer: a slot reused from packet to packet. */
export class Layer {
  proto!: Protocol;
  buf!: Uint8Array;
  dv!: DataView;
  off = 0;
  /** End of this layer's captured bytes. */
  end = 0;
  /** End of the header; the payload is [hdrEnd, end). Left negative by a dissector that could not read its header. */
  hdrEnd = 0;
  /** Bytes of this layer were lost to the snaplen (caplen < wire length). */
  short = false;
  /** This layer belongs to a packet quoted inside an ICMP error. */
  quoted = false;
  /** This layer came out of ESP (decrypted or NULL-encrypted). */
  fromEsp = false;
  /** The key of the table entry that named this protocol (a GRE protocol type, a port), and that table. */
  key = 0;
  via: TableId = Table.None;
  /**
   * What the parent told this layer, -1 for nothing: GRE hands its flags
   * word, as Wireshark's gre_hdr_info_t, so ERSPAN knows its type without
   * looking back at the layer before it.
   */
  hint = -1;
  /** Protocol-specific verdicts the dissector records for output (see each protocol file). */
  aux = 0;
  aux2 = 0;
  /**
   * An IPv4 or IPv6 layer's datagram put together from its fragments. Not reset from packet to packet: read only where
   * the layer's aux says it was reassembled in this packet.
   */
  reassembled: Reassembled | null = null;
  /** A TCP or UDP layer's conversation, where the engine keeps them (conversations.ts). */
  readonly flow = new FlowFacts();
}

export const MAX_LAYERS = 32;
const MAX_WARNINGS = 8;

/** The state of one packet's dissection; one instance is reused for every packet. */
export class PacketCtx {
  readonly layers: Layer[] = Array.from({ length: MAX_LAYERS }, () => new Layer());
  count = 0;
  readonly warnings: Warning[] = [];
  readonly warnLayer = new Int32Array(MAX_WARNINGS);
  readonly warnA = new Float64Array(MAX_WARNINGS);
  readonly warnB = new Float64Array(MAX_WARNINGS);
  warnCount = 0;

  frameNo = 0;
  tsSec = 0;
  tsNsec = 0;
  tsDigits = 6;
  /** The frame carries a time (not a pcapng simple packet block): frame.time_* are present. */
  hasTs = true;
  /** The first frame's time and the previous frame's (frame.time_relative, frame.time_delta). */
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  /** The time of the last frame shown (NaN: none yet), which frame.time_delta_displayed is told from. */
  shownSec = NaN;
  shownNsec = 0;
  caplen = 0;
  len = 0;
  linktype = 0;
  /** pcapng: the interface and the packet's flags word (-1: none), as the reader gave them. */
  iface: CaptureInterface | null = null;
  packetFlags = -1;
  /** The frame's captured bytes: data[dataOff, dataOff + caplen) (the `frame` field of display filters). */
  data: Uint8Array = new Uint8Array(0);
  dataOff = 0;

  /** Set by handoff(); read by the engine. */
  nextTable: TableId = Table.None;
  nextKey = 0;
  nextHint = -1;
  nextOff = 0;
  nextEnd = 0;
  nextBuf!: Uint8Array;
  nextDv!: DataView;
  nextShort = false;
  /** Everything after this point is quoted inside an ICMP error. */
  quoted = false;
  fromEsp = false;
  /** Bytes handed on to a protocol no table names: restBuf[restOff, restEnd) (restEnd -1: none), by restTable. */
  restBuf: Uint8Array = new Uint8Array(0);
  restTable: TableId = Table.None;
  restOff = 0;
  restEnd = -1;
  /** The exception behind an internal-error warning, for --debug and the fuzz tests. */
  lastError: Error | null = null;

  constructor(readonly state: EngineState) {}

  /**
   * Hands [off, end) of l's buffer to the protocol named by key in table, with what the next layer should know (hint).
   */
  handoff(l: Layer, table: TableId, key: number, off: number, end: number, hint = -1): void {
    this.nextTable = table;
    this.nextKey = key;
    this.nextHint = hint;
    this.nextOff = off;
    this.nextEnd = end;
    this.nextBuf = l.buf;
    this.nextDv = l.dv;
    this.nextShort = l.short;
  }

  /** Hands a new buffer (a reassembled datagram, a decrypted payload) to the next protocol. */
  handoffBuffer(buf: Uint8Array, table: TableId, key: number, end = buf.length): void {
    this.nextTable = table;
    this.nextKey = key;
    this.nextHint = -1;
    this.nextOff = 0;
    this.nextEnd = end;
    this.nextBuf = buf;
    this.nextDv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.nextShort = false;
  }

  warn(l: Layer | null, w: Warning, a = 0, b = 0): void {
    if (this.warnCount >= MAX_WARNINGS) return;
    const i = this.warnCount++;
    this.warnings[i] = w;
    this.warnLayer[i] = l ? this.layers.indexOf(l) : -1;
    this.warnA[i] = a;
    this.warnB[i] = b;
  }

  /**
   * Checks that l has `need` captured bytes from l.off; if not, records why
   * (truncated when the snaplen cut it, malformed when the packet itself is
   * too short) and returns false.
   */
  need(l: Layer, need: number): boolean {
    const have = l.end - l.off;
    if (have >= need) return true;
    // A quoted packet inside an ICMP error is short by design: not worth a warning.
    if (!l.quoted) this.warn(l, l.short ? W.truncated : W.tooShort, need, have);
    return false;
  }

  /** This frame is shown (printed, or kept by -Y): the next frame's frame.time_delta_displayed is told from it. */
  shown(): void {
    this.shownSec = this.tsSec;
    this.shownNsec = this.tsNsec;
  }

  layer(i: number): Layer {
    return this.layers[i]!;
  }

  /** Index of the first layer of a protocol, from `from` on; -1 when absent. */
  find(proto: Protocol, from = 0): number {
    for (let i = from; i < this.count; i++) if (this.layers[i]!.proto === proto) return i;
    return -1;
  }
}

/**
 * A layer's first 16 bits (0 when cut shorter): for the protocols that have a
 * label, what picks it (version and message type), so that a label can be
 * kept by it rather than made again for each packet.
 */
export const labelKey = (l: Layer): number => (l.off + 2 <= l.end ? l.dv.getUint16(l.off) : 0);
