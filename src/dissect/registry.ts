import { Table, type Protocol, type TableId } from './packet.js';

/**
 * Named dispatch tables, as Wireshark's dissector tables: (table, key) → protocol.
 * Every registration lives in handoff.ts so the whole chain reads on one screen.
 * Keys are 16-bit at most (EtherTypes, ports, link types), so each table is an
 * array indexed by the key: no hashing on the per-layer path. A table holds
 * small numbers into `protocols` (0: none): a zeroed Uint8Array costs
 * nothing to make, where seven arrays of 65,536 slots filled at start-up
 * were a tenth of `gredump -r`'s start on a small file.
 */
const KEY_SPACE = 65536;
const TABLE_IDS = Object.values(Table);
/**
 * Each table a view of one zeroed buffer, at its id's place: fresh memory is dear on a VM (eight arrays of 64 KiB took
 * 0.7-1.9 ms to make, one buffer 0.2-0.3 ms).
 */
const allTables = new Uint8Array(TABLE_IDS.length * KEY_SPACE);
const tables: Uint8Array[] = TABLE_IDS.map((id) => allTables.subarray(id * KEY_SPACE, (id + 1) * KEY_SPACE));
/** What a table's numbers stand for; [0] is no protocol. */
const protocols: (Protocol | undefined)[] = [undefined];
/** Each (table, key) given a protocol, as table * KEY_SPACE + key: the catalogue walks these, not every slot. */
const slots: number[] = [];

/**
 * What a registration says of its key besides the protocol: the name the
 * carrier's summary gives its payload (GRE's "proto IPv4"), and the tunnel
 * a GRE protocol type makes.
 */
export interface KeyInfo {
  readonly name: string;
  /** The payload's summary starts with its own name: the carrier does not say it again. */
  readonly namesItself?: boolean;
  /** The name is followed by the key's number (a range of keys under one name). */
  readonly numbered?: boolean;
  /** The tunnel kind GRE carrying this is, when not plain GRE. */
  readonly tunnel?: 'gretap' | 'erspan';
}
/** By table * KEY_SPACE + key. */
const infos = new Map<number, KeyInfo>();

/**
 * Names proto for key in table (null: a key named, not dissected), with what
 * `about` says of it; a key already taken by another protocol or said
 * otherwise is a mistake in handoff.ts, said at once.
 */
export function register(table: TableId, key: number, proto: Protocol | null, about?: KeyInfo): void {
  if (about) {
    const said = infos.get(table * KEY_SPACE + key);
    if (said !== undefined && said !== about)
      throw new Error(`dispatch table ${table}: key 0x${key.toString(16)} is already named ${said.name}`);
    infos.set(table * KEY_SPACE + key, about);
  }
  if (proto === null) return;
  const taken = protocols[tables[table]![key]!];
  if (taken !== undefined && taken !== proto)
    throw new Error(`dispatch table ${table}: key 0x${key.toString(16)} is ${taken.name}'s, not ${proto.name}'s`);
  let n = protocols.indexOf(proto);
  if (n < 0) n = protocols.push(proto) - 1;
  if (n > 255) throw new Error('dispatch tables: more than 255 protocols');
  if (taken === undefined) slots.push(table * KEY_SPACE + key);
  tables[table]![key] = n;
}

/** Exact match first; a GRE protocol type GRE does not name itself is an EtherType. */
export function resolve(table: TableId, key: number): Protocol | undefined {
  if (key < 0 || key >= KEY_SPACE) return undefined;
  const n = tables[table]![key]!;
  if (n !== 0 || table !== Table.GreProto) return protocols[n];
  return protocols[tables[Table.EtherType]![key]!];
}

/** What the registration of a key says of it (no fallback). */
export function keyInfo(table: TableId, key: number): KeyInfo | undefined {
  return infos.get(table * KEY_SPACE + key);
}

/** Whether a key has a protocol of its own in the table (no fallback). */
export function isRegistered(table: TableId, key: number): boolean {
  return tables[table]![key] !== 0;
}

/** Every protocol some table names, once each, in the order of the first (table, key) naming it. */
export function registeredProtocols(): Protocol[] {
  const seen = new Set<Protocol>();
  for (const slot of [...slots].sort((a, b) => a - b))
    seen.add(protocols[tables[Math.floor(slot / KEY_SPACE)]![slot % KEY_SPACE]!]!);
  return [...seen];
}
