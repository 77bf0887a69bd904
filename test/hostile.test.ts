/**
 * Hostile input, round two (#22): complexity attacks, bounds that hold,
 * clean errors and nothing raw on a terminal. The inputs are built by
 * test/support/hostile.ts (fixtures/hostile/README.md says what each is).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/audit/report.js';
import { reportText } from '../src/audit/report-text.js';
import { evaluate } from '../src/audit/rules.js';
import { Engine } from '../src/dissect/engine.js';
import {
  FRAGMENT_MULTIPLE_TAILS,
  FRAGMENT_OVERLAP,
  FRAGMENT_OVERLAP_CONFLICT,
  FRAGMENT_TOO_LONG,
  Reassembler,
} from '../src/dissect/reassembly.js';
import { engineOptions } from '../src/dissect/state.js';
import { DMVPN_LIMITS } from '../src/tunnels/dmvpn.js';
import { MISMATCH_GROUPS } from '../src/tunnels/routing.js';
import { TunnelTable } from '../src/tunnels/table.js';
import type { Tunnel } from '../src/tunnels/tunnel.js';
import { Store } from '../src/ui/store.js';
import { assertLinear } from './support/complexity.js';
import { frameOf } from './support/frames.js';
import * as b from './support/builder.js';
import * as h from './support/hostile.js';

/** Runs `packets` through an engine and a table, as the audit does. */
function observeAll(packets: Uint8Array[], table = new TunnelTable()): TunnelTable {
  const engine = new Engine();
  for (const p of packets) table.observe(engine.dissect(frameOf(p)));
  return table;
}

test('hash flood: tunnels whose src ^ dst and key collide cost linear time (keyed hash)', () => {
  const all = Array.from({ length: 40_000 }, (_, i) => h.hashFloodPacket(i));
  assertLinear(20_000, (n) => observeAll(all.slice(0, n)), 'the colliding tunnels');
  // Every tunnel found, none merged by the collisions.
  assert.equal(observeAll(all.slice(0, 5000)).tunnels.size, 5000);
});

test('--max-tunnels bounds the lookup buckets too: evicted tunnels leave none behind', () => {
  const table = new TunnelTable({ maxTunnels: 100, maxPeers: 100 });
  observeAll(
    Array.from({ length: 5000 }, (_, i) => h.oneShotTunnelPacket(i)),
    table,
  );
  assert.ok(table.tunnels.size <= 100);
  const inside = table as unknown as { buckets: (Tunnel | null)[]; recent: (Tunnel | null)[] };
  let kept = 0;
  for (let t of inside.buckets) for (; t; t = t.nextInBucket) kept++;
  assert.equal(kept, table.tunnels.size);
  // A power of two, doubled only while the tunnels kept outnumber it.
  assert.ok(inside.buckets.length <= 128, `${inside.buckets.length} buckets for ${table.tunnels.size} tunnels`);
  // The cache of tunnels lately found holds none that was evicted.
  const live = new Set(table.tunnels.values());
  const cached = inside.recent.filter((t) => t !== null);
  assert.ok(cached.length > 0);
  for (const t of cached) assert.ok(live.has(t), `tunnel ${t.id} was evicted but is still cached`);
});

test('a tunnel whose GRE version changes (0, then a malformed 2 to 7) is in its bucket once: no chain loops', () => {
  const table = new TunnelTable();
  const inside = table as unknown as { buckets: (Tunnel | null)[]; recent: (Tunnel | null)[] };
  // Checked after each packet, so that a tunnel chained twice fails here before a lookup could loop in its bucket.
  const chainedOnce = () => {
    const seen = new Set<Tunnel>();
    for (let t of inside.buckets) {
      for (; t; t = t.nextInBucket) {
        assert.ok(!seen.has(t), `tunnel ${t.id} is chained twice`);
        seen.add(t);
      }
    }
    assert.equal(seen.size, table.tunnels.size);
  };
  const engine = new Engine();
  const packet = h.oneShotTunnelPacket(1);
  // The GRE header follows Ethernet (14) and IPv4 (20); the version is the low 3 bits of its second byte.
  for (const version of [0, 2, 3, 4, 5, 6, 7, 0, 2]) {
    packet[35] = (packet[35]! & ~7) | version;
    inside.recent.fill(null); // so that each packet asks the buckets
    table.observe(engine.dissect(frameOf(packet)));
    chainedOnce();
  }
  // The malformed versions' header is read as version 0's (Wireshark's reading): the same key, the same tunnel.
  assert.equal(table.tunnels.size, 1);
  // Enough other tunnels to double the buckets (64 to 512), which relinks every chained tunnel.
  for (let i = 2; i < 300; i++) {
    table.observe(engine.dissect(frameOf(h.oneShotTunnelPacket(i))));
    chainedOnce();
  }
});

test('DMVPN flows: kept up to their bound, the rest counted; each kept flow counts all its packets', () => {
  // Inner flows 10.0.x.y -> 172.16.0.1 (its address above 2^30), three rounds over more flows than the bound and
  // than the cache's slots, so that the flows kept are found both in its slots and behind them.
  const flows = DMVPN_LIMITS.flows + 100;
  const packet = (i: number) => {
    const inner = b.ipv4(b.udp(new Uint8Array(4), { srcPort: 1, dstPort: 2 }), {
      src: `10.0.${i >> 8}.${i & 255}`,
      dst: '172.16.0.1',
      proto: 17,
    });
    return b.eth(
      b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 7 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }),
      { type: 0x0800 },
    );
  };
  const packets = Array.from({ length: flows }, (_, i) => packet(i));
  const table = observeAll([...packets, ...packets, ...packets]);
  const s = table.dmvpn;
  assert.equal(s.flowCount, DMVPN_LIMITS.flows);
  assert.equal(s.flowsNotKept, 3 * 100);
  let legs = 0;
  for (const byDst of s.flows.values())
    for (const flow of byDst.values()) {
      assert.deepEqual(
        flow.map((l) => l.packets),
        [3],
      );
      legs++;
    }
  assert.equal(legs, DMVPN_LIMITS.flows);
});

test('OSPF mismatch: one finding per group of routers against the largest, capped and counted', () => {
  // 256 routers, each with its own hello interval: once 32,640 pair findings.
  const table = observeAll(Array.from({ length: 256 }, (_, i) => h.ospfCrowdPacket(i, 256)));
  const found = evaluate(table).filter((f) => f.id === 'ospf-mismatch');
  assert.equal(found.length, MISMATCH_GROUPS + 1);
  assert.equal(
    found[0]!.message,
    'OSPF routers 1.0.0.0 and 1.0.0.1 across gre 192.0.2.1 <-> 198.51.100.7 key 0x1 disagree: hello interval 1s vs 2s',
  );
  assert.equal(
    found.at(-1)!.message,
    `${255 - MISMATCH_GROUPS} more groups of OSPF routers ` +
      `(${255 - MISMATCH_GROUPS} routers) across gre 192.0.2.1 <-> ` +
      `198.51.100.7 key 0x1 disagree with the largest group`,
  );
});

test('OSPF mismatch: routers that agree are named together, the largest group first', () => {
  const engine = new Engine();
  const table = new TunnelTable();
  const hello = (id: string, o: { hello?: number; area?: string }) =>
    b.eth(
      b.ipv4(
        b.gre(b.ipv4(b.ospfHello({ routerId: id, ...o }), { src: '10.0.0.1', dst: '224.0.0.5', proto: 89 }), {
          protocolType: 0x0800,
          key: 1,
        }),
        { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 },
      ),
      { type: 0x0800 },
    );
  const packets = [
    hello('9.9.9.9', { hello: 30 }),
    ...['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4', '5.5.5.5', '6.6.6.6'].map((id) => hello(id, {})),
    hello('7.7.7.7', { area: '0.0.0.1' }),
    hello('8.8.8.8', { area: '0.0.0.1' }),
  ];
  for (const p of packets) table.observe(engine.dissect(frameOf(p)));
  assert.deepEqual(
    evaluate(table)
      .filter((f) => f.id === 'ospf-mismatch')
      .map((f) => f.message),
    [
      'OSPF routers {1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4 and 2 more} and ' +
        '9.9.9.9 across gre 192.0.2.1 <-> 198.51.100.7 key 0x1 disagree: hello ' +
        'interval 10s vs 30s',
      'OSPF routers {1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4 and 2 more} and ' +
        '{7.7.7.7, 8.8.8.8} across gre 192.0.2.1 <-> 198.51.100.7 key 0x1 ' +
        'disagree: area 0.0.0.0 vs 0.0.0.1',
    ],
  );
});

test('tiny IP fragments: linear time, and each counted against --reassembly-mb', () => {
  const all = Array.from({ length: 40_000 }, (_, i) => h.tinyFragmentPacket(i, i >> 13));
  assertLinear(
    20_000,
    (n) => {
      const engine = new Engine();
      for (let i = 0; i < n; i++) engine.dissect(frameOf(all[i]!));
    },
    'the tiny fragments',
  );
  // One datagram, 100k one-byte fragments, a 1 MiB budget: the budget holds and the flood is refused.
  const engine = new Engine(engineOptions(8, 1));
  const r = engine.state.reassembly;
  for (let i = 0; i < 100_000; i++) engine.dissect(frameOf(h.tinyFragmentPacket(i, 1)));
  assert.ok(r.held <= 1024 * 1024, `${r.held} bytes held`);
  assert.ok(r.dropped > 0);
});

test('reassembly: fragments in any order, overlapping, duplicated, or disagreeing on the end', () => {
  const data = Uint8Array.from({ length: 100 }, (_, i) => i);
  const r = new Reassembler({ maxDatagrams: 10, maxBytes: 1 << 20, timeoutSec: 30 });
  assert.equal(r.add('a', 0, 1, 48, data.subarray(48, 100), false), null);
  assert.equal(r.add('a', 0, 2, 16, data.subarray(16, 40), true), null);
  assert.equal(r.add('a', 0, 3, 16, data.subarray(16, 40), true), null); // duplicate
  const lying = data.slice(0, 24);
  lying[18] = 0xff;
  assert.equal(r.add('a', 0, 4, 0, lying, true), null); // overlaps the next, one byte differs there
  const done = r.add('a', 0, 5, 40, data.subarray(40, 48), true);
  assert.ok(done !== null && done !== 'dropped');
  // In offset order (arrival order at equal offsets), the first fragment's bytes standing where they overlap: frame
  // 4's lie stands (tshark's order), frame 2's and 3's bytes there are flagged as conflicting with it.
  const expected = data.slice();
  expected[18] = 0xff;
  assert.deepEqual(done.data, expected);
  assert.deepEqual(
    done.fragments.map((f) => [f.frame, f.off, f.len, f.flags]),
    [
      [4, 0, 24, 0],
      [2, 16, 24, FRAGMENT_OVERLAP | FRAGMENT_OVERLAP_CONFLICT],
      [3, 16, 24, FRAGMENT_OVERLAP | FRAGMENT_OVERLAP_CONFLICT],
      [5, 40, 8, 0],
      [1, 48, 52, 0],
    ],
  );
  assert.equal(r.held, 0);
  // A gap inside a unit keeps it waiting.
  assert.equal(r.add('b', 0, 1, 0, data.subarray(0, 10), true), null);
  assert.equal(r.add('b', 0, 2, 16, data.subarray(16, 24), false), null);
  assert.equal(r.waiting, 1);
  // A second last fragment with another end: the first one's end holds, the second is flagged, and what it holds past
  // that end is left out.
  assert.equal(r.add('b', 0, 3, 16, data.subarray(16, 32), false), null);
  const b = r.add('b', 0, 4, 8, data.subarray(8, 16), true);
  assert.ok(b !== null && b !== 'dropped');
  assert.deepEqual(b.data, data.subarray(0, 24));
  assert.deepEqual(
    b.fragments.map((f) => [f.frame, f.flags]),
    [
      [1, 0],
      [4, FRAGMENT_OVERLAP],
      [2, 0],
      [3, FRAGMENT_OVERLAP | FRAGMENT_MULTIPLE_TAILS | FRAGMENT_TOO_LONG],
    ],
  );
  assert.equal(r.waiting, 0);
  assert.equal(r.held, 0);
});

test('the text audit of many one-packet tunnels is linear in findings', () => {
  const all = Array.from({ length: 30_000 }, (_, i) => h.oneShotTunnelPacket(i));
  const tables = new Map([15_000, 30_000].map((n) => [n, observeAll(all.slice(0, n))]));
  assertLinear(
    15_000,
    (n) => {
      const table = tables.get(n) ?? observeAll(all.slice(0, n));
      reportText(buildReport(table, evaluate(table)), { palette: null, files: ['x'] });
    },
    'the one-packet tunnels',
  );
});

test(
  'UI store: an evicted tunnel takes its history with it (packets are ' + 'kept by the file index, not per tunnel)',
  () => {
    const table = new TunnelTable({ maxTunnels: 100, maxPeers: 100 });
    const store = new Store(table, 'x', null, false);
    const engine = new Engine();
    for (let i = 0; i < 5000; i++) {
      const frame = frameOf(h.oneShotTunnelPacket(i));
      const ctx = engine.dissect(frame);
      table.observe(ctx);
      store.onPacket(ctx.tsSec);
    }
    const inner = store as unknown as { history: Map<number, unknown> };
    assert.ok(
      inner.history.size <= table.tunnels.size,
      `${inner.history.size} histories for ${table.tunnels.size} tunnels`,
    );
    store.stop();
  },
);

test(
  'UI store: with no packet since the last snapshot, the next reuses ' +
    'its rows and findings (an idle UI on 30,000 tunnels made them again ' +
    'at each tick)',
  () => {
    const table = new TunnelTable();
    const store = new Store(table, 'x', null, false);
    const engine = new Engine();
    const feed = (i: number) => {
      const ctx = engine.dissect(frameOf(h.oneShotTunnelPacket(i)));
      table.observe(ctx);
      store.onPacket(ctx.tsSec);
    };
    for (let i = 0; i < 100; i++) feed(i);
    store.finish();
    const before = store.getSnapshot();
    assert.equal(before.done, true);
    store.publish();
    const idle = store.getSnapshot();
    assert.notEqual(idle, before, 'a new snapshot: the clock moved');
    assert.equal(idle.tunnels, before.tunnels);
    assert.equal(idle.findings, before.findings);
    feed(100);
    store.publish();
    const after = store.getSnapshot();
    assert.notEqual(after.tunnels, before.tunnels, 'a packet came: the rows are made again');
    assert.equal(after.tunnels.length, 101);
    assert.equal(after.findings.length, before.findings.length + 1);
    store.stop();
  },
);

test(
  'a tunnel known only from an ICMP error quoting it: the text audit ' +
    'says so (found by the file fuzzer: Invalid time value)',
  () => {
    const quoted = b.ipv4(b.gre(new Uint8Array(8), { protocolType: 0x0800, key: 7 }), {
      src: '192.0.2.1',
      dst: '198.51.100.7',
      proto: 47,
    });
    const icmp = b.eth(b.ipv4(b.icmpFragNeeded(quoted, 1400), { src: '192.0.2.254', dst: '192.0.2.1', proto: 1 }), {
      type: 0x0800,
    });
    const table = observeAll([icmp]);
    assert.equal(table.tunnels.size, 1);
    const text = reportText(buildReport(table, evaluate(table)), { palette: null, files: ['x'] });
    assert.match(text, /0 packets, 0 B, known only from ICMP errors quoting it/);
  },
);

test(
  'UI: snapshots are spaced by ten times their cost, so a costly one ' + '(many tunnels) cannot make reading quadratic',
  async () => {
    const store = new Store(new TunnelTable(), 'x', null, false);
    let builds = 0;
    store.subscribe(() => {
      builds++;
      // As if the snapshot of a flood of tunnels took 40 ms.
      const until = performance.now() + 40;
      while (performance.now() < until);
    });
    store.start();
    await new Promise((r) => setTimeout(r, 1500));
    store.stop();
    // Every 100 ms would be 10 or more; spaced by 400 ms, at most 4.
    assert.ok(builds <= 5, `${builds} snapshots in 1.5 s`);
  },
);
