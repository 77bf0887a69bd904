import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { FIXTURES } from './support/paths.js';

const isSet = (v: unknown): boolean =>
  v !== null &&
  v !== 0 &&
  v !== -1 &&
  v !== false &&
  v !== '' &&
  !(Array.isArray(v) && v.length === 0) &&
  !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Adds the path of each field set in a table's state (a list's or a map's members as `[]`). */
function fieldsSet(v: unknown, path: string, set: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x && typeof x === 'object') fieldsSet(x, `${path}[]`, set);
    return;
  }
  if (!v || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (isSet(x)) set.add(p);
    fieldsSet(x, p, set);
  }
}

/**
 * Every fixture's table, crossed as plain data (as from a worker thread)
 * and absorbed into one empty table: each field of a tunnel (directions,
 * sequence, keepalives, routing, adjacencies, cleartext), a peer pair, its
 * SAs and IKE log that some fixture sets must still be set in the merged
 * table. A field added to the state and not merged by absorb() fails here.
 */
test(
  'absorb leaves no field behind: what the fixtures set in a tunnel, an ' +
    'SA or a routing record is set after merging them into an empty table',
  () => {
    const before = new Set<string>();
    const all = new TunnelTable();
    for (const name of readdirSync(FIXTURES).filter((n) => /\.(pcap|pcapng|cap)$/.test(n))) {
      const engine = new Engine();
      const table = new TunnelTable();
      const src = openCapture(join(FIXTURES, name));
      try {
        while (src.next()) table.observe(engine.dissect(src.frame));
      } finally {
        src.close();
      }
      const state = structuredClone(table.toState());
      fieldsSet(state, '', before);
      all.absorb(TunnelTable.fromState(state));
    }
    const after = new Set<string>();
    fieldsSet(all.toState(), '', after);
    assert.ok(before.size > 200, `the fixtures set ${before.size} fields`);
    // The table's own times are minima and maxima over the fixtures (one starts at 0, the epoch): the records are the
    // point.
    const records = (p: string) => p.startsWith('tunnels[]') || p.startsWith('esp[]');
    assert.deepEqual(
      [...before].filter((p) => records(p) && !after.has(p)),
      [],
    );
  },
);
