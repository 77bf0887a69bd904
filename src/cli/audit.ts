import { isTerminal } from '../util/terminal.js';
import { evaluate } from '../audit/rules.js';
import { buildReport, type AuditReport } from '../audit/report.js';
import { type Palette, reportText } from '../audit/report-text.js';
import { writeJson } from '../output/json-writer.js';
import { SEVERITIES, severityRank, type Severity } from '../audit/catalogue.js';
import { TunnelTable } from '../tunnels/table.js';
import { LineSink } from '../output/sink.js';
import { UsageError, type CliOptions } from './args.js';
import { auditEngine, auditInParallel, type ReassemblyCounts } from './audit-parallel.js';
import { auditPlan, wantsParallel, type ParallelPlan } from './parallel-plan.js';
import { probeInputs } from './inputs.js';
import { checkFilter, eachFrame, fileFilter } from './drive.js';
import { loadSas } from './keys.js';
import { displayFilter } from './display-filter.js';

/** --fail-on's level, checked before any packet is read. */
export function failOnLevel(opts: CliOptions): Severity | null {
  if (opts.failOn === undefined) return null;
  if (!SEVERITIES.includes(opts.failOn as Severity))
    throw new UsageError(`--fail-on wants one of ${SEVERITIES.join(', ')}, not "${opts.failOn}"`);
  return opts.failOn as Severity;
}

/** The report of what a table saw: the findings computed from its state. */
export function auditReport(table: TunnelTable, r: ReassemblyCounts): AuditReport {
  const report = buildReport(table, evaluate(table), {
    completed: r.completed,
    expired: r.expired,
    dropped: r.dropped,
    waiting: r.waiting,
  });
  // Bounds reached, so nobody mistakes a capped report for the whole picture.
  if (table.overflow.counts.size) report.limits = Object.fromEntries(table.overflow.counts);
  return report;
}

/**
 * Chalk's colours for a terminal; none for a pipe or a file. Chalk (and the
 * terminal and ES module loading it brings) is loaded only then: it was
 * about 20 ms of every audit's start.
 */
async function terminalPalette(): Promise<Palette | null> {
  if (!isTerminal(1) || process.env.NO_COLOR) return null;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}

/**
 * The audit of what a table and engine saw, written to stdout (text or
 * JSON), for files and live interfaces alike. Returns 1 when a finding
 * reaches --fail-on, else 0.
 */
export async function writeAudit(
  table: TunnelTable,
  r: ReassemblyCounts,
  opts: CliOptions,
  source: string[],
  sink: LineSink,
): Promise<number> {
  const report = auditReport(table, r);
  const findings = report.findings;
  if (opts.json) writeJson(sink, report as unknown as Record<string, unknown>, 2);
  else sink.line(reportText(report, { palette: await terminalPalette(), files: source }));
  sink.flush();
  const failOn = failOnLevel(opts);
  return failOn !== null && findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

/**
 * `gredump audit FILE...`: one report over every file; large captures are
 * read by worker threads (see audit-parallel). Resolves to the exit status.
 */
export async function runAudit(opts: CliOptions, warn: (msg: string) => void, plan?: ParallelPlan): Promise<number> {
  const inputs = probeInputs(opts.files);
  plan ??= auditPlan(opts, inputs);
  failOnLevel(opts);
  // Checked here, in this thread, so that keys or a filter that are wrong are one line, before any worker starts.
  const sas = loadSas(opts);
  const filter = fileFilter(opts);
  if (filter) checkFilter(filter, opts.files);
  const display = displayFilter(opts);
  if (opts.every !== undefined) {
    // Periods of capture time, in one thread: the engine goes on from one period to the next.
    const engine = auditEngine(opts, sas);
    const { Periods } = await import('../merge/periods.js');
    const periods = new Periods(opts, () => counts(engine.state.reassembly), opts.files, new LineSink());
    const status = eachFrame(opts.files, opts.count, filter, warn, (f) => {
      const ctx = engine.dissect(f);
      if (!display || display.match(ctx)) periods.observe(ctx);
    });
    periods.close(false);
    return status;
  }
  const parallel =
    !display && wantsParallel(opts, plan, inputs) ? await auditInParallel(opts, plan, sas, filter, warn, inputs) : null;
  if (parallel) {
    return await finishAudit(parallel.table, parallel.reassembly, opts, parallel.status);
  }
  const engine = auditEngine(opts, sas);
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  const status = eachFrame(opts.files, opts.count, filter, warn, (f) => {
    const ctx = engine.dissect(f);
    if (!display || display.match(ctx)) table.observe(ctx);
  });
  return await finishAudit(table, counts(engine.state.reassembly), opts, status);
}

/** The reassembly counters as plain numbers. */
export function counts(r: ReassemblyCounts): ReassemblyCounts {
  return { completed: r.completed, expired: r.expired, dropped: r.dropped, waiting: r.waiting };
}

/** The report, or with --partial the audit's state; the exit status of the run. */
async function finishAudit(
  table: TunnelTable,
  reassembly: ReassemblyCounts,
  opts: CliOptions,
  status: number,
): Promise<number> {
  // Input that could not be read at all makes no report (and no tables or state), only its error status.
  if (unreadable(status, table)) return status;
  // The Parquet writer (some 50 modules) loads only for --tables, and the partials' code (node:crypto, node:zlib)
  // only for them or --partial: a plain audit starts without either.
  if (opts.tables !== undefined || opts.partial !== undefined) {
    const { sensorName, writePartial } = await import('../merge/merge.js');
    if (opts.tables !== undefined)
      (await import('../merge/tables.js')).writeTables(
        opts.tables,
        table,
        auditReport(table, reassembly).findings,
        sensorName(opts),
        opts.tablesFormat,
      );
    if (opts.partial !== undefined) {
      writePartial(opts.partial, table, [sensorName(opts)], opts.files, reassembly);
      return status;
    }
  }
  const failed = await writeAudit(table, reassembly, opts, opts.files, new LineSink());
  return status !== 0 ? status : failed;
}

/**
 * Nothing could be read (the reasons are on stderr): an empty report would read as a clean network. Beside inputs
 * that could be read, the report covers those, and the exit status (2) says that one could not.
 */
function unreadable(status: number, table: TunnelTable): boolean {
  return status === 2 && table.packets === 0;
}
