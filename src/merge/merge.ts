import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CliOptions } from '../cli/args.js';
import type { ReassemblyCounts } from '../cli/audit-parallel.js';
import { addCounts, type TableLimits } from '../tunnels/limits.js';
import { TunnelTable } from '../tunnels/table.js';
import { PartialError } from './errors.js';
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
export function mergePartials(paths: string[], limits: TableLimits): Merged {
  return merged(
    foldRun(
      sortedKeys(paths).map((k) => k.path),
      limits,
    ),
  );
}

/**
 * The partials' headers, in the order they are folded in. One partial given twice (the same header and state, some
 * packets) is refused: its packets would count twice, its sequence numbers read as replays. Empty ones may repeat:
 * a live sensor's quiet periods are alike.
 */
export function sortedKeys(paths: string[]): PartialKey[] {
  const keys = paths.map(readPartialKey).sort(foldOrder);
  for (let i = 1; i < keys.length; i++) {
    const [a, b] = [keys[i - 1]!, keys[i]!];
    if (b.header.span.packets > 0 && a.digest === b.digest && JSON.stringify(a.header) === JSON.stringify(b.header))
      throw new PartialError(`${b.path}: the same partial as ${a.path} (its packets would count twice)`);
  }
  return keys;
}

/** Partials folded into one table, and whether no bound of the tables was reached in folding them. */
export interface Fold {
  table: TunnelTable;
  reassembly: ReassemblyCounts;
  sensors: Set<string>;
  files: string[];
  /**
   * False once folding had to evict or refuse (the table's overflow counts
   * grew past what the partials brought): what a bound keeps then depends on
   * where the runs were cut, so runs folded apart would not add up to one fold.
   */
  withinBounds: boolean;
}

const emptyFold = (limits: TableLimits): Fold => ({
  table: new TunnelTable(limits),
  reassembly: { completed: 0, expired: 0, dropped: 0, waiting: 0 },
  sensors: new Set(),
  files: [],
  withinBounds: true,
});

/** Folds these partials, in this order, into a new table. */
export function foldRun(paths: string[], limits: TableLimits): Fold {
  const fold = emptyFold(limits);
  for (const path of paths) {
    const { header, table } = readPartial(path, limits);
    addFold(fold, {
      table,
      reassembly: header.reassembly,
      sensors: header.sensors,
      files: header.files,
      withinBounds: true,
    });
  }
  return fold;
}

/** Adds what a later run (or one partial) holds to `into`, as folding its partials one by one would. */
export function addFold(
  into: Fold,
  later: Pick<Fold, 'table' | 'reassembly' | 'files' | 'withinBounds'> & { sensors: Iterable<string> },
): void {
  const expected = new Map(into.table.overflow.counts);
  addCounts(expected, later.table.overflow.counts);
  into.table.absorb(later.table);
  into.withinBounds &&= later.withinBounds && sameCounts(into.table.overflow.counts, expected);
  for (const what of ['completed', 'expired', 'dropped', 'waiting'] as const)
    into.reassembly[what] += later.reassembly[what];
  for (const s of later.sensors) into.sensors.add(s);
  into.files.push(...later.files);
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, n] of a) if (b.get(k) !== n) return false;
  return true;
}

/** The merge's result, sensors sorted. */
export const merged = (fold: Fold): Merged => ({
  table: fold.table,
  reassembly: fold.reassembly,
  sensors: [...fold.sensors].sort(),
  files: fold.files,
});

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
