import type { CliOptions } from '../cli/args.js';
import type { ReassemblyCounts } from '../cli/audit-parallel.js';
import { auditReport } from '../cli/audit.js';
import type { PacketCtx } from '../dissect/packet.js';
import type { LineSink } from '../output/sink.js';
import { writeJson } from '../output/json-writer.js';
import { TunnelTable } from '../tunnels/table.js';
import { join } from 'node:path';
import { partialName, sensorName, writePartial } from './merge.js';
import { writeTables } from './tables.js';

/**
 * `audit --every S`: the audit cut into periods of S seconds of capture time
 * (aligned on multiples of S, so that every sensor's periods line up). Each
 * period closes into a partial in the --partial directory, named by sensor
 * and start, and with --json into one report line (NDJSON). The engine goes
 * on across periods (fragments and keys are not lost); reassembly counts
 * are the period's changes, so that merged periods add up to the whole.
 */
export class Periods {
  private table: TunnelTable;
  private period = -1;
  private readonly before: ReassemblyCounts = { completed: 0, expired: 0, dropped: 0, waiting: 0 };
  closed = 0;

  constructor(
    private readonly opts: CliOptions,
    private readonly reassembly: () => ReassemblyCounts,
    private readonly source: string[],
    private readonly sink: LineSink,
    private readonly say: (msg: string) => void = () => {},
  ) {
    this.table = this.newTable();
  }

  private get every(): number {
    return this.opts.every!;
  }

  observe(ctx: PacketCtx): void {
    const p = Math.floor((ctx.tsSec + ctx.tsNsec / 1e9) / this.every);
    if (this.period < 0) this.period = p;
    else if (p > this.period) {
      this.close(false);
      this.period = p;
    }
    this.table.observe(ctx);
  }

  /** Live: closes the period when the clock has left it, packets or not. */
  tick(nowSec: number): void {
    const p = Math.floor(nowSec / this.every);
    if (this.period < 0) this.period = p;
    else if (p > this.period) {
      this.close(true);
      this.period = p;
    }
  }

  /** Closes the period in progress; `empty` periods are written too when asked (live: the sensor is alive). */
  close(writeEmpty: boolean): void {
    if (this.period < 0 || (this.table.packets === 0 && !writeEmpty)) return;
    const now = this.reassembly();
    const delta: ReassemblyCounts = {
      completed: now.completed - this.before.completed,
      expired: now.expired - this.before.expired,
      dropped: now.dropped - this.before.dropped,
      waiting: now.waiting - this.before.waiting,
    };
    Object.assign(this.before, now);
    const sensor = sensorName(this.opts);
    const start = this.period * this.every;
    if (this.opts.partial !== undefined)
      writePartial(this.opts.partial, this.table, [sensor], this.source, delta, start);
    if (this.opts.tables !== undefined) {
      writeTables(
        join(this.opts.tables, partialName(sensor, start).replace(/\.gdp$/, '')),
        this.table,
        auditReport(this.table, delta).findings,
        sensor,
        this.opts.tablesFormat,
      );
    }
    if (this.opts.json) {
      const report = auditReport(this.table, delta);
      writeJson(this.sink, { sensor, period: { start, end: start + this.every }, ...report }, 0);
      this.sink.flush();
    }
    this.closed++;
    this.table = this.newTable();
    void this.say;
  }

  private newTable(): TunnelTable {
    return new TunnelTable({ maxTunnels: this.opts.maxTunnels, maxPeers: this.opts.maxTunnels });
  }
}
