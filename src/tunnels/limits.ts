/**
 * Bounds on what the tables keep, so that memory follows a capture's real
 * tunnels and not what a hostile or broken capture makes up. Hitting a
 * bound is counted (`overflow`) and said in the report.
 */
export interface TableLimits {
  /** Tunnels tracked at once; past it the least recently seen tenth is evicted. */
  maxTunnels: number;
  /** IPsec peer pairs tracked at once, evicted the same way. */
  maxPeers: number;
}

export const DEFAULT_LIMITS: TableLimits = { maxTunnels: 100_000, maxPeers: 100_000 };

/** Per-tunnel and per-peer collections: a real tunnel has far fewer of each. */
export const PER_TUNNEL = {
  multicastGroups: 1024,
  cleartextFlows: 256,
  ospfRouters: 256,
  pimNeighbors: 256,
  /** Devices a discovery protocol (CDP, LLDP) announces. */
  discoveryDevices: 256,
  ripRoutes: 1000,
  eigrpAs: 256,
  spisPerPeer: 4096,
  /** Minutes of time buckets per tunnel: a day. */
  timeBuckets: 1440,
} as const;

/** What was not kept, by collection. */
export class Overflow {
  readonly counts = new Map<string, number>();

  /** True when `size` has room; otherwise counts the refusal under `what`. */
  room(size: number, limit: number, what: string): boolean {
    if (size < limit) return true;
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
    return false;
  }

  /** Adds x to a set held to `limit` members: a member new to it only while there is room (see room). */
  addWithin<T>(set: Set<T>, x: T, limit: number, what: string): void {
    if (set.has(x) || this.room(set.size, limit, what)) set.add(x);
  }

  add(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  absorb(other: Overflow): void {
    for (const [what, n] of other.counts) this.add(what, n);
  }
}

/** Adds the counts of `from` to `into`. */
export function addCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/**
 * Evicts the least recently seen tenth of a table that is full (ties in the
 * table's order). The tenth is found from the times alone, sorted as
 * numbers, with no array of entries made and sorted: a flood of new tunnels
 * evicts often.
 */
export function evictIdle<T extends { lastSeen: number }>(
  table: Map<string, T>,
  overflow: Overflow,
  what: string,
  onEvict?: (v: T) => void,
): void {
  const times = new Float64Array(table.size);
  let i = 0;
  for (const v of table.values()) times[i++] = v.lastSeen;
  times.sort();
  const n = Math.max(1, Math.floor(times.length / 10));
  const threshold = times[n - 1]!;
  // Those seen before the n-th time all go; of those seen at it, the first in the table's order.
  let atThreshold = n - times.findIndex((t) => t === threshold);
  // forEach, not for...of: an entry array a tunnel was most of what a flood's evictions allocated.
  table.forEach((value, key) => {
    if (value.lastSeen > threshold || (value.lastSeen === threshold && atThreshold-- <= 0)) return;
    table.delete(key);
    onEvict?.(value);
  });
  overflow.add(what, n);
}
