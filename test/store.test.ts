import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { Store } from '../src/ui/store.js';
import { rateText } from '../src/ui/format.js';
import { ah, esp, eth, gre, ipv4, isakmpHeader, udp, type Bytes } from './support/builder.js';
import { frameOf } from './support/frames.js';
import { FIXTURES } from './support/paths.js';
import { uiSnapshot } from './support/ui-snapshot.js';

/** The UI's store without React: what its snapshots say of packets fed the way the UI driver feeds them. */

const IPV4 = 0x0800;
const inner = () =>
  ipv4(udp(new Uint8Array(8), { srcPort: 40000, dstPort: 5000 }), { src: '10.1.1.1', dst: '10.2.2.2', proto: 17 });
const greIn = (src: string, dst: string, key: number) =>
  ipv4(gre(inner(), { protocolType: IPV4, key }), { src, dst, proto: 47 });

/** A store over a fresh table, fed these packets at these seconds (live: with this clock, in ms). */
function feed(packets: [number, Bytes][], source = 'test.pcap', live = false, now = Date.now): Store {
  const engine = new Engine();
  const table = new TunnelTable();
  const store = new Store(table, source, null, live, now);
  for (const [sec, p] of packets) {
    const ctx = engine.dissect({ ...frameOf(eth(p, { type: IPV4 })), tsSec: sec });
    table.observe(ctx);
    store.onPacket(ctx.tsSec);
  }
  return store;
}

test('a snapshot is taken when published, not as packets come; subscribers hear of each, until they leave', () => {
  const store = feed([[100, greIn('192.0.2.1', '192.0.2.2', 7)]]);
  assert.equal(store.getSnapshot().packets, 0, 'the first snapshot is of the empty table');
  let heard = 0;
  const leave = store.subscribe(() => heard++);
  store.publish();
  assert.equal(store.getSnapshot().packets, 1);
  assert.equal(heard, 1);
  leave();
  store.publish();
  assert.equal(heard, 1);
});

test('tunnel rows: the key as the tables write it, packets, and the per-second history behind the rate', () => {
  const a = '192.0.2.1';
  const b = '192.0.2.2';
  const store = feed([
    [100, greIn(a, b, 0x2a)],
    [100, greIn(b, a, 0x2a)],
    [101, greIn(a, b, 0x2a)],
    [103, greIn(a, b, 0x2a)],
  ]);
  store.publish();
  const [row] = store.getSnapshot().tunnels;
  assert.deepEqual(
    { key: row!.key, endpoints: row!.endpoints, packets: row!.packets, spark: row!.spark, rate: row!.rate },
    {
      key: '0x2a',
      endpoints: [a, b],
      packets: 4,
      spark: [2, 1, 0, 1],
      rate: 0,
    },
  );
});

test('RATE: the last whole second while packets come; once a file is read, packets over the time seen', () => {
  const a = '192.0.2.1';
  const b = '192.0.2.2';
  const store = feed([
    [100, greIn(a, b, 1)],
    [101, greIn(a, b, 1)],
    [101, greIn(a, b, 1)],
    [101, greIn(a, b, 2)],
    [102, greIn(a, b, 1)],
    [102, greIn(a, b, 1)],
    [104, greIn(a, b, 1)],
  ]);
  store.publish();
  const rates = () => store.getSnapshot().tunnels.map((r) => [r.key, r.rate, r.spark]);
  // The clock is at 104 (filling): 103 is the last whole second, quiet for both.
  assert.deepEqual(rates(), [
    ['0x1', 0, [1, 2, 2, 0, 1]],
    ['0x2', 0, [1, 0, 0, 0]],
  ]);
  assert.equal(store.getSnapshot().rate, 0, 'the whole capture: none in 103, the last whole second');
  store.finish();
  assert.equal(store.getSnapshot().rate, 7 / 4, 'the whole capture once read: 7 packets from 100 to 104');
  // 6 packets from 100 to 104; key 2's one packet has no time to divide by.
  assert.deepEqual(rates(), [
    ['0x1', 6 / 4, [1, 2, 2, 0, 1]],
    ['0x2', null, [1, 0, 0, 0]],
  ]);
  let now = 102_500;
  const live = feed(
    [
      [100, greIn(a, b, 1)],
      [101, greIn(a, b, 1)],
      [101, greIn(a, b, 1)],
      [102, greIn(a, b, 1)],
    ],
    'eth0',
    true,
    () => now,
  );
  live.publish();
  assert.equal(live.getSnapshot().tunnels[0]!.rate, 2, 'second 101, the last whole one');
  assert.equal(live.getSnapshot().rate, 2, "the capture's, the same");
  // Live, the host's clock moves on without packets: a quiet link falls to 0 (as iftop's).
  now = 103_100;
  live.publish();
  assert.deepEqual([live.getSnapshot().tunnels[0]!.rate, live.getSnapshot().rate], [1, 1], 'second 102');
  now = 104_100;
  live.publish();
  assert.deepEqual([live.getSnapshot().tunnels[0]!.rate, live.getSnapshot().rate], [0, 0], 'second 103: quiet');
  assert.deepEqual(live.getSnapshot().tunnels[0]!.spark, [1, 2, 1, 0, 0]);
  assert.equal(live.getSnapshot().now, 104.1, '"seen N s ago" counts from the present');
});

test('IPsec rows: one a peer pair, keyed as the packet lists key it (lower|higher); SPIs in hex', () => {
  const opaque = new Uint8Array(32).fill(0xab);
  const store = feed([
    [100, ipv4(esp(opaque, { spi: 0x1001, seq: 1 }), { src: '198.51.100.9', dst: '192.0.2.5', proto: 50 })],
    [100, ipv4(esp(opaque, { spi: 0x2002, seq: 1 }), { src: '192.0.2.5', dst: '198.51.100.9', proto: 50 })],
  ]);
  store.publish();
  const rows = store.getSnapshot().esp.map((r) => [r.key, r.kind, r.packets, r.spis]);
  assert.deepEqual(rows, [['192.0.2.5|198.51.100.9', 'esp', 2, '0x00001001,0x00002002']]);
});

test("a packet of two pairs (AH around another pair's IKE) counts in both rows' seconds; GDOI in neither", () => {
  const ike = () =>
    ipv4(udp(isakmpHeader({ initiatorSpi: 1n, version: 0x20, exchange: 34 }), { srcPort: 500, dstPort: 500 }), {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 17,
    });
  const inAh = (seq: number) =>
    ipv4(ah(ike(), { spi: 0x4004, seq, nextHeader: 4 }), { src: '192.0.2.1', dst: '198.51.100.2', proto: 51 });
  // GDOI (UDP 848) between the AH pair: the audit counts it, the row does not (its list does not hold it).
  const gdoi = ipv4(udp(new Uint8Array(28), { srcPort: 848, dstPort: 848 }), {
    src: '192.0.2.1',
    dst: '198.51.100.2',
    proto: 17,
  });
  const store = feed([
    [100, inAh(1)],
    [101, gdoi],
    [101, inAh(2)],
    [102, inAh(3)],
  ]);
  store.publish();
  const rows = store.getSnapshot().esp.map((r) => [r.key, r.kind, r.packets, r.spark]);
  assert.deepEqual(rows, [
    ['192.0.2.1|198.51.100.2', 'ah', 3, [1, 1, 1]],
    ['10.0.0.1|10.0.0.2', 'ike', 3, [1, 1, 1]],
  ]);
});

test("IPsec rows have their pair's bytes, seconds and rate as tunnels do", () => {
  const opaque = new Uint8Array(32).fill(0xab);
  const espIn = (src: string, dst: string, spi: number, seq: number) =>
    ipv4(esp(opaque, { spi, seq }), { src, dst, proto: 50 });
  const store = feed([
    [100, espIn('198.51.100.9', '192.0.2.5', 0x1001, 1)],
    [101, espIn('192.0.2.5', '198.51.100.9', 0x2002, 1)],
    [101, espIn('198.51.100.9', '192.0.2.5', 0x1001, 2)],
    [102, espIn('198.51.100.9', '192.0.2.5', 0x1001, 3)],
    [102, espIn('203.0.113.1', '192.0.2.5', 0x3003, 1)],
  ]);
  store.publish();
  const rows = () => store.getSnapshot().esp.map((r) => [r.key, r.bytes, r.spark, r.rate]);
  // ESP's bytes, as the audit counts them: its 8-byte header and 32 bytes after it, each packet.
  assert.deepEqual(rows(), [
    ['192.0.2.5|198.51.100.9', 4 * 40, [1, 2, 1], 2],
    ['192.0.2.5|203.0.113.1', 40, [1], 0],
  ]);
  store.finish();
  assert.deepEqual(rows(), [
    ['192.0.2.5|198.51.100.9', 4 * 40, [1, 2, 1], 2],
    ['192.0.2.5|203.0.113.1', 40, [1], null],
  ]);
});

test(
  "finish: a file's progress is whole and the run done; live has no " + 'progress; names from outside are escaped',
  () => {
    const file = feed([], 'a\x1b[2Jb.pcap');
    file.finish('warning: cut short');
    const s = file.getSnapshot();
    assert.deepEqual([s.done, s.progress, s.warning], [true, 1, 'warning: cut short']);
    assert.ok(!s.source.includes('\x1b'), s.source);
    const live = feed([], 'eth0', true);
    live.finish();
    assert.equal(live.getSnapshot().progress, null);
  },
);

test('a RATE cell is narrow: two digits below ten, slow rates a minute, an hour or a day, none as -', () => {
  const cells = [null, 0, 12_345.6, 150, 5.73, 0.25, 0.1, 0.099, 0.0031, 57 / 57_466, 1 / 86_400, 1e-12].map(rateText);
  const said = ['-', '0/s', '12k/s', '150/s', '5.7/s', '0.25/s', '0.1/s', '5.9/m', '11/h', '3.6/h', '1/d', '<0.1/d'];
  assert.deepEqual(cells, said);
  for (const c of cells) assert.ok(c.length <= 6, c);
});

test("the routing panel lists a tunnel's CDP and LLDP devices, each row filtering by its protocol", () => {
  const { snapshot } = uiSnapshot(join(FIXTURES, 'cdp.pcap'), join(FIXTURES, 'lldp.pcap'));
  const rows = snapshot.routing.filter((r) => / devices /.test(r.text));
  assert.deepEqual(
    rows.map((r) => [r.text.replace(/ via .*/, ''), r.filter]),
    [
      ['CDP devices R1.example (Tunnel40), R2.example (Tunnel40), R3, R4, R5, R6, R7, R8, R9\\033[31m\\a', 'cdp'],
      ['CDP devices SW1 (GigabitEthernet0/1)', 'cdp'],
      ['LLDP devices R31\\033[2J\\a (2001:db8::31)', 'lldp'],
    ],
  );
});
