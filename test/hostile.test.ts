/**
 * Hostile input, round two (#22): complexity attacks, bounds that hold,
 * clean errors and nothing raw on a terminal. The inputs are built by
 * test/support/hostile.ts (fixtures/hostile/README.md says what each is).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { doublingRatio } from './support/complexity.js';
import { frameOf } from './support/frames.js';
import * as h from './support/hostile.js';

/** Runs `packets` through an engine and a table, as the audit does. */
function observeAll(packets: Uint8Array[], table = new TunnelTable()): TunnelTable {
  const engine = new Engine();
  for (const p of packets) table.observe(engine.dissect(frameOf(p)));
  return table;
}

test('hash flood: tunnels whose src ^ dst and key collide cost linear time (keyed hash)', () => {
  const all = Array.from({ length: 40_000 }, (_, i) => h.hashFloodPacket(i));
  const ratio = doublingRatio(20_000, (n) => observeAll(all.slice(0, n)));
  assert.ok(ratio < 3, `doubling the tunnels multiplied the time by ${ratio.toFixed(2)}`);
  // Every tunnel found, none merged by the collisions.
  assert.equal(observeAll(all.slice(0, 5000)).tunnels.size, 5000);
});

test('--max-tunnels bounds the lookup buckets too: evicted tunnels leave none behind', () => {
  const table = new TunnelTable({ maxTunnels: 100, maxPeers: 100 });
  observeAll(Array.from({ length: 5000 }, (_, i) => h.oneShotTunnelPacket(i)), table);
  assert.ok(table.tunnels.size <= 100);
  const buckets = (table as unknown as { byHash: Map<number, unknown[]> }).byHash;
  const kept = [...buckets.values()].reduce((n, b) => n + b.length, 0);
  assert.equal(kept, table.tunnels.size);
  assert.ok(buckets.size <= 100, `${buckets.size} buckets for ${table.tunnels.size} tunnels`);
});
