import { LineSink } from '../output/sink.js';
import { mergePartials, writePartial } from '../merge/merge.js';
import type { CliOptions } from './args.js';
import { auditReport, failOnLevel, writeAudit } from './audit.js';
import { writeTables } from '../merge/tables.js';

/**
 * `gredump merge PARTIAL...`: one audit from the state of many, the
 * findings computed from the merged state; with --partial, the merged state
 * itself (to be merged again). Resolves to the exit status.
 */
export function runMerge(opts: CliOptions): number {
  failOnLevel(opts);
  const merged = mergePartials(opts.files, { maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  if (opts.tables !== undefined)
    writeTables(
      opts.tables,
      merged.table,
      auditReport(merged.table, merged.reassembly).findings,
      merged.sensors.join(','),
      opts.tablesFormat,
    );
  if (opts.partial !== undefined) {
    writePartial(opts.partial, merged.table, merged.sensors, merged.files, merged.reassembly);
    if (!opts.json && opts.failOn === undefined) return 0;
  } else if (opts.tables !== undefined && !opts.json && opts.failOn === undefined) {
    return 0;
  }
  return writeAudit(merged.table, merged.reassembly, opts, merged.files, new LineSink());
}
