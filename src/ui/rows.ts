import type { Snapshot, TunnelRow } from './store.js';

/** A line of the tunnels view: a tunnel, or an IPsec peer pair (tunnelId null). */
export interface Row extends Omit<TunnelRow, 'id'> {
  tunnelId: number | null;
}

export type SortKey = 'packets' | 'bytes' | 'rate' | 'lastSeen';
export const SORT_KEYS: SortKey[] = ['packets', 'bytes', 'rate', 'lastSeen'];

export function rowsOf(s: Snapshot, sort: SortKey, filter: string): Row[] {
  const rows: Row[] = s.tunnels.map(({ id, ...t }) => ({ ...t, tunnelId: id }));
  for (const e of s.esp) {
    rows.push({
      tunnelId: null, protection: e.protection, kind: 'esp', endpoints: e.endpoints, key: e.spis, packets: e.packets, bytes: 0,
      rate: 0, spark: [], inner: e.mode, multicast: 0, anomalies: 0, lastSeen: e.lastSeen, insideEsp: false,
    });
  }
  const needle = filter.trim().toLowerCase();
  const shown = needle ? rows.filter((r) => `${r.kind} ${r.endpoints.join(' ')} ${r.key} ${r.protection} ${r.inner}`.toLowerCase().includes(needle)) : rows;
  return shown.sort((a, b) => b[sort] - a[sort] || a.endpoints[0].localeCompare(b.endpoints[0]));
}
