import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { packetJson } from '../src/output/packet-json.js';
import { packetText } from '../src/output/packet-text.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { evaluate } from '../src/audit/rules.js';
import { buildReport } from '../src/audit/report.js';
import { frameOf } from './support/frames.js';
import { FIXTURES } from './support/paths.js';

/**
 * Every packet of every fixture, cut at every length: the engine and both
 * output formats never throw, and the packet says it was truncated. The
 * same cuts with the wire length lowered to match (a packet that lies about
 * its own lengths) must not throw either, nor may the tunnel table and the
 * audit fed with them.
 */
function fixturePackets(): { name: string; linktype: number; bytes: Uint8Array }[] {
  const out: { name: string; linktype: number; bytes: Uint8Array }[] = [];
  for (const name of readdirSync(FIXTURES)
    .filter((n) => /\.pcap(ng)?$/.test(n))
    .sort()) {
    const src = openCapture(join(FIXTURES, name));
    let i = 0;
    while (src.next()) {
      const f = src.frame;
      out.push({ name: `${name}#${++i}`, linktype: f.linktype, bytes: f.data.slice(f.off, f.off + f.caplen) });
    }
    src.close();
  }
  return out;
}

test('cutting any fixture packet at any length gives a truncation mark, never a throw', () => {
  const packets = fixturePackets();
  assert.ok(packets.length > 100, `only ${packets.length} fixture packets`);
  const engine = new Engine();
  const table = new TunnelTable();
  let cuts = 0;
  for (const p of packets) {
    for (let cut = 0; cut < p.bytes.length; cut++) {
      for (const len of [p.bytes.length, cut]) {
        const ctx = engine.dissect(frameOf(p.bytes.subarray(0, cut), p.linktype, len));
        const json = JSON.parse(packetJson(ctx)) as { warnings: string[] };
        packetText(ctx);
        table.observe(ctx);
        assert.ok(
          !json.warnings.some((w) => w.startsWith('internal-error')),
          `${p.name} cut at ${cut}: ${json.warnings}`,
        );
        if (len > cut)
          assert.ok(
            json.warnings.some((w) => w.startsWith('truncated')),
            `${p.name} cut at ${cut}: no truncation mark`,
          );
        cuts++;
      }
    }
  }
  JSON.stringify(buildReport(table, evaluate(table)));
  console.log(`# ${packets.length} packets, ${cuts} cuts`);
});
