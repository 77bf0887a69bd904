import { Table, type Protocol, type TableId } from './packet.js';

/**
 * Named dispatch tables, as Wireshark's dissector tables: (table, key) → protocol.
 * Every registration lives in handoff.ts so the whole chain reads on one screen.
 * Keys are 16-bit at most (EtherTypes, ports, link types), so each table is a
 * plain array indexed by the key: no hashing on the per-layer path.
 */
const KEY_SPACE = 65536;
const tables: (Protocol | undefined)[][] = Object.values(Table).map(() => new Array<Protocol | undefined>(KEY_SPACE).fill(undefined));

/** Names proto for key in table; a key already taken by another protocol is a mistake in handoff.ts, said at once. */
export function register(table: TableId, key: number, proto: Protocol): void {
  const taken = tables[table]![key];
  if (taken !== undefined && taken !== proto) throw new Error(`dispatch table ${table}: key 0x${key.toString(16)} is ${taken.name}'s, not ${proto.name}'s`);
  tables[table]![key] = proto;
}

/** Exact match first; a GRE protocol type GRE does not name itself is an EtherType. */
export function resolve(table: TableId, key: number): Protocol | undefined {
  if (key < 0 || key >= KEY_SPACE) return undefined;
  const p = tables[table]![key];
  if (p !== undefined || table !== Table.GreProto) return p;
  return tables[Table.EtherType]![key];
}

/** Whether a key has a protocol of its own in the table (no fallback). */
export function isRegistered(table: TableId, key: number): boolean {
  return tables[table]![key] !== undefined;
}

/** Every protocol some table names, once each, in registration order. */
export function registeredProtocols(): Protocol[] {
  const seen = new Set<Protocol>();
  for (const table of tables) for (const p of table) if (p !== undefined) seen.add(p);
  return [...seen];
}
