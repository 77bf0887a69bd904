import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { evaluate } from '../audit/rules.js';
import { buildReport } from '../audit/report.js';
import { reportText } from '../audit/report-text.js';
import { SEVERITIES, severityRank, type Severity } from '../audit/catalogue.js';
import { TunnelTable } from '../tunnels/table.js';
import { LineSink } from '../output/sink.js';
import { UsageError, type CliOptions } from './args.js';
import { eachFrame } from './each-frame.js';
import { loadSas } from './keys.js';

/** `gredump audit FILE...`: one report over every file. Returns the exit status. */
export function runAudit(opts: CliOptions, warn: (msg: string) => void): number {
  let failOn: Severity | null = null;
  if (opts.failOn !== undefined) {
    if (!SEVERITIES.includes(opts.failOn as Severity)) throw new UsageError(`--fail-on wants one of ${SEVERITIES.join(', ')}, not "${opts.failOn}"`);
    failOn = opts.failOn as Severity;
  }
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts)));
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  let status = eachFrame(opts.files, opts.count, warn, (f) => table.observe(engine.dissect(f)));
  const r = engine.state.reassembly;
  const findings = evaluate(table);
  const report = buildReport(table, findings, { completed: r.completed, expired: r.expired, dropped: r.dropped, waiting: r.waiting });
  // Bounds reached, so nobody mistakes a capped report for the whole picture.
  if (table.overflow.counts.size) report.limits = Object.fromEntries(table.overflow.counts);
  const sink = new LineSink();
  sink.line(opts.json ? JSON.stringify(report, null, 2) : reportText(report, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, files: opts.files }));
  sink.flush();
  if (status === 0 && failOn !== null && findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) status = 1;
  return status;
}
