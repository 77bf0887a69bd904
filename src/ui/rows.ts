import type { Snapshot, TunnelRow } from './store.js';

/**
 * A line of the tunnels view: a tunnel, or an IPsec peer pair (tunnelId
 * null, peerKey set), or an IKE reflection's reflectors folded (pairs: theirs).
 */
export interface Row extends Omit<TunnelRow, 'id'> {
  tunnelId: number | null;
  peerKey: string | null;
  /** The peer pairs whose packets Enter lists. */
  pairs: string[];
  reflection: boolean;
}

export type SortKey = 'packets' | 'bytes' | 'rate' | 'lastSeen';
export const SORT_KEYS: SortKey[] = ['packets', 'bytes', 'rate', 'lastSeen'];
/** How the table's title says each order. */
export const SORT_NAMES: Record<SortKey, string> = {
  packets: 'packets',
  bytes: 'bytes',
  rate: 'rate',
  lastSeen: 'last seen',
};

/** What a display filter on the tunnel table keeps: the tunnels and peer pairs with a matching packet. */
export interface RowFilter {
  tunnels: ReadonlySet<number>;
  peers: ReadonlySet<string>;
}

/** A tunnel's line of the table. */
export const tunnelRow = ({ id, ...t }: TunnelRow): Row => ({
  ...t,
  tunnelId: id,
  peerKey: null,
  pairs: [],
  reflection: false,
});

export function rowsOf(s: Snapshot, sort: SortKey, filter: RowFilter | null): Row[] {
  const rows: Row[] = s.tunnels.map(tunnelRow);
  for (const e of s.esp) {
    rows.push({
      tunnelId: null,
      peerKey: e.key,
      pairs: e.pairs,
      reflection: e.reflection,
      protection: e.protection,
      kind: e.kind,
      endpoints: e.endpoints,
      key: e.spis,
      packets: e.packets,
      bytes: e.bytes,
      rate: e.rate,
      spark: e.spark,
      inner: e.mode,
      multicast: 0,
      anomalies: 0,
      lastSeen: e.lastSeen,
      insideEsp: false,
    });
  }
  const shown = filter
    ? rows.filter((r) =>
        r.tunnelId !== null ? filter.tunnels.has(r.tunnelId) : r.pairs.some((k) => filter.peers.has(k)),
      )
    : rows;
  // A row without a rate (one packet) sorts below a rate of 0.
  const value = (r: Row) => r[sort] ?? -1;
  return shown.sort((a, b) => value(b) - value(a) || a.endpoints[0].localeCompare(b.endpoints[0]));
}
