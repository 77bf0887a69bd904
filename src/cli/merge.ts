import { LineSink } from '../output/sink.js';
import { mergePartials, writePartial } from '../merge/merge.js';
import { mergeInThreads, mergeThreads } from '../merge/merge-parallel.js';
import type { CliOptions } from './args.js';
import { auditReport, failOnLevel, writeAudit } from './audit.js';
import { writeTables } from '../merge/tables.js';

/**
 * `gredump merge PARTIAL...`: one audit from the state of many, the
 * findings computed from the merged state; with --partial, the merged state
 * itself (to be merged again). Large merges fold runs of partials across
 * worker threads (mergeThreads). Resolves to the exit status.
 */
export async function runMerge(opts: CliOptions): Promise<number> {
  failOnLevel(opts);
  const limits = { maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels };
  const threads = mergeThreads(opts, opts.files);
  const merged = threads > 1 ? await mergeInThreads(opts.files, limits, threads) : mergePartials(opts.files, limits);
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
  return await writeAudit(merged.table, merged.reassembly, opts, merged.files, new LineSink());
}
