/**
 * The merge's bench rows (also run at the end of npm run bench):
 * node dist/scripts/bench-merge.js [PARTIALS [TUNNELS [PACKETS_PER_TUNNEL]]]
 *
 * A sensor's day cut into PARTIALS periods (1,000 by default: 86.4 s each),
 * TUNNELS keyed and sequenced GRE tunnels (200) carrying OSPF, TCP, ICMP and
 * FTP logins, and ESP beside them; each period is audited into a partial as
 * `audit --every` writes them (sequence numbers and times go on from period
 * to period). Then `gredump merge` of all of them is timed, best of three,
 * and the size of a partial per tunnel is said.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Frame } from '../src/capture/frame.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { encodePartial, partialHeader } from '../src/merge/partial.js';
import { partialName } from '../src/merge/merge.js';
import { writeFileSafely } from '../src/merge/partial.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { BIN, withThisNode } from '../test/support/paths.js';
import { sensorDay } from '../test/support/sensor-day.js';

const DAY = 86400;

export function benchMerge(partials = 1000, tunnels = 200, perTunnel = 10, keep?: string): string[] {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'gredump-bench-merge-'));
  const lines: string[] = [];
  try {
    const period = DAY / partials;
    // One period's frames, made once; each period patches their times and sequence numbers in place.
    const perPeriod = (tunnels + 1) * perTunnel;
    const frames: Frame[] = [
      ...sensorDay({ tunnels, packets: perPeriod, gap: period / perPeriod, lossEvery: 1e9 }),
    ].map(({ ts, frame }) => ({
      data: frame,
      dv: new DataView(frame.buffer, frame.byteOffset, frame.byteLength),
      off: 0,
      caplen: frame.length,
      len: frame.length,
      tsSec: Math.floor(ts),
      tsNsec: Math.round((ts - Math.floor(ts)) * 1e6) * 1000,
      tsDigits: 6,
      hasTs: true,
      linktype: 1,
      iface: null,
      flags: -1,
    }));
    const baseTs = frames.map((f) => f.tsSec + f.tsNsec / 1e9);
    // GRE sequence numbers (after the key) and ESP's, where the builder puts them.
    const seqAt = frames.map((f) => (f.dv.getUint8(23) === 47 ? 42 : f.dv.getUint8(23) === 50 ? 38 : -1));
    const baseSeq = frames.map((f, i) => (seqAt[i]! >= 0 ? f.dv.getUint32(seqAt[i]!) : 0));
    const made = process.hrtime.bigint();
    let bytes = 0;
    let json = 0;
    for (let p = 0; p < partials; p++) {
      const engine = new Engine(DEFAULT_OPTIONS);
      const table = new TunnelTable();
      frames.forEach((f, i) => {
        const ts = baseTs[i]! + p * period;
        f.tsSec = Math.floor(ts);
        f.tsNsec = Math.min(999_999, Math.round((ts - f.tsSec) * 1e6)) * 1000;
        if (seqAt[i]! >= 0) f.dv.setUint32(seqAt[i]!, baseSeq[i]! + p * (seqAt[i] === 38 ? perTunnel : perTunnel >> 1));
        table.observe(engine.dissect(f));
      });
      const r = engine.state.reassembly;
      const data = encodePartial(
        partialHeader(table, ['edge-1'], ['interface eth0'], {
          completed: r.completed,
          expired: r.expired,
          dropped: r.dropped,
          waiting: r.waiting,
        }),
        table,
      );
      writeFileSafely(join(dir, partialName('edge-1', Math.floor(p * period) + 1767225600)), data);
      bytes += data.length;
      if (p === 0) json = gunzipSync(data).length;
    }
    const madeSec = Number(process.hrtime.bigint() - made) / 1e9;
    const files = readdirSync(dir).filter((f) => f.endsWith('.gdp'));
    lines.push(
      `merge bench: ${files.length} partials of one sensor's day ` +
        `(${tunnels} GRE tunnels and an ESP pair, ${perPeriod} packets a ` +
        `period of ${period.toFixed(1)} s), made in ${madeSec.toFixed(1)} s`,
    );
    lines.push(
      `partial size: ${(bytes / files.length / 1024).toFixed(1)} KiB a ` +
        `period on disk (gzip), ${(json / 1024).toFixed(1)} KiB as JSON; per ` +
        `tunnel ${(bytes / files.length / tunnels).toFixed(0)} B ` +
        `gzip, ${(json / tunnels).toFixed(0)} B JSON`,
    );
    const runs: number[] = [];
    const cpu: number[] = [];
    let rss = 0;
    let out = '';
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%U %S %M',
          BIN,
          'merge',
          ...files.map((f) => join(dir, f)),
          '--json',
          '--partial',
          join(dir, 'day.gdp.out'),
        ],
        // As installed: the program, this Node first on the PATH (as the bench's other gredump commands).
        { env: withThisNode(process.env), encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (run.status !== 0 && run.status !== 1) throw new Error(`merge failed: ${run.stderr}`);
      const [user, sys, kb] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      cpu.push(user! + sys!);
      rss = Math.max(rss, kb! / 1024);
      out = run.stdout;
    }
    const report = JSON.parse(out) as { packets: number; tunnels: unknown[] };
    const day = statSync(join(dir, 'day.gdp.out')).size;
    lines.push(
      `gredump merge of ${files.length} partials ` +
        `(${report.packets.toLocaleString('en')} ` +
        `packets, ${report.tunnels.length} tunnels) --json --partial: ` +
        `best ${Math.min(...runs).toFixed(2)} s of 3 ` +
        `(${runs.map((s) => s.toFixed(2)).join(', ')}), CPU time (user + ` +
        `system) best ${Math.min(...cpu).toFixed(2)} s ` +
        `(${cpu.map((s) => s.toFixed(2)).join(', ')}), peak ` +
        `RSS ${rss.toFixed(0)} MB; the merged day's ` +
        `partial ${(day / 1024).toFixed(0)} KiB, ${(day / tunnels).toFixed(0)} ` +
        `B a tunnel`,
    );
    return lines;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-merge.js')) {
  const [partials, tunnels, perTunnel] = process.argv.slice(2, 5).map(Number);
  // A fifth argument keeps the partials in that directory (for node --cpu-prof bin/gredump.js merge DIR/*.gdp).
  for (const l of benchMerge(partials || undefined, tunnels || undefined, perTunnel || undefined, process.argv[5]))
    console.log(l);
}
