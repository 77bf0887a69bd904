import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App, type UiSource } from '../src/ui/app.js';
import { TunnelsView } from '../src/ui/tunnels-view.js';
import { rowsOf } from '../src/ui/rows.js';
import { Store, type Snapshot, type StoredPacket } from '../src/ui/store.js';
import { MulticastPanel } from '../src/ui/panels.js';
import { join } from 'node:path';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { FIXTURES } from './support/paths.js';
import * as b from './support/builder.js';

/** A fixed snapshot: one cleartext GRE tunnel with OSPF inside, one encrypted ESP pair. */
function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    source: 'fixtures/test.pcap', filter: null, packets: 30, bytes: 4000, rate: 5, drops: null, elapsedSec: 3, progress: 1, done: true,
    tunnels: [
      { id: 1, kind: 'gre', endpoints: ['192.0.2.1', '198.51.100.7'], key: '42', packets: 24, bytes: 2000, rate: 3, spark: [1, 2, 3], inner: 'ipv4,ospf', multicast: 1, anomalies: 0, protection: 'cleartext', lastSeen: 10, insideEsp: false },
      { id: 2, kind: 'gretap', endpoints: ['192.0.2.9', '203.0.113.5'], key: '7', packets: 2, bytes: 200, rate: 0, spark: [], inner: 'eth', multicast: 0, anomalies: 3, protection: 'cleartext', lastSeen: 20, insideEsp: false },
    ],
    esp: [{ endpoints: ['192.0.2.1', '198.51.100.9'], spis: '0x1001,0x1002', packets: 6, protection: 'encrypted', mode: 'transport', lastSeen: 5 }],
    groups: [{ group: '224.0.0.5', protocol: 'ospf', tunnel: 'gre 192.0.2.1 <-> 198.51.100.7 key 42', packets: 8, lastSeen: 10 }],
    routing: ['OSPFv2 1.1.1.1 area 0.0.0.0 hello 10s dead 40s auth none via gre 192.0.2.1 <-> 198.51.100.7 key 42'],
    findings: [{ id: 'cleartext-tunnel', severity: 'high', message: 'gre 192.0.2.1 <-> 198.51.100.7 key 42: 24 packets in clear', advice: '' }],
    warning: null,
    now: 10,
    ...extra,
  };
}

function packet(frameNo: number): StoredPacket {
  const bytes = b.eth(b.ipv4(b.gre(b.ipv4(b.ospfHello({ routerId: '1.1.1.1' }), { src: '10.0.0.1', dst: '224.0.0.5', proto: 89 }), { protocolType: 0x0800, key: 42 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }), { type: 0x0800 });
  return { frameNo, linktype: 1, tsSec: frameNo, tsNsec: 0, len: bytes.length, bytes };
}

function fakeSource(s: Snapshot): UiSource & { written: number[] } {
  const written: number[] = [];
  return {
    written,
    subscribe: () => () => {},
    getSnapshot: () => s,
    packetsOf: (id) => (id === 1 ? [packet(1), packet(2)] : []),
    writeTunnel: (id) => {
      written.push(id);
      return `wrote 2 packets to gredump-tunnel-${id}.pcap`;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 30));
async function press(ui: ReturnType<typeof render>, ...keys: string[]) {
  for (const k of keys) {
    await tick();
    ui.stdin.write(k);
  }
  await tick();
}

test('tunnels view: badges readable without colour, endpoints, key, ESP rows, 80 columns', () => {
  const s = snapshot();
  for (const width of [80, 100]) {
    const { lastFrame } = render(<TunnelsView rows={rowsOf(s, 'packets', '')} selected={0} width={width} height={10} focused sort="packets" filter="" />);
    const frame = lastFrame()!;
    assert.match(frame, /> CLEARTEXT\s+gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+42\s+24/);
    assert.match(frame, /ENCRYPTED\s+esp\s+192\.0\.2\.1 ⇄ 198\.51\.100\.9/);
    for (const line of frame.split('\n')) assert.ok(line.length <= width, `line wider than ${width}: ${line}`);
  }
});

test('home screen: tunnels, multicast and routing, findings, status and keys', () => {
  const { lastFrame } = render(<App source={fakeSource(snapshot())} />);
  const frame = lastFrame()!;
  assert.match(frame, /gredump fixtures\/test\.pcap\s+30 pkts/);
  assert.match(frame, /TUNNELS \(3\)/);
  assert.match(frame, /224\.0\.0\.5\s+ospf\s+8 pkts/);
  assert.match(frame, /OSPFv2 1\.1\.1\.1 area 0\.0\.0\.0/);
  assert.match(frame, /HIGH\s+cleartext-tunnel/);
  assert.match(frame, /\? help\s+q quit/);
});

test('Enter drills down to the packets, then the layer tree and bytes; Esc goes back', async () => {
  const ui = render(<App source={fakeSource(snapshot())} />);
  await press(ui, '\r');
  assert.match(ui.lastFrame()!, /gre 192\.0\.2\.1 ⇄ 198\.51\.100\.7 key 42: last 2 packets/);
  assert.match(ui.lastFrame()!, /      2 \d\d:\d\d:02\.000000 192\.0\.2\.1 > 198\.51\.100\.7: GRE key 0x2a proto IPv4 length 72 \| 10\.0\.0\.1 > 22/);
  await press(ui, '\r');
  let frame = ui.lastFrame()!;
  assert.match(frame, /LAYERS/);
  assert.match(frame, /▾ eth/);
  assert.match(frame, /BYTES \(eth header lit\)/);
  assert.match(frame, /0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00  \.\.\.\.\.\.\.\.\.\.\.\.\.\.E\./);
  await press(ui, 'j', 'j');
  frame = ui.lastFrame()!;
  assert.match(frame, /▾ gre/);
  assert.match(frame, /key: 42/);
  assert.match(frame, /BYTES \(gre header lit\)/);
  await press(ui, '\r');
  assert.match(ui.lastFrame()!, /▸ gre/, 'Enter folds the layer');
  assert.doesNotMatch(ui.lastFrame()!, /key: 42/);
  await press(ui, '\u001b');
  assert.match(ui.lastFrame()!, /last 2 packets/);
  await press(ui, '\u001b');
  frame = ui.lastFrame()!;
  assert.match(frame, /TUNNELS \(3\)/);
});

test('filter, sort, pause, panels, help, write', async () => {
  const source = fakeSource(snapshot());
  const ui = render(<App source={source} />);
  await press(ui, '/', '2', '0', '3', '\r');
  assert.match(ui.lastFrame()!, /TUNNELS \(1\)\s+sort: packets\s+filter: 203/);
  assert.match(ui.lastFrame()!, /gretap\s+192\.0\.2\.9 ⇄ 203\.0\.113\.5/);
  await press(ui, '\u001b');
  assert.match(ui.lastFrame()!, /TUNNELS \(3\)/);
  await press(ui, 's');
  assert.match(ui.lastFrame()!, /sort: bytes/);
  await press(ui, 'p');
  assert.match(ui.lastFrame()!, /PAUSED/);
  await press(ui, 'p');
  assert.doesNotMatch(ui.lastFrame()!, /PAUSED/);
  await press(ui, 'w');
  assert.deepEqual(source.written, [1]);
  assert.match(ui.lastFrame()!, /wrote 2 packets to gredump-tunnel-1\.pcap/);
  await press(ui, '\t');
  assert.match(ui.lastFrame()!, /MULTICAST & ROUTING/);
  await press(ui, '?');
  assert.match(ui.lastFrame()!, /KEYS/);
  assert.match(ui.lastFrame()!, /INTEGRITY-ONLY \(yellow\)/);
  await press(ui, '?');
  assert.match(ui.lastFrame()!, /TUNNELS/);
});

test('reading a file: a progress bar, then the final state', () => {
  const { lastFrame } = render(<App source={fakeSource(snapshot({ progress: 0.5, done: false }))} />);
  assert.match(lastFrame()!, /\[##########\.{10}\] 50%/);
});

test('DMVPN clouds in the multicast and routing panel, from a store fed with dmvpn.pcap', () => {
  const table = new TunnelTable();
  const store = new Store(table, 'fixtures/dmvpn.pcap', null, false);
  const engine = new Engine();
  const source = openCapture(join(FIXTURES, 'dmvpn.pcap'));
  while (source.next()) {
    const ctx = engine.dissect(source.frame);
    table.observe(ctx);
    store.onPacket(ctx, source.frame);
  }
  source.close();
  store.finish();
  const s = store.getSnapshot();
  assert.equal(s.dmvpn!.clouds, 3);
  const { lastFrame } = render(<MulticastPanel groups={s.groups} routing={s.routing} dmvpn={s.dmvpn} now={s.now} selected={0} width={100} height={40} focused={false} />);
  const frame = lastFrame()!;
  assert.match(frame, /MULTICAST & ROUTING \(0 groups, 0 routers, 3 DMVPN clouds\)/);
  assert.match(frame, /CLEARTEXT\s+cloud key 100: hub 192\.0\.2\.1 \(tunnel 172\.16\.1\.1\), 5 spokes/);
  assert.match(frame, /spoke 172\.16\.1\.40 at 203\.0\.113\.40: REFUSED by 192\.0\.2\.1: code 14 \(already registered\)/);
  assert.match(frame, /redirect: hub 192\.0\.2\.1 told 10\.10\.0\.5 at 198\.51\.100\.10 about 10\.10\.0\.5 > 10\.30\.0\.5/);
  for (const line of frame.split('\n')) assert.ok(line.length <= 100, `line wider than 100: ${line}`);
  assert.equal(snapshot().dmvpn, undefined, 'no DMVPN lines without NHRP');
});
