import { Table, type Protocol, type TableId } from './packet.js';

/**
 * Named dispatch tables, as Wireshark's dissector tables: (table, key) → protocol.
 * Every registration lives in handoff.ts so the whole chain reads on one screen.
 */
const tables: Map<number, Protocol>[] = Object.values(Table).map(() => new Map());

export function register(table: TableId, key: number, proto: Protocol): void {
  tables[table]!.set(key, proto);
}

/** Exact match first; a GRE protocol type GRE does not name itself is an EtherType. */
export function resolve(table: TableId, key: number): Protocol | undefined {
  const p = tables[table]!.get(key);
  if (p || table !== Table.GreProto) return p;
  return tables[Table.EtherType]!.get(key);
}

/** Whether a key has a protocol of its own in the table (no fallback). */
export function isRegistered(table: TableId, key: number): boolean {
  return tables[table]!.has(key);
}
