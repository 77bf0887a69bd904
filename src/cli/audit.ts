import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { evaluate } from '../audit/rules.js';
import { buildReport } from '../audit/report.js';
import { reportText } from '../audit/report-text.js';
import { SEVERITIES, severityRank, type Severity } from '../audit/catalogue.js';
import { TunnelTable } from '../tunnels/table.js';
import { LineSink } from '../output/sink.js';
import { UsageError, type CliOptions } from './args.js';
import { eachFrame, fileFilter } from './each-frame.js';
import { loadSas } from './keys.js';

/** --fail-on's level, checked before any packet is read. */
export function failOnLevel(opts: CliOptions): Severity | null {
  if (opts.failOn === undefined) return null;
  if (!SEVERITIES.includes(opts.failOn as Severity)) throw new UsageError(`--fail-on wants one of ${SEVERITIES.join(', ')}, not "${opts.failOn}"`);
  return opts.failOn as Severity;
}

/**
 * The audit of what a table and engine saw, written to stdout (text or
 * JSON), for files and live interfaces alike. Returns 1 when a finding
 * reaches --fail-on, else 0.
 */
export function writeAudit(table: TunnelTable, engine: Engine, opts: CliOptions, source: string[], sink: LineSink): number {
  const r = engine.state.reassembly;
  const findings = evaluate(table);
  const report = buildReport(table, findings, { completed: r.completed, expired: r.expired, dropped: r.dropped, waiting: r.waiting });
  // Bounds reached, so nobody mistakes a capped report for the whole picture.
  if (table.overflow.counts.size) report.limits = Object.fromEntries(table.overflow.counts);
  sink.line(opts.json ? JSON.stringify(report, null, 2) : reportText(report, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, files: source }));
  sink.flush();
  const failOn = failOnLevel(opts);
  return failOn !== null && findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

/** `gredump audit FILE...`: one report over every file. Returns the exit status. */
export function runAudit(opts: CliOptions, warn: (msg: string) => void): number {
  failOnLevel(opts);
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts)));
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  const status = eachFrame(opts.files, opts.count, fileFilter(opts), warn, (f) => table.observe(engine.dissect(f)));
  const failed = writeAudit(table, engine, opts, opts.files, new LineSink());
  return status !== 0 ? status : failed;
}
