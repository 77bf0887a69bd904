import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Frame } from '../src/capture/frame.js';
import { openCapture } from '../src/capture/open.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { parseCli } from '../src/cli/args.js';
import { auditReport, counts } from '../src/cli/audit.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { addFold, foldRun, mergePartials, sortedKeys } from '../src/merge/merge.js';
import { cut, mergeInThreads, mergeThreads } from '../src/merge/merge-parallel.js';
import {
  encodePartial,
  foldOrder,
  partialHeader,
  PartialError,
  readPartial,
  readPartialKey,
  writeFileSafely,
} from '../src/merge/partial.js';
import { CleartextWatch } from '../src/tunnels/cleartext.js';
import { EspPeers, EspSa } from '../src/tunnels/esp-table.js';
import { DEFAULT_LIMITS, Overflow, PER_TUNNEL } from '../src/tunnels/limits.js';
import { RoutingInfo } from '../src/tunnels/routing.js';
import { SequenceTracker } from '../src/tunnels/sequence.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { DirectionStats, KeepaliveSender, Tunnel } from '../src/tunnels/tunnel.js';
import { Adjacencies } from '../src/tunnels/adjacencies.js';
import type { FieldCoverage } from '../src/tunnels/state.js';
import * as b from './support/builder.js';
import * as h from './support/hostile.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { sensorDay, writeFrames } from './support/sensor-day.js';

/**
 * `audit --partial` and `merge`: the merged state of shards is the state of
 * one audit of all their packets, so the report is the same byte for byte,
 * whatever the order the partials are given in.
 */

const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
const scratch = mkdtempSync(join(tmpdir(), 'gredump-merge-'));
let scratchN = 0;
const freshDir = () => {
  const d = join(scratch, String(scratchN++));
  mkdirSync(d);
  return d;
};

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

/** A capture in memory: its frames (copied), and where a cut leaves no IP fragment waiting. */
interface Loaded {
  path: string;
  frames: Frame[];
  ts: number[];
  /** cutOk[i]: cutting before frame i leaves no datagram half reassembled (the one known difference, see README). */
  cutOk: boolean[];
  /** The one-process audit of every frame, as `audit --json` prints it. */
  reference: string;
}

function load(path: string): Loaded | null {
  let source;
  try {
    source = openCapture(path);
  } catch {
    return null;
  }
  const frames: Frame[] = [];
  const ts: number[] = [];
  const cutOk: boolean[] = [];
  const engine = new Engine(DEFAULT_OPTIONS);
  const table = new TunnelTable();
  try {
    while (source.next()) {
      const f = source.frame;
      const data = f.data.slice(f.off, f.off + f.caplen);
      const copy: Frame = { ...f, data, dv: new DataView(data.buffer), off: 0 };
      cutOk.push(engine.state.reassembly.waiting === 0);
      frames.push(copy);
      ts.push(copy.tsSec + copy.tsNsec / 1e9);
      table.observe(engine.dissect(copy));
    }
  } finally {
    source.close();
  }
  if (frames.length === 0) return null;
  return { path, frames, ts, cutOk, reference: reportOf(table, counts(engine.state.reassembly)) };
}

const reportOf = (table: TunnelTable, r: ReturnType<typeof counts>) => JSON.stringify(auditReport(table, r), null, 2);

/** The partial of frames [from, to) audited alone, as `audit --partial` writes it. */
function shardPartial(c: Loaded, from: number, to: number, sensor = 'test'): Buffer {
  const engine = new Engine(DEFAULT_OPTIONS);
  const table = new TunnelTable();
  for (let i = from; i < to; i++) table.observe(engine.dissect(c.frames[i]!));
  return encodePartial(partialHeader(table, [sensor], [c.path], counts(engine.state.reassembly)), table);
}

function writeAll(parts: Buffer[]): string[] {
  const dir = freshDir();
  return parts.map((p, i) => {
    const path = join(dir, `${i}.gdp`);
    writeFileSync(path, p);
    return path;
  });
}

/** Deterministic shuffle from a seed (fast-check shrinks the seed). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const mergedReport = (paths: string[]) => {
  const m = mergePartials(paths, DEFAULT_LIMITS);
  return reportOf(m.table, m.reassembly);
};

/**
 * The merge as threads fold it, in one thread: the partials in order cut
 * into runs as for n threads, each folded alone, the later ones crossing
 * as plain data.
 */
const foldedInRuns = (paths: string[], n: number, limits = DEFAULT_LIMITS) => {
  const folds = cut(
    sortedKeys(paths).map((k) => k.path),
    n,
  ).map((run) => foldRun(run, limits));
  const total = folds[0]!;
  for (const f of folds.slice(1)) addFold(total, { ...f, table: TunnelTable.fromState(f.table.toState()) });
  return total;
};

/**
 * Cuts where merging is exact: no fragment waiting, and each shard's first
 * packet later than the one before's (partials are folded in that order).
 */
function usableCuts(c: Loaded, wanted: number[]): number[] {
  const cuts: number[] = [];
  let start = c.ts[0]!;
  for (const i of [...new Set(wanted)].sort((x, y) => x - y)) {
    if (i <= 0 || i >= c.frames.length || !c.cutOk[i] || !(c.ts[i]! > start)) continue;
    cuts.push(i);
    start = c.ts[i]!;
  }
  return cuts;
}

function checkSplit(c: Loaded, cuts: number[], seed: number): void {
  const bounds = [0, ...cuts, c.frames.length];
  const parts = bounds.slice(0, -1).map((from, k) => shardPartial(c, from, bounds[k + 1]!));
  const paths = writeAll(parts);
  assert.equal(mergedReport(shuffled(paths, seed)), c.reference, `${c.path} cut at ${cuts.join(',')}`);
  // And folded in runs, as threads fold them: any cut of the partials into runs adds up to the one fold.
  if (paths.length < 2) return;
  const n = 2 + (seed % (paths.length - 1));
  const f = foldedInRuns(paths, n);
  assert.ok(f.withinBounds);
  assert.equal(reportOf(f.table, f.reassembly), c.reference, `${c.path} cut at ${cuts.join(',')}, ${n} runs`);
}

const monotonic = (c: Loaded) => c.ts.every((t, i) => i === 0 || t >= c.ts[i - 1]!);

/**
 * Known difference, for now: the IKE view (#17, just landed) judges each message as it comes (who
 * initiated, which answer goes with which request), so an exchange cut by a seam is not yet merged
 * as one reading sees it. Captures with IKE SAs are merged whole (the whole-file test), not cut.
 */
const hasIkeSas = (c: Loaded) => /"ikeSas": \[\s*\{|"ike": \[\s*\{/.test(c.reference);

/**
 * Also merged whole: an L2TPv3 session's cookie length is learned from its set-up
 * (ICRQ/ICRP), so its data in a later shard reads as a session whose set-up was not seen.
 */
const SETUP_IN_AN_EARLIER_SHARD = ['l2tpv3-cookies.pcap'];

function propertyOver(files: string[], runsPerFile: number): number {
  let checked = 0;
  for (const path of files) {
    const c = load(path);
    if (!c || c.frames.length < 2 || hasIkeSas(c) || SETUP_IN_AN_EARLIER_SHARD.some((n) => path.endsWith(`/${n}`)))
      continue;
    const n = c.frames.length;
    // By packet ranges, on record boundaries.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: n - 1 }), { maxLength: 7 }), fc.nat(), (wanted, seed) =>
        checkSplit(c, usableCuts(c, wanted), seed),
      ),
      { numRuns: runsPerFile },
    );
    // By time: shards of [t_k, t_k+1) of capture time.
    if (monotonic(c) && c.ts[n - 1]! > c.ts[0]!) {
      const t0 = c.ts[0]!;
      const span = c.ts[n - 1]! - t0;
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
          fc.nat(),
          (fractions, seed) => {
            const wanted = fractions.map((f) => c.ts.findIndex((t) => t >= t0 + f * span));
            checkSplit(c, usableCuts(c, wanted), seed);
          },
        ),
        { numRuns: Math.max(1, runsPerFile >> 1) },
      );
    }
    checked++;
  }
  return checked;
}

test(
  'merge of random shards (by packet ranges and by time) of every ' + 'fixture is the one-process audit, in any order',
  () => {
    assert.ok(propertyOver(captures(FIXTURES), 25) >= 10);
  },
);

test(
  "merge of random shards of the bench's sensor day (keyed, sequenced " +
    'tunnels with losses, ESP) is the one-process audit, in any order',
  () => {
    const path = join(freshDir(), 'sensor-day.pcap');
    writeFrames(path, sensorDay({ tunnels: 12, packets: 1200, lossEvery: 97 }));
    assert.equal(propertyOver([path], 10), 1);
  },
);

test('merge of random shards of every corpus capture is the one-process audit, in any order', (t) => {
  if (!HAVE_CORPUS) return t.skip(NO_CORPUS);
  assert.ok(propertyOver(captures(CORPUS), 4) >= 100);
});

test('merge of whole files is the audit of the files read in the order of their times, in any argument order', () => {
  const loaded = captures(FIXTURES)
    .map(load)
    .filter((c): c is Loaded => c !== null);
  // Files whose reading leaves fragments waiting would finish them in the next file, read in one process.
  const clean = loaded.filter((c) => {
    const engine = new Engine(DEFAULT_OPTIONS);
    for (const f of c.frames) engine.dissect(f);
    return engine.state.reassembly.waiting === 0;
  });
  const partials = clean.map((c) => shardPartial(c, 0, c.frames.length));
  const paths = writeAll(partials);
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat({ max: clean.length - 1 }), { minLength: 2, maxLength: 8 }),
      fc.nat(),
      (picked, seed) => {
        const chosen = picked.map((i) => ({ c: clean[i]!, key: readPartialKey(paths[i]!) }));
        const ordered = [...chosen].sort((x, y) => foldOrder(x.key, y.key));
        const engine = new Engine(DEFAULT_OPTIONS);
        const table = new TunnelTable();
        for (const { c } of ordered) for (const f of c.frames) table.observe(engine.dissect(f));
        const reference = reportOf(table, counts(engine.state.reassembly));
        const given = shuffled(
          chosen.map((x) => x.key.path),
          seed,
        );
        assert.equal(mergedReport(given), reference);
        const f = foldedInRuns(given, 2 + (seed % (given.length - 1)));
        assert.equal(reportOf(f.table, f.reassembly), reference);
      },
    ),
    { numRuns: 40 },
  );
});

test('one partial given twice is refused (its packets would count twice); empty ones may repeat', () => {
  const c = load(join(FIXTURES, 'gre-health.pcap'))!;
  const [p, copy] = writeAll([shardPartial(c, 0, c.frames.length), shardPartial(c, 0, c.frames.length)]) as [
    string,
    string,
  ];
  for (const args of [
    [p, p],
    [p, copy],
  ]) {
    const r = run(['merge', ...args]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^gredump: .*\.gdp: the same partial as .*\.gdp \(its packets would count twice\)\n$/);
  }
  // The same packets seen by another sensor is another partial (its header names that sensor): merged.
  const [other] = writeAll([shardPartial(c, 0, c.frames.length, 'other')]);
  assert.equal(run(['merge', p, other!]).status, 0);
  const [e1, e2] = writeAll([shardPartial(c, 0, 0), shardPartial(c, 0, 0)]) as [string, string];
  const empty = run(['merge', e1, e2, '--json']);
  assert.equal(empty.status, 0, empty.stderr);
  assert.equal(JSON.parse(empty.stdout).packets, 0);
});

test('merging is associative: a merged partial merges again into the same audit', () => {
  const c = load(join(FIXTURES, 'gre-health.pcap'))!;
  const cuts = usableCuts(c, [Math.floor(c.frames.length / 3), Math.floor((2 * c.frames.length) / 3)]);
  assert.equal(cuts.length, 2);
  const [p1, p2, p3] = writeAll([
    shardPartial(c, 0, cuts[0]!),
    shardPartial(c, cuts[0]!, cuts[1]!),
    shardPartial(c, cuts[1]!, c.frames.length),
  ]) as [string, string, string];
  const dir = freshDir();
  const r12 = run(['merge', p1, p2, '--partial', join(dir, '12.gdp')]);
  const r23 = run(['merge', p3, p2, '--partial', join(dir, '23.gdp')]);
  assert.equal(r12.status, 0, r12.stderr);
  assert.equal(r23.status, 0, r23.stderr);
  const all = run(['merge', p3, p1, p2, '--json']).stdout;
  assert.equal(all, c.reference + '\n');
  assert.equal(run(['merge', join(dir, '12.gdp'), p3, '--json']).stdout, all);
  assert.equal(run(['merge', join(dir, '23.gdp'), p1, '--json']).stdout, all);
});

/** A tunnel whose sequence numbers run across the cut: a gap at the seam is seen, none where there is none. */
test('sequence gaps across shard boundaries come out right from the stored first and last numbers', () => {
  const dir = freshDir();
  const greSeq = (seq: number) =>
    b.eth(
      b.ipv4(
        b.gre(
          b.ipv4(b.udp(new Uint8Array(8), { srcPort: 1000, dstPort: 2000 }), {
            src: '10.0.0.1',
            dst: '10.0.0.2',
            proto: 17,
          }),
          { protocolType: 0x0800, key: 9, seq },
        ),
        { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 },
      ),
      { type: 0x0800 },
    );
  const whole = join(dir, 'whole.pcap');
  const first = join(dir, 'a.pcap');
  const second = join(dir, 'b.pcap');
  const w = new PcapWriter(whole);
  const wa = new PcapWriter(first);
  const wb = new PcapWriter(second);
  // 0..9 then 13..19: three missing, right at the seam between the files.
  const seqs = [...Array(10).keys(), ...Array.from({ length: 7 }, (_, i) => 13 + i)];
  seqs.forEach((seq, i) => {
    w.write(1767225600 + i, 0, greSeq(seq));
    (i < 10 ? wa : wb).write(1767225600 + i, 0, greSeq(seq));
  });
  w.close();
  wa.close();
  wb.close();
  for (const [f, out] of [
    [first, 'a.gdp'],
    [second, 'b.gdp'],
  ] as const)
    assert.equal(run(['audit', f, '--partial', join(dir, out)]).status, 0);
  const one = run(['audit', whole, '--json']);
  const merged = run(['merge', join(dir, 'b.gdp'), join(dir, 'a.gdp'), '--json']);
  assert.equal(merged.stdout.replace(/"[^"]*\.pcap"/g, '""'), one.stdout.replace(/"[^"]*\.pcap"/g, '""'));
  const report = JSON.parse(merged.stdout);
  assert.equal(report.tunnels[0].directions[0].seqMissing, 3);
  assert.deepEqual(report.findings.filter((f: { id: string }) => f.id === 'gre-sequence-gaps').length, 1);
  // --fail-on reads the merged findings.
  assert.equal(run(['merge', join(dir, 'a.gdp'), join(dir, 'b.gdp'), '--fail-on', 'medium']).status, 1);
  assert.equal(run(['audit', whole, '--fail-on', 'medium']).status, 1);
});

test('a telnet password prompted at the end of one shard and typed at the start of the next is found', () => {
  const dir = freshDir();
  const telnet = (fromServer: boolean, text: string) =>
    b.eth(
      b.ipv4(
        b.gre(
          b.ipv4(
            b.tcp(
              b.bytesOf(text),
              fromServer
                ? { srcPort: 23, dstPort: 40000, flags: b.TCP.ACK | b.TCP.PSH }
                : { srcPort: 40000, dstPort: 23, flags: b.TCP.ACK | b.TCP.PSH },
            ),
            fromServer
              ? { src: '10.2.0.20', dst: '10.1.0.10', proto: 6 }
              : { src: '10.1.0.10', dst: '10.2.0.20', proto: 6 },
          ),
          { protocolType: 0x0800, key: 42 },
        ),
        { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 },
      ),
      { type: 0x0800 },
    );
  const packets = [
    telnet(true, 'login: '),
    telnet(false, 'admin\r\n'),
    telnet(true, 'Password: '),
    telnet(false, 'hunter22\r\n'),
    telnet(true, '$ '),
  ];
  const whole = join(dir, 'whole.pcap');
  const w = new PcapWriter(whole);
  packets.forEach((p, i) => w.write(1767225600 + i, 0, p));
  w.close();
  const c = load(whole)!;
  assert.match(c.reference, /telnet password h\*{7} \(8 chars\)/);
  for (let cut = 1; cut < packets.length; cut++) checkSplit(c, [cut], cut);
});

/**
 * Every field of the tables is either in their state (and so merged) or named as a cache: a new field fails here until
 * it is one or the other.
 */
test('every field of the tables crosses threads and files: state or a named cache', () => {
  const overflow = new Overflow();
  const classes: [string, object, FieldCoverage][] = [
    ['TunnelTable', new TunnelTable(), TunnelTable.fields],
    ['Tunnel', new Tunnel(1, 'gre', ['a', 'b'], null, overflow), Tunnel.fields],
    ['DirectionStats', new DirectionStats(), DirectionStats.fields],
    ['SequenceTracker', new SequenceTracker(), SequenceTracker.fields],
    ['RoutingInfo', new RoutingInfo(overflow), RoutingInfo.fields],
    ['CleartextWatch', new CleartextWatch(overflow), CleartextWatch.fields],
    ['EspPeers', new EspPeers(['a', 'b']), EspPeers.fields],
    ['EspSa', new EspSa(1, 'esp', 'a', 'b'), EspSa.fields],
    ['KeepaliveSender', new KeepaliveSender(), KeepaliveSender.fields],
    ['Adjacencies', new Adjacencies(overflow), Adjacencies.fields],
  ];
  for (const [name, instance, fields] of classes) {
    assert.deepEqual(
      Object.keys(instance).sort(),
      [...fields.state, ...fields.caches].sort(),
      `${name}: a field is neither state (toState, fromState, absorb) nor a named cache`,
    );
  }
});

test('a full per-tunnel set keeps its members and counts the new ones it refuses; one with room takes them', () => {
  const routing = (routes: number[], as: number[], neighbors: string[], overflow: Overflow, devices = ['d1']) =>
    RoutingInfo.fromState(
      {
        ospf: [],
        rip: { packets: 1, versions: [2], authTypes: [], routes },
        eigrp: { packets: 1, as, authenticated: 0 },
        pim: { packets: 1, neighbors },
        cdp: { packets: 1, devices },
        lldp: { packets: 2, devices },
      },
      overflow,
    );
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const full = new Overflow();
  const later = routing([5, 5000, 5001], [3, 900], ['n5', 'new'], new Overflow(), ['d5', 'new']);
  const info = routing(
    range(PER_TUNNEL.ripRoutes),
    range(PER_TUNNEL.eigrpAs),
    range(PER_TUNNEL.pimNeighbors).map((i) => `n${i}`),
    full,
    range(PER_TUNNEL.discoveryDevices).map((i) => `d${i}`),
  );
  info.absorb(later);
  assert.deepEqual(Object.fromEntries(full.counts), {
    'RIP routes': 2,
    'EIGRP AS numbers': 1,
    'PIM neighbours': 1,
    'CDP devices': 1,
    'LLDP devices': 1,
  });
  assert.equal(info.cdp.devices.has('new'), false);
  assert.equal(info.lldp.devices.has('new'), false);
  assert.equal(info.rip.routes.size, PER_TUNNEL.ripRoutes);
  assert.equal(info.pim.neighbors.has('new'), false);
  const roomy = new Overflow();
  const small = routing([1], [1], ['n1'], roomy);
  small.absorb(later);
  assert.equal(roomy.counts.size, 0);
  assert.deepEqual(
    [...small.rip.routes].sort((a, b) => a - b),
    [1, 5, 5000, 5001],
  );
  assert.deepEqual([...small.eigrp.as], [1, 3, 900]);
  assert.deepEqual([...small.pim.neighbors], ['n1', 'n5', 'new']);
  assert.deepEqual([...small.cdp.devices], ['d1', 'd5', 'new']);
  assert.deepEqual([...small.lldp.devices], ['d1', 'd5', 'new']);
  assert.equal(small.lldp.packets, 4);
});

test('state round-trips and merges into an empty table unchanged, on every fixture (and the corpus)', () => {
  for (const path of [...captures(FIXTURES), ...captures(CORPUS)]) {
    const c = load(path);
    if (!c) continue;
    const engine = new Engine(DEFAULT_OPTIONS);
    const table = new TunnelTable();
    for (const f of c.frames) table.observe(engine.dissect(f));
    const state = JSON.stringify(table.toState());
    assert.equal(JSON.stringify(TunnelTable.fromState(JSON.parse(state)).toState()), state, path);
    const into = new TunnelTable();
    into.absorb(TunnelTable.fromState(JSON.parse(state)));
    assert.equal(JSON.stringify(into.toState()), state, `${path}: absorb into an empty table`);
  }
});

test(
  'audit --partial and merge on the command line: byte for byte the ' + 'audit, in any order; --every periods too',
  () => {
    const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
    const c = load(file)!;
    const dir = freshDir();
    // Shards as pcap files, as a sensor or a splitter would write them.
    const cuts = usableCuts(c, [2, Math.floor(c.frames.length / 2), c.frames.length - 3]);
    const bounds = [0, ...cuts, c.frames.length];
    const shards = bounds.slice(0, -1).map((from, k) => {
      const path = join(dir, `shard${k}.pcap`);
      const w = new PcapWriter(path, c.frames[0]!.linktype);
      for (let i = from; i < bounds[k + 1]!; i++) {
        const f = c.frames[i]!;
        w.write(f.tsSec, f.tsNsec, f.data.subarray(0, f.caplen), f.len);
      }
      w.close();
      const r = run(['audit', path, '--partial', `${path}.gdp`, '--sensor', `s${k}`]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      return `${path}.gdp`;
    });
    const one = run(['audit', file, '--json']).stdout;
    const norm = (s: string) => s.replace(/"[^"]*\.pcap"/g, '""');
    assert.equal(norm(run(['merge', ...shards, '--json']).stdout), norm(one));
    assert.equal(norm(run(['merge', ...[...shards].reverse(), '--json']).stdout), norm(one));
    // Text too, and --fail-on.
    assert.match(run(['merge', ...shards]).stdout, /FINDINGS/);
    assert.equal(run(['merge', ...shards, '--fail-on', 'high']).status, 1);
    // --every: one partial a period of capture time, and one NDJSON report line a period.
    const periods = freshDir();
    const e = run(['audit', file, '--every', '1', '--partial', `${periods}/`, '--sensor', 'edge-1', '--json']);
    assert.equal(e.status, 0, e.stderr);
    const names = readdirSync(periods).sort();
    assert.ok(names.length >= 3, names.join(' '));
    assert.ok(
      names.every((n) => /^edge-1-\d{8}T\d{6}Z\.gdp$/.test(n)),
      names.join(' '),
    );
    const lines = e.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, names.length);
    assert.ok(lines.every((l) => l.sensor === 'edge-1' && l.period.end - l.period.start === 1 && l.schema === 1));
    assert.equal(
      lines.reduce((n, l) => n + l.packets, 0),
      c.frames.length,
    );
    assert.equal(norm(run(['merge', ...names.map((n) => join(periods, n)), '--json']).stdout), norm(one));
  },
);

test(
  'merge across worker threads: byte for byte the merge in one thread; ' +
    'a bad partial said as there; a bound reached folds again in one thread',
  async () => {
    const dir = freshDir();
    const loaded = captures(FIXTURES)
      .map(load)
      .filter((c): c is Loaded => c !== null);
    // Whole fixtures, and one cut in shards whose sequence numbers run across the seams (and so across runs).
    const health = loaded.find((c) => c.path.endsWith('/gre-health.pcap'))!;
    const seams = usableCuts(
      health,
      Array.from({ length: 7 }, (_, k) => Math.floor(((k + 1) * health.frames.length) / 8)),
    );
    const bounds = [0, ...seams, health.frames.length];
    const paths = writeAll([
      ...loaded.filter((c) => c !== health).map((c) => shardPartial(c, 0, c.frames.length)),
      ...bounds.slice(0, -1).map((from, k) => shardPartial(health, from, bounds[k + 1]!)),
    ]);
    const merge = (threads: number, files = paths, more: string[] = []) => {
      const out = join(dir, `merged-${threads}.gdp`);
      const r = run(['merge', ...files, '--json', '--partial', out, '--threads', String(threads), ...more]);
      return { ...r, partial: r.status === 2 ? null : readFileSync(out) };
    };
    const one = merge(1);
    assert.ok(one.status === 0 || one.status === 1, one.stderr);
    for (const threads of [2, 3, 5]) {
      const r = merge(threads);
      assert.equal(r.stdout, one.stdout, `${threads} threads`);
      assert.deepEqual(r.partial, one.partial, `${threads} threads: --partial`);
      assert.equal(r.stderr, one.stderr);
    }
    // In-process too, the workers given 12 runs of the partials in a random order.
    const limits = DEFAULT_LIMITS;
    const m = await mergeInThreads(shuffled(paths, 7), limits, 3);
    assert.equal(reportOf(m.table, m.reassembly), mergedReport(paths));

    // Two partials whose state was damaged after their header was written: the one folded first is said.
    const order = sortedKeys(paths).map((k) => k.path);
    const damaged = [order[3]!, order[order.length - 2]!];
    const bad = paths.map((p) => {
      if (!damaged.includes(p)) return p;
      const [header, state] = gunzipSync(readFileSync(p)).toString('latin1').split('\n');
      const path = `${p}.damaged.gdp`;
      writeFileSync(path, gzipSync(`${header}\n${state!.replace(/"packets":\d+/, '"packets":5')}\n`));
      return path;
    });
    const refused = merge(1, bad);
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr.split('\n').length, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(`${order[3]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.damaged\\.gdp: the state does not match`),
    );
    for (const threads of [2, 3]) {
      const r = merge(threads, bad);
      assert.equal(r.status, 2, `${threads} threads`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, refused.stderr, `${threads} threads`);
    }

    // A bound reached while folding: runs folded apart would keep other tunnels (so the merge folds again in one
    // thread).
    const tight = { maxTunnels: 3, maxPeers: 3 };
    assert.equal(foldedInRuns(paths, 4, tight).withinBounds, false);
    assert.equal(foldRun(order, tight).withinBounds, false);
    assert.equal(foldedInRuns(paths, 4).withinBounds, true);
    const evicting = merge(1, paths, ['--max-tunnels', '3']);
    assert.match(evicting.stdout, /tunnels evicted/);
    for (const threads of [2, 3]) {
      const r = merge(threads, paths, ['--max-tunnels', '3']);
      assert.equal(r.stdout, evicting.stdout, `${threads} threads, --max-tunnels 3`);
      assert.deepEqual(r.partial, evicting.partial);
    }
  },
);

test('a merge of a few small partials pays no thread start; --threads N is taken as asked', () => {
  const dir = freshDir();
  const c = load(join(FIXTURES, 'gre-health.pcap'))!;
  const small = writeAll([shardPartial(c, 0, 10), shardPartial(c, 10, c.frames.length)]);
  assert.equal(mergeThreads(parseCli(['merge', ...small]), small), 1);
  assert.equal(mergeThreads(parseCli(['merge', ...small, '--threads', '4']), small), 2);
  assert.equal(mergeThreads(parseCli(['merge', small[0]!, '--threads', '4']), [small[0]!]), 1);
  // Sizes alone decide: 8 MiB of partials in all (files made sparse, never read here).
  const large = [0, 1].map((i) => {
    const path = join(dir, `large${i}.gdp`);
    writeFileSync(path, '');
    truncateSync(path, 4 << 20);
    return path;
  });
  assert.equal(mergeThreads(parseCli(['merge', ...large]), large), Math.min(availableParallelism(), 2));
  assert.equal(mergeThreads(parseCli(['merge', ...large, '--threads', '1']), large), 1);
});

test('a partial read from a file is hostile input: one clear line and exit 2 for a bad file', () => {
  const c = load(join(FIXTURES, 'gre-health.pcap'))!;
  const good = shardPartial(c, 0, c.frames.length);
  const dir = freshDir();
  const [headerText, stateText] = (() => {
    const t = readFileSync(writeAll([good])[0]!);
    const s = spawnSync('gzip', ['-dc'], { input: t }).stdout.toString('utf8').split('\n');
    return [s[0]!, s[1]!];
  })();
  const header = JSON.parse(headerText);
  // A state edited with its header's SHA-256 made to match, so that the checks of the state itself are reached.
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const withState = (state: string, h: Record<string, unknown> = header) =>
    gzipSync(JSON.stringify({ ...h, stateSha256: sha(state) }) + '\n' + state + '\n');
  const bad: [string, Buffer | string, RegExp][] = [
    ['not-gzip.gdp', 'hello', /not a gredump partial \(not gzip\)/],
    ['cut.gdp', good.subarray(0, good.length >> 1), /not a gredump partial/],
    ['one-line.gdp', gzipSync(headerText + '\n'), /expected two lines/],
    ['version.gdp', withState(stateText, { ...header, version: 3 }), /partial version 3; this gredump reads version 2/],
    ['format.gdp', withState(stateText, { ...header, format: 'other' }), /not a gredump partial \(format "other"\)/],
    [
      'edited.gdp',
      gzipSync(headerText + '\n' + stateText.replace(/"packets":\d+/, '"packets":5') + '\n'),
      /the state does not match its header's SHA-256/,
    ],
    ['json.gdp', withState('{"packets": '), /the state is not JSON/],
    [
      'negative.gdp',
      withState(stateText.replace(/"packets":\d+/, '"packets":-5')),
      /state\.packets: expected a whole number/,
    ],
    [
      'huge-count.gdp',
      withState(stateText.replace(/"packets":\d+/, '"packets":1e300')),
      /state\.packets: expected a whole number/,
    ],
    [
      'lying-header.gdp',
      withState(stateText, { ...header, span: { ...header.span, packets: 1 } }),
      /the header says 1 packets/,
    ],
    ['kind.gdp', withState(stateText.replace('"kind":"gre"', '"kind":"warp"')), /\.kind: expected one of gre, gretap/],
    // Values that are each well formed but say what no capture could: an address that is none, a direction with more
    // packets than its tunnel, a tunnel first seen after it was last seen.
    [
      'address.gdp',
      withState(stateText.replace('"endpoints":["192.0.2.1"', '"endpoints":["192.0.2.999"')),
      /\.endpoints: expected two addresses in order/,
    ],
    [
      'direction.gdp',
      withState(stateText.replace('"directions":[{"packets":13', '"directions":[{"packets":1000000000')),
      /\.directions: more packets or bytes than the tunnel's/,
    ],
    [
      'times.gdp',
      withState(stateText.replace(/("tunnels":\[\{[^{]*?"firstSeen":)[0-9.]+/, '$11867225600')),
      /\.firstSeen: later than lastSeen/,
    ],
    [
      'proto.gdp',
      withState(stateText.replace('"tunnels":[', '"tunnels":[{"__proto__":{"x":1}},')),
      /state\.tunnels\[0\]\.endpoints: expected a list/,
    ],
    [
      'many.gdp',
      withState(
        JSON.stringify({
          ...JSON.parse(stateText),
          esp: [
            {
              endpoints: ['a', 'b'],
              packets: 0,
              bytes: 0,
              ahPackets: 0,
              natT: false,
              firstSeen: 0,
              lastSeen: 0,
              sas: Array(5000).fill(0),
            },
          ],
        }),
      ),
      /state\.esp\[0\]\.sas: 5000 items, at most 4096 allowed/,
    ],
  ];
  for (const [name, content, why] of bad) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const r = run(['merge', path, '--json']);
    assert.equal(r.status, 2, `${name}: ${r.stdout}`);
    assert.equal(r.stdout, '', name);
    assert.equal(r.stderr.split('\n').length, 2, `${name}: one line: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^gredump: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), name);
    assert.match(r.stderr, why, name);
  }
  // A link is not followed when reading.
  const link = join(dir, 'link.gdp');
  writeFileSync(join(dir, 'real.gdp'), good);
  symlinkSync(join(dir, 'real.gdp'), link);
  assert.match(run(['merge', link]).stderr, /is a symbolic link/);
  // Random damage to the state: a clear error (PartialError) or a good merge, never anything else.
  fc.assert(
    fc.property(fc.nat({ max: stateText.length - 1 }), fc.string({ maxLength: 4 }), (at, junk) => {
      const path = join(dir, 'fuzz.gdp');
      writeFileSync(path, withState(stateText.slice(0, at) + junk + stateText.slice(at + 1)));
      try {
        readPartial(path, DEFAULT_LIMITS);
      } catch (err) {
        if (!(err instanceof PartialError)) throw err;
      }
    }),
    { numRuns: 300 },
  );
});

test("a partial's texts are hostile: escapes in a router ID or a CDP device reach the text audit escaped", () => {
  const c = load(join(FIXTURES, 'gre-ospf-cleartext.pcap'))!;
  const t = spawnSync('gzip', ['-dc'], { input: readFileSync(writeAll([shardPartial(c, 0, c.frames.length)])[0]!) })
    .stdout.toString('utf8')
    .split('\n');
  const header = JSON.parse(t[0]!);
  // A state that passes every check of its form (a router ID is text of 15 characters at most), its hash made to
  // match: only what its texts say is hostile.
  const attack = '\x1b[2J\x1b]0;x\x07';
  const state = JSON.stringify(
    JSON.parse(t[1]!.replace('"routerId":"1.1.1.1"', `"routerId":${JSON.stringify(attack)}`), (k, v) =>
      k === 'routing' && v !== null && typeof v === 'object'
        ? { ...v, cdp: { packets: 1, devices: [`R1${attack} (Tunnel0)`] } }
        : v,
    ),
  );
  assert.ok(state.includes('\\u001b[2J'), 'the router ID was replaced');
  const path = join(freshDir(), 'hostile.gdp');
  const sha = createHash('sha256').update(state).digest('hex');
  writeFileSync(path, gzipSync(`${JSON.stringify({ ...header, stateSha256: sha })}\n${state}\n`));
  const r = spawnSync(process.execPath, [BIN, 'merge', path], { env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual(h.rawControls(r.stdout), []);
  const text = r.stdout.toString();
  assert.ok(text.includes('OSPFv2 router \\x1b[2J\\x1b]0;x\\x07 area 0.0.0.0'), text);
  assert.ok(text.includes('CDP devices R1\\x1b[2J\\x1b]0;x\\x07 (Tunnel0)'), text);
});

test('partials are written through a new temporary name and a rename: a planted link is replaced, not followed', () => {
  const dir = freshDir();
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'keep me');
  const target = join(dir, 'out.gdp');
  symlinkSync(victim, target);
  writeFileSafely(target, Buffer.from('data'));
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.equal(readFileSync(target, 'utf8'), 'data');
  assert.deepEqual(readdirSync(dir).sort(), ['out.gdp', 'victim']);
  const r = run(['audit', join(FIXTURES, 'gre-health.pcap'), '--partial', join(dir, 'no-such-dir', 'x.gdp')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^gredump: .*x\.gdp: cannot write/);
});

test('--partial, --every and merge: usage errors are one line and exit 2', () => {
  const f = join(FIXTURES, 'gre-health.pcap');
  for (const [args, why] of [
    [['merge'], /merge needs partial files/],
    [['audit', f, '--partial', '/tmp/x.gdp', '--fail-on', 'high'], /give --fail-on to gredump merge/],
    [['audit', f, '--partial', '/tmp/x.gdp', '--json'], /--json goes with gredump merge/],
    [['audit', f, '--every', '60'], /--every needs --partial DIR\/, --json or --tables DIR/],
    [['audit', f, '--partial', '/tmp/x.gdp', '--sensor', '../etc'], /--sensor wants a name/],
    [['merge', '/tmp/x.gdp', '-Y', 'gre'], /merge reads partials/],
    [['-r', f, '--partial', '/tmp/x.gdp'], /go with gredump audit/],
  ] as [string[], RegExp][]) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, why, args.join(' '));
  }
});
