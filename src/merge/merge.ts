import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CliOptions } from '../cli/args.js';
import type { ReassemblyCounts } from '../cli/audit-parallel.js';
import { TunnelTable } from '../tunnels/table.js';
import {
  encodePartial,
  foldOrder,
  isDirectoryTarget,
  partialHeader,
  readPartial,
  readPartialKey,
  writeFileSafely,
  type PartialKey,
} from './partial.js';

export interface Merged {
  table: TunnelTable;
  reassembly: ReassemblyCounts;
  sensors: string[];
  files: string[];
}

/**
 * Folds partials into one table, in the order of their capture times
 * whatever the order given (foldOrder), one partial read at a time: the
 * headers first, to sort, then each table, absorbed and let go.
 */
export function mergePartials(paths: string[], limits: { maxTunnels: number; maxPeers: number }): Merged {
  const keys: PartialKey[] = paths.map(readPartialKey).sort(foldOrder);
  const table = new TunnelTable(limits);
  const reassembly: ReassemblyCounts = { completed: 0, expired: 0, dropped: 0, waiting: 0 };
  const sensors = new Set<string>();
  const files: string[] = [];
  for (const k of keys) {
    const p = readPartial(k.path, limits);
    table.absorb(p.table);
    for (const what of ['completed', 'expired', 'dropped', 'waiting'] as const)
      reassembly[what] += p.header.reassembly[what];
    for (const s of p.header.sensors) sensors.add(s);
    files.push(...p.header.files);
  }
  return { table, reassembly, sensors: [...sensors].sort(), files };
}

/** --sensor, or this host's name. */
export const sensorName = (opts: CliOptions) => opts.sensor ?? hostname();

/** A sensor name and a time, for file names: `edge-1-20261201T101500Z`. */
export function partialName(sensor: string, ts: number): string {
  const when = ts < 0 ? 'empty' : new Date(Math.floor(ts) * 1000).toISOString().replace(/[-:]|\.\d+/g, '');
  return `${sensor.replace(/[^A-Za-z0-9._-]/g, '_')}-${when}.gdp`;
}

/**
 * Writes a partial to `target`: that file, or, when `target` is a
 * directory (or ends with /), a file in it named by sensor and start time.
 * Returns the path written.
 */
export function writePartial(
  target: string,
  table: TunnelTable,
  sensors: string[],
  files: string[],
  reassembly: ReassemblyCounts,
  nameTs = table.startTs,
): string {
  const header = partialHeader(table, sensors, files, reassembly);
  const path = isDirectoryTarget(target) ? join(target, partialName(sensors.join('+') || 'merged', nameTs)) : target;
  writeFileSafely(path, encodePartial(header, table));
  return path;
}
