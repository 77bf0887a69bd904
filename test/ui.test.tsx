import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { render } from 'ink-testing-library';
import type { Frame } from '../src/capture/frame.js';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { LiveStore, PacketLists } from '../src/cli/packet-index.js';
import { filterProblem, matchTunnels, openList, Scheduler, type ListContext } from '../src/cli/tui-lists.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { App } from '../src/ui/app.js';
import { helpText } from '../src/ui/chrome.js';
import { decodeKeys, footerText, keyTableMarkdown, KEYMAP } from '../src/ui/keys.js';
import { lineText } from '../src/ui/packet-views.js';
import { MulticastPanel, multicastLines } from '../src/ui/panels.js';
import { rowsOf } from '../src/ui/rows.js';
import { cellsOf, layout, TunnelsView } from '../src/ui/tunnels-view.js';
import type { UiSource } from '../src/ui/source.js';
import { Store } from '../src/ui/store.js';
import { ROOT } from './support/paths.js';
import * as b from './support/builder.js';

const GRE42 = (n: number) =>
  b.eth(
    b.ipv4(
      b.gre(b.ipv4(b.ospfHello({ routerId: '1.1.1.1' }), { src: '10.0.0.1', dst: '224.0.0.5', proto: 89 }), {
        protocolType: 0x0800,
        key: 42,
      }),
      { src: '192.0.2.1', dst: '198.51.100.7', proto: 47, id: n },
    ),
    { type: 0x0800 },
  );
const GRE7 = () =>
  b.eth(
    b.ipv4(
      b.gre(b.ipv4(b.icmpEcho({ request: true, id: 1, seq: 1 }), { src: '10.9.0.1', dst: '10.9.0.2', proto: 1 }), {
        protocolType: 0x0800,
        key: 7,
      }),
      { src: '192.0.2.9', dst: '203.0.113.5', proto: 47 },
    ),
    { type: 0x0800 },
  );
const ESP = (seq: number) =>
  b.eth(b.ipv4(b.esp(new Uint8Array(48), { spi: 0x1001, seq }), { src: '192.0.2.1', dst: '198.51.100.9', proto: 50 }), {
    type: 0x0800,
  });
const IKE = () =>
  b.eth(
    b.ipv4(
      b.udp(b.isakmpHeader({ initiatorSpi: 0x1122334455667788n, version: 2, exchange: 34 }), {
        srcPort: 500,
        dstPort: 500,
      }),
      { src: '198.18.0.1', dst: '198.18.0.2', proto: 17 },
    ),
    { type: 0x0800 },
  );
const PLAIN = () =>
  b.eth(
    b.ipv4(b.udp(new Uint8Array(8), { srcPort: 53, dstPort: 53 }), { src: '10.1.1.1', dst: '10.1.1.2', proto: 17 }),
    { type: 0x0800 },
  );

const running: (() => void)[] = [];
after(() => {
  for (const stop of running) stop();
});

/**
 * The real driver behind the UI, fed packets by the test: the tunnel
 * table, the store's snapshots, the ring of packets and its lists.
 */
function harness() {
  const engine = new Engine();
  const table = new TunnelTable();
  let sec = 1_700_000_000;
  // Live: the store's present is the second the last packet was stamped with.
  const store = new Store(table, 'test.pcap', null, true, () => (sec - 1) * 1000);
  const ring = new LiveStore(1 << 20, 1 << 12);
  const lists = new PacketLists(ring);
  const scheduler = new Scheduler();
  const ctx: ListContext = { lists, options: DEFAULT_OPTIONS, scheduler, complete: () => true, stem: 'test' };
  const feed = (...packets: Uint8Array[]) => {
    for (const bytes of packets) {
      const frame: Frame = {
        data: bytes,
        dv: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        off: 0,
        caplen: bytes.length,
        len: bytes.length,
        tsSec: sec++,
        tsNsec: 0,
        tsDigits: 6,
        hasTs: true,
        linktype: 1,
        iface: null,
        flags: -1,
      };
      const c = engine.dissect(frame);
      table.observe(c);
      store.onPacket(c.tsSec);
      const seq = ring.total;
      ring.add(frame);
      lists.file(seq, c, table);
    }
    store.publish();
  };
  // Snapshots every 100 ms, as the program publishes them: a scan's results show without a key.
  store.start();
  running.push(() => {
    store.stop();
    scheduler.stop();
  });
  const source: UiSource = {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    checkFilter: filterProblem,
    list: (spec) => openList(ctx, spec),
    matchTunnels: (f) => matchTunnels(ctx, f),
  };
  return { feed, source, store, scheduler };
}

const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));
async function press(ui: ReturnType<typeof render>, ...keys: string[]) {
  // Under load React may run the effects that start reading keys well after the first frame: wait for them.
  for (let i = 0; i < 100 && ui.stdin.listenerCount('readable') === 0; i++) await tick(20);
  for (const k of keys) {
    await tick();
    ui.stdin.write(k);
  }
  await tick();
}

/** Waits, up to 10 s, for the screen to show `re`: a list is scanned a slice at a time, slower under load. */
async function until(ui: ReturnType<typeof render>, re: RegExp) {
  for (const start = Date.now(); !re.test(ui.lastFrame()!) && Date.now() - start < 10_000; ) await tick(20);
}

/** A screen where tunnel 42 has 24 packets and tunnel 7 two, one ESP pair, one IKE-only pair, some plain traffic. */
function standard() {
  const h = harness();
  for (let i = 0; i < 24; i++) h.feed(GRE42(i));
  h.feed(GRE7(), GRE7(), ESP(1), ESP(2), ESP(3), IKE(), PLAIN());
  return h;
}

test('key names: an input event of several keys is several keys', () => {
  assert.deepEqual(decodeKeys('jjj'), ['j', 'j', 'j']);
  assert.deepEqual(decodeKeys('k\r'), ['k', 'enter']);
  assert.deepEqual(decodeKeys('/gre.key == 4\r'), [
    '/',
    'g',
    'r',
    'e',
    '.',
    'k',
    'e',
    'y',
    'space',
    '=',
    '=',
    'space',
    '4',
    'enter',
  ]);
  assert.deepEqual(decodeKeys('\r'), ['enter']);
  assert.deepEqual(decodeKeys('\x1a'), ['C-z']);
  assert.deepEqual(decodeKeys('\x1b[Z'), ['S-tab']);
  assert.deepEqual(decodeKeys('\x1b[5~'), ['pgup']);
  assert.deepEqual(decodeKeys('\x1b'), ['esc']);
  assert.deepEqual(decodeKeys('\x1b\x1b'), ['esc', 'esc']);
  assert.deepEqual(decodeKeys('\x1b\x1b[A'), ['esc', 'up']);
  assert.deepEqual(decodeKeys('\x7f'), ['backspace']);
});

test('help fits the screen and scrolls (j, k, PgDn, G, g), and Esc Esc in one read goes back twice', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, '?');
  const lines = ui.lastFrame()!.split('\n');
  assert.match(lines[1]!, /KEYS: lines 1-19 of \d+, j\/k PgUp PgDn g G scroll/);
  assert.ok(lines.length <= 24, `help is ${lines.length} lines on a 24-line screen`);
  assert.match(lines[lines.length - 1]!, /\? help {2}q quit/);
  assert.match(lines[lines.length - 2]!, /^ {2}\d+ more below, Esc or \? goes back/);
  assert.doesNotMatch(ui.lastFrame()!, /q C-c/);
  await press(ui, 'G');
  assert.match(ui.lastFrame()!, /q C-c {6}quit/);
  assert.match(ui.lastFrame()!, /ENCRYPTED \(green\)/);
  assert.match(ui.lastFrame()!, /\d+ more above, Esc or \? goes back/);
  assert.doesNotMatch(ui.lastFrame()!, /more below/);
  await press(ui, 'g', 'jj');
  assert.match(ui.lastFrame()!, /KEYS: lines 3-21 of/);
  // k to line 2, then a page (the 21 lines between title and footer, less 4) down, as far as the last page goes.
  await press(ui, 'k', '\x1b[6~');
  const total = helpText(100, 19).length;
  assert.match(
    ui.lastFrame()!,
    new RegExp(`KEYS: lines ${Math.min(1 + 17, total - 19) + 1}-${Math.min(1 + 17, total - 19) + 19} of ${total}`),
  );
  await press(ui, '\x1b');
  await press(ui, '\r', '\r');
  assert.match(ui.lastFrame()!, /FRAME 24: FIELDS/);
  await press(ui, '\x1b\x1b');
  assert.match(ui.lastFrame()!, /TUNNELS & PEERS/);
  ui.unmount();
});

test(
  'a list follows new packets while the capture goes on, and says where ' + 'it is once the file is read to its end',
  async () => {
    const h = standard();
    const ui = render(<App source={h.source} />);
    await press(ui, '\r');
    assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}following new packets/);
    h.store.finish();
    await press(ui, 'j');
    assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}24 of 24/);
    assert.doesNotMatch(ui.lastFrame()!, /following/);
    // Opened once the file is read, a list starts at its first packet (as Wireshark's); G goes to its end.
    await press(ui, '\x1b', '\r');
    assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}1 of 24/);
    await press(ui, 'G');
    assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}24 of 24/);
    ui.unmount();
  },
);

test('the keys no other test presses: s, S-Tab, p, C-f, C-b, → ←, ] [ (bytes that fit stay put)', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, 's');
  assert.match(ui.lastFrame()!, /sort: bytes/);
  await press(ui, 's', 's');
  assert.match(ui.lastFrame()!, /sort: last seen /, 'said in words, not the key name');
  await press(ui, 's');
  assert.match(ui.lastFrame()!, /sort: packets/);
  await press(ui, '\x1b[Z', '\r');
  assert.match(ui.lastFrame()!, /WHAT WAS SEEN/, 'S-Tab went back from the tunnels to the findings');
  await press(ui, '\x1b', '\t', 'p');
  assert.match(ui.lastFrame()!, /display paused; capture goes on/);
  await press(ui, 'p');
  assert.match(ui.lastFrame()!, /display resumed/);
  await press(ui, '\r', '\x06');
  assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}24 of 24/);
  await press(ui, '\x02');
  assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}7 of 24/, 'a page is the body less 4 lines');
  await press(ui, '\r', '\x1b[C');
  assert.match(ui.lastFrame()!, /▸ Frame 7:/);
  await press(ui, '\x1b[D');
  assert.match(ui.lastFrame()!, /▾ Frame 7:/);
  assert.match(ui.lastFrame()!, /^0000 {2}/m);
  // The packet's bytes fit the screen: ] has nothing to scroll, and does not scroll past the end.
  await press(ui, ']', ']');
  assert.match(ui.lastFrame()!, /^0000 {2}/m);
  await press(ui, '[');
  assert.match(ui.lastFrame()!, /^0000 {2}/m);
  ui.unmount();
});

test(
  'a packet whose bytes do not fit: the BYTES title counts the lines ' + 'above and below, ] and [ scroll them',
  async () => {
    const h = harness();
    h.feed(
      b.eth(
        b.ipv4(b.udp(new Uint8Array(900), { srcPort: 53, dstPort: 53 }), {
          src: '10.1.1.1',
          dst: '10.1.1.2',
          proto: 17,
        }),
        { type: 0x0800 },
      ),
    );
    const ui = render(<App source={h.source} />);
    await press(ui, 'a', '\r');
    assert.match(ui.lastFrame()!, /BYTES \(frame, 942 bytes[^)]*\) {2}\(\d+ more below\)/);
    await press(ui, ']');
    assert.match(ui.lastFrame()!, /BYTES \(frame, 942 bytes[^)]*\) {2}\(4 more above, \d+ below\)/);
    assert.match(ui.lastFrame()!, /^0040 {2}/m);
    await press(ui, '[');
    assert.match(ui.lastFrame()!, /^0000 {2}/m);
    ui.unmount();
  },
);

test('the help screen wraps what does not fit: every key and every word at 80 columns, two columns at 200', () => {
  const words = (lines: string[]) => lines.join(' ').split(/\s+/).filter(Boolean).sort();
  const all = words(KEYMAP.map((d) => `${d.label} ${d.help}`));
  for (const width of [60, 80, 100, 160]) {
    const lines = helpText(width, 20);
    for (const l of lines) assert.ok(l.length <= width, `${width}: ${l}`);
    for (const w of all) assert.ok(words(lines).includes(w), `${width}: ${w} is missing`);
    if (width <= 100)
      assert.ok(
        lines.some((l) => /^ {13}\S/.test(l)),
        'a long line goes on under its key',
      );
  }
  // Wide and short: two columns, each wrapped, and nothing lost.
  const wide = helpText(200, 10);
  assert.ok(wide.length < helpText(200, 100).length, 'two columns when one is too long for the screen');
  for (const l of wide) assert.ok(l.length <= 200);
  for (const w of all) assert.ok(words(wide).includes(w), `200: ${w} is missing`);
});

test('the footer always ends with help and quit, at any width', () => {
  for (const w of [30, 60, 80, 200]) {
    for (const screen of ['home', 'list', 'packet', 'finding', 'help'] as const) {
      const f = footerText(screen, w);
      assert.match(f, /\? help {2}q quit$/);
      assert.ok(f.length <= Math.max(w, 14), `${screen} at ${w}: ${f}`);
    }
  }
});

test('the README holds the key table the key map makes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(
    readme.includes(keyTableMarkdown()),
    'README.md: the key table differs from src/ui/keys.ts (paste keyTableMarkdown())',
  );
  assert.ok(KEYMAP.length > 20);
});

test('home: tunnels with keys in hex, ESP SPIs in hex, the IKE-only pair, routing, findings, footer', () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  const frame = ui.lastFrame()!;
  assert.match(frame, /TUNNELS & PEERS \(4\)/);
  assert.match(frame, /> CLEARTEXT\s+gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+0x2a\s+24/);
  assert.match(frame, /ENCRYPTED\s+esp\s+192\.0\.2\.1 ⇄ 198\.51\.100\.9\s+0x00001001\s+3/);
  assert.match(frame, /UNKNOWN\s+ike\s+198\.18\.0\.1 ⇄ 198\.18\.0\.2\s+IKEv2/);
  assert.match(frame, /OSPFv2 1\.1\.1\.1 area 0\.0\.0\.0/);
  assert.match(frame, /HIGH\s+cleartext-tunnel/);
  assert.match(frame, /\? help {2}q quit/);
  for (const line of frame.split('\n')) assert.ok(line.length <= 100, `wider than the screen: ${line}`);
  ui.unmount();
});

test('the routing panel is titled with DMVPN when it holds DMVPN lines, not otherwise', () => {
  const panel = (dmvpn: boolean) => {
    const ui = render(
      <MulticastPanel
        groups={[]}
        routing={[{ text: 'a line', tunnelId: 1, routerId: null, filter: null, dmvpn }]}
        now={0}
        selected={0}
        width={80}
        height={5}
        focused={false}
      />,
    );
    const first = ui.lastFrame()!.split('\n')[0]!;
    ui.unmount();
    return first.trim();
  };
  assert.equal(panel(true), 'MULTICAST, ROUTING & DMVPN (0 groups, 1 line)');
  assert.equal(panel(false), 'MULTICAST & ROUTING (0 groups, 1 line)');
});

test('coalesced keys: "jjj" moves three rows, "k\\r" opens the row above', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, 'jjj');
  // Rows by packets: gre 42 (24), esp (3), gre 7 (2), ike (1): three down is the IKE pair.
  assert.match(ui.lastFrame()!, /> UNKNOWN\s+ike/);
  await press(ui, 'k\r');
  assert.match(ui.lastFrame()!, /gre 192\.0\.2\.9 ⇄ 203\.0\.113\.5 key 0x7: 2 packets/);
  await press(ui, '\u001b');
  await press(ui, 'gjj\r');
  assert.match(
    ui.lastFrame()!,
    /gre 192\.0\.2\.9 ⇄ 203\.0\.113\.5 key 0x7: 2 packets/,
    'g, then two down, then Enter, in one read',
  );
  ui.unmount();
});

test("a tunnel's list follows live packets until the cursor moves; G follows again", async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, '\r');
  assert.match(ui.lastFrame()!, /key 0x2a: 24 packets {2}following new packets/);
  h.feed(GRE42(100), GRE42(101));
  await tick();
  let frame = ui.lastFrame()!;
  assert.match(frame, /26 packets {2}following new packets/);
  // The selected line is the newest packet, frame 33 (31 before it).
  assert.match(frame, /^ 33 10\.0\.0\.1 > 224\.0\.0\.5: OSPFv2 Hello/m);
  await press(ui, 'k');
  assert.match(ui.lastFrame()!, /25 of 26/);
  h.feed(GRE42(102));
  await tick();
  assert.match(ui.lastFrame()!, /25 of 27/, 'the cursor stays where the user put it');
  await press(ui, 'G');
  assert.match(ui.lastFrame()!, /27 packets {2}following new packets/);
  await press(ui, 'g');
  assert.match(ui.lastFrame()!, /1 of 27/);
  await press(ui, ':', '3', '0', '\r');
  assert.match(ui.lastFrame()!, /frame 30 is not in this list; at frame 32/);
  ui.unmount();
});

test('IPsec peers open like tunnels; the all-packets list holds every packet', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, 'j\r');
  let frame = ui.lastFrame()!;
  assert.match(frame, /IPsec 192\.0\.2\.1 ⇄ 198\.51\.100\.9 \(ESP\): 3 packets/);
  assert.match(frame, /ESP\(spi=0x00001001,seq=0x3\)|spi.*0x00001001|SPI 0x00001001/i);
  await press(ui, '\u001b', 'G', '\r');
  assert.match(ui.lastFrame()!, /IPsec 198\.18\.0\.1 ⇄ 198\.18\.0\.2 \(IKE\): 1 packet\b/);
  await press(ui, '\u001b', 'a');
  frame = ui.lastFrame()!;
  assert.match(frame, /all packets: 31 packets/);
  assert.match(frame, /10\.1\.1\.1\.53 > 10\.1\.1\.2\.53|10\.1\.1\.1 > 10\.1\.1\.2/);
  ui.unmount();
});

/** Feeds a capture's frames to the harness, in order. */
function feedCapture(h: ReturnType<typeof harness>, name: string): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const src = openCapture(join(ROOT, 'fixtures', name));
  try {
    while (src.next()) frames.push(src.frame.data.slice(src.frame.off, src.frame.off + src.frame.caplen));
  } finally {
    src.close();
  }
  h.feed(...frames);
  return frames;
}

test("an IKE reflection's reflectors are one row, as the audit says them; Enter lists all their answers", async () => {
  const h = harness();
  // Six hosts answering 192.0.2.66's cookie (8 answers), three answering 192.0.2.67's (not a reflection), then the
  // look-alikes: six hosts answering six cookies of one host, a host sending one cookie to six itself.
  const answers = feedCapture(h, 'ike-reflection.pcap');
  h.store.publish();
  const folded = h.store.getSnapshot().esp.find((e) => e.reflection)!;
  // The harness gives each packet a second of its own: the six reflectors' answers one a second, then the file's
  // five other packets (not theirs).
  assert.deepEqual(folded.spark, [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], "the six reflectors' seconds added");
  feedCapture(h, 'ike-reflection-lookalike.pcap');
  let s = h.store.getSnapshot();
  const reflection = s.esp.filter((e) => e.reflection);
  assert.equal(reflection.length, 1);
  assert.deepEqual(reflection[0]!.endpoints, ['192.0.2.66', '6 hosts']);
  assert.equal(reflection[0]!.spis, 'IKEv1 reflection');
  assert.equal(reflection[0]!.packets, 8);
  assert.equal(reflection[0]!.pairs.length, 6);
  // 3 pairs of 192.0.2.67, 6 of 192.0.2.68, 6 of 192.0.2.69: each its own row.
  assert.equal(s.esp.length, 1 + 3 + 6 + 6);
  const finding = s.findings.find((f) => f.id === 'ike-reflection')!;
  assert.deepEqual(finding.peers, [reflection[0]!.key], 'the finding goes to the folded row');

  const ui = render(<App source={h.source} />);
  await tick();
  let frame = ui.lastFrame()!;
  assert.match(frame, /192\.0\.2\.66 ⇄ 6 hosts\s+IKEv1 reflection\s+8\b/);
  assert.doesNotMatch(frame, /198\.51\.100\.1[0-5] ⇄|⇄ 198\.51\.100\.1[0-5]/, 'no reflector has a row of its own');
  const rows = rowsOf(s, 'packets', null);
  await press(ui, ...Array(rows.findIndex((r) => r.reflection)).fill('j'), '\r');
  frame = ui.lastFrame()!;
  assert.match(frame, /IKE reflection towards 192\.0\.2\.66: the answers it was sent: 8 packets/);
  const listed = [...frame.matchAll(/^ *(\d+) .*198\.51\.100\.(1[0-5]) > 192\.0\.2\.66/gm)].map((m) => Number(m[1]));
  assert.deepEqual(listed, [1, 2, 3, 4, 5, 6, 7, 8], 'every answer, in capture order');

  // A seventh reflector while the list is open: the row counts it, the list follows it.
  const seventh = answers[0]!.slice();
  seventh.set(b.ip4('198.51.100.16'), 14 + 12);
  seventh.fill(0, 14 + 10, 14 + 12);
  const sum = b.checksum(seventh.subarray(14, 14 + 20));
  seventh[14 + 10] = sum >> 8;
  seventh[14 + 11] = sum & 0xff;
  h.feed(seventh);
  await tick(150);
  frame = ui.lastFrame()!;
  assert.match(frame, /: 9 packets {2}following new packets/);
  assert.match(frame, /^ *32 .*198\.51\.100\.16 > 192\.0\.2\.66/m);
  s = h.store.getSnapshot();
  assert.deepEqual(s.esp.find((e) => e.reflection)!.endpoints, ['192.0.2.66', '7 hosts']);
  ui.unmount();
});

test('the filter bar: checked as it is typed, then applied to the list, and to the tunnel table', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, 'a', '/', 'gre.key ==');
  let frame = ui.lastFrame()!;
  assert.match(frame, /filter: gre\.key ==█ {2}not a filter yet/);
  assert.match(frame, /\^ /, 'a caret under the mistake');
  await press(ui, ' 7');
  frame = ui.lastFrame()!;
  assert.match(frame, /filter: gre\.key == 7█ {2}ok/);
  assert.doesNotMatch(frame, /\^ /);
  await press(ui, '\r');
  await until(ui, /all packets, filter gre\.key == 7: 2 packets/);
  frame = ui.lastFrame()!;
  assert.match(frame, /all packets, filter gre\.key == 7: 2 packets/);
  await press(ui, '\u001b');
  await press(ui, '/', 'ospf', '\r');
  await until(ui, /TUNNELS & PEERS \(1\)/);
  frame = ui.lastFrame()!;
  assert.match(frame, /TUNNELS & PEERS \(1\)/);
  assert.match(frame, /gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7/);
  assert.doesNotMatch(frame, /gre\s+192\.0\.2\.9 ⇄ 203\.0\.113\.5/);
  await press(ui, '/', '\u0015', 'esp || isakmp', '\r');
  await until(ui, /TUNNELS & PEERS \(2\)/);
  frame = ui.lastFrame()!;
  assert.match(frame, /TUNNELS & PEERS \(2\)/);
  assert.match(frame, /esp\s+192\.0\.2\.1/);
  assert.match(frame, /ike\s+198\.18\.0\.1/);
  // Enter on a row of the filtered table lists that row's packets that match: the filter is the display's.
  await press(ui, '/', '\u0015', 'esp.sequence == 2', '\r');
  await until(ui, /TUNNELS & PEERS \(1\)/);
  await press(ui, '\r');
  await until(ui, /IPsec 192\.0\.2\.1 ⇄ 198\.51\.100\.9 \(ESP\), filter esp\.sequence == 2: 1 packet {2}/);
  assert.match(
    ui.lastFrame()!,
    /IPsec 192\.0\.2\.1 ⇄ 198\.51\.100\.9 \(ESP\), filter esp\.sequence == 2: 1 packet {2}/,
  );
  ui.unmount();
});

test('find: f takes a display filter, n and N go to the next and previous packet it matches', async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, 'a', 'g', 'f', 'icmp', '\r');
  // Frames 25 and 26 are the two ICMP packets of tunnel 7.
  assert.match(ui.lastFrame()!, /all packets: 31 packets {2}25 of 31/);
  await press(ui, 'n');
  assert.match(ui.lastFrame()!, /26 of 31/);
  await press(ui, 'n');
  assert.match(ui.lastFrame()!, /no later packet matches icmp/);
  await press(ui, 'N');
  assert.match(ui.lastFrame()!, /25 of 31/);
  // A new filter starts at the packet under the cursor: frame 1, the first GRE packet of key 0x2a, is found.
  await press(ui, 'g', 'f', '\x15', 'gre.key == 0x2a', '\r');
  assert.match(ui.lastFrame()!, /all packets: 31 packets {2}1 of 31/);
  await press(ui, 'n');
  assert.match(ui.lastFrame()!, /2 of 31/);
  await press(ui, 'f', '\x15', 'gre.key ==', '\r');
  assert.match(ui.lastFrame()!, /find: gre\.key ==█/, 'a filter that does not compile stays in the bar');
  ui.unmount();
});

test("the packet view: a field tree with labels and values, a field's bytes lit, folding", async () => {
  const h = standard();
  const ui = render(<App source={h.source} />);
  await press(ui, '\r', 'g', '\r');
  let frame = ui.lastFrame()!;
  assert.match(frame, /FRAME 1: FIELDS/);
  assert.match(frame, /▾ Frame 1: \d+ bytes on wire/);
  assert.doesNotMatch(frame, /fromEsp|"type":/);
  // Down to the GRE key field: its 4 bytes lit where GRE puts them (after 14 + 20 + 4 bytes).
  for (let i = 0; i < 60 && !/4 bytes at 0x26 lit/.test(ui.lastFrame()!); i++) await press(ui, 'j');
  assert.match(ui.lastFrame()!, /Key: 0x0000002a/);
  frame = ui.lastFrame()!;
  assert.match(frame, /BYTES \(frame, \d+ bytes; 4 bytes at 0x26 lit\)/);
  assert.match(frame, /0020 {2}/);
  await press(ui, ' ');
  assert.match(ui.lastFrame()!, /▸ Generic Routing Encapsulation/);
  ui.unmount();
});

test(
  'a finding whole: what was seen, the advice, the tunnel; Enter lists ' +
    'its packets. Enter on a router lists its hellos',
  async () => {
    const h = standard();
    const ui = render(<App source={h.source} />);
    await press(ui, '\t', '\t', '\r');
    let frame = ui.lastFrame()!;
    assert.match(frame, /WHAT WAS SEEN/);
    assert.match(frame, /ADVICE/);
    assert.match(frame, /AFFECTED \(1\)/);
    await press(ui, '\r');
    assert.match(ui.lastFrame()!, /key 0x2a: 24 packets/);
    await press(ui, '\u001b', '\u001b', '\t', '\t');
    await press(ui, 'G', '\r');
    await until(ui, /OSPF hellos of router 1\.1\.1\.1 in gre 192\.0\.2\.1 ⇄ 198\.51\.100\.7: 24 packets/);
    frame = ui.lastFrame()!;
    assert.match(frame, /OSPF hellos of router 1\.1\.1\.1 in gre 192\.0\.2\.1 ⇄ 198\.51\.100\.7: 24 packets/);
    ui.unmount();
  },
);

/** A RIPv2 response from 10.9.0.1 announcing prefix/24, in GRE key 7 between 192.0.2.9 and 203.0.113.5. */
const ripInTunnel7 = (prefix: string) =>
  b.eth(
    b.ipv4(
      b.gre(
        b.ipv4(b.udp(b.ripResponse([{ prefix, mask: '255.255.255.0', metric: 1 }]), { srcPort: 520, dstPort: 520 }), {
          src: '10.9.0.1',
          dst: '224.0.0.9',
          proto: 17,
        }),
        { protocolType: 0x0800, key: 7 },
      ),
      { src: '192.0.2.9', dst: '203.0.113.5', proto: 47 },
    ),
    { type: 0x0800 },
  );

test("Enter on a multicast group lists its packets in its tunnel; on a RIP line, its tunnel's RIP", async () => {
  const h = standard();
  const rip = ripInTunnel7('10.9.9.0');
  h.feed(rip);
  const ui = render(<App source={h.source} />);
  // Tunnels, then the multicast and routing panel: 224.0.0.5 (tunnel 0x2a), 224.0.0.9 (tunnel 7), then routing.
  await press(ui, '\t', '\r');
  await until(ui, /key 0x2a, filter ip\.dst == 224\.0\.0\.5: 24 packets/);
  assert.match(ui.lastFrame()!, /key 0x2a, filter ip\.dst == 224\.0\.0\.5: 24 packets/);
  await press(ui, '\u001b', 'j', '\r');
  await until(ui, /key 0x7, filter ip\.dst == 224\.0\.0\.9: 1 packet /);
  assert.match(ui.lastFrame()!, /key 0x7, filter ip\.dst == 224\.0\.0\.9: 1 packet /);
  await press(ui, '\u001b');
  assert.match(ui.lastFrame()!, / {2}RIP v2 1 route via /);
  await press(ui, 'G', '\r');
  await until(ui, /key 0x7, filter rip: 1 packet /);
  assert.match(ui.lastFrame()!, /key 0x7, filter rip: 1 packet /);
  ui.unmount();
});

test("a route to the tunnel's own endpoint is a RECURSIVE line; Enter lists the tunnel's RIP", async () => {
  const h = standard();
  // 192.0.2.0/24 holds the tunnel's endpoint 192.0.2.9.
  const rip = ripInTunnel7('192.0.2.0');
  h.feed(rip);
  const ui = render(<App source={h.source} />);
  await until(ui, / {2}RECURSIVE 192\.0\.2\.0\/24 holds endpoint 192\.0\.2\.9, announced by RIP 10\.9\.0\.1/);
  assert.match(
    ui.lastFrame()!,
    / {2}RECURSIVE 192\.0\.2\.0\/24 holds endpoint 192\.0\.2\.9, announced by RIP 10\.9\.0\.1/,
  );
  // The routing panel's last two lines: this one, then the RIP line.
  await press(ui, '\t', 'G', 'k', '\r');
  await until(ui, /key 0x7, filter rip: 1 packet /);
  assert.match(ui.lastFrame()!, /key 0x7, filter rip: 1 packet /);
  ui.unmount();
});

test(
  'w writes the list under a name that says what it holds; an existing ' +
    'file is replaced only on y; links are not followed',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gredump-ui-w-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const h = standard();
      const ui = render(<App source={h.source} />);
      await press(ui, 'w');
      const name = 'gre_192.0.2.1-198.51.100.7_key0x2a.pcap';
      assert.match(ui.lastFrame()!, new RegExp(`wrote 24 packets to ${name.replace(/\./g, '\\.')}`));
      const size = readFileSync(name).length;
      assert.ok(size > 24 + 24 * 16);
      await press(ui, 'w');
      assert.match(ui.lastFrame()!, /exists: replace it\? y or n/);
      await press(ui, 'n');
      assert.match(ui.lastFrame()!, /nothing written/);
      await press(ui, 'w', 'y');
      assert.match(ui.lastFrame()!, /wrote 24 packets/);
      // A link planted under the name the next list would take: not followed, not replaced without asking.
      writeFileSync(join(dir, 'target'), 'keep');
      symlinkSync(join(dir, 'target'), 'gre_192.0.2.9-203.0.113.5_key0x7.pcap');
      await press(ui, 'j', 'j', 'w');
      assert.match(ui.lastFrame()!, /exists: replace it/);
      await press(ui, 'y');
      assert.equal(readFileSync(join(dir, 'target'), 'utf8'), 'keep', "the link's target is untouched");
      assert.ok(existsSync('gre_192.0.2.9-203.0.113.5_key0x7.pcap'));
      ui.unmount();
    } finally {
      process.chdir(cwd);
    }
  },
);

test('packet lines too long for the screen show the innermost layer first', () => {
  const parts = {
    frameNo: 7,
    time: '12:00:00.000000',
    segments: ['192.0.2.1 > 198.51.100.7: GRE key 0x2a proto IPv4', '10.0.0.1 > 224.0.0.5: OSPFv2 Hello'],
  };
  assert.equal(
    lineText(parts, 3, 200).trimEnd(),
    '  7 12:00:00.000000 192.0.2.1 > 198.51.100.7: GRE key 0x2a proto IPv4 | 10.0.0.1 > 224.0.0.5: OSPFv2 Hello',
  );
  const narrow = lineText(parts, 3, 60);
  assert.equal(narrow.length, 60);
  assert.match(narrow, /^ {2}7 10\.0\.0\.1 > 224\.0\.0\.5: OSPFv2 Hello ◂ 192\.0\.2\.1/);
  // One layer too long: the time goes first, so that IKE's exchange shows at 80 columns.
  const ike = {
    frameNo: 1,
    time: '05:09:04.881474',
    segments: [
      '198.18.0.1 > 198.18.0.2: UDP 500 > 500 length 464 IKEv2 IKE_SA_INIT initiator msgid 0 spi c9b7e2de2333c9bc',
    ],
  };
  assert.match(
    lineText(ike, 3, 80),
    /^ {2}1 198\.18\.0\.1 > 198\.18\.0\.2: UDP 500 > 500 length 464 IKEv2 IKE_SA_INIT initiat…$/,
  );
  assert.equal(lineText(ike, 3, 200).trimEnd(), `  1 05:09:04.881474 ${ike.segments[0]}`);
});

test(
  '200,000 tunnel rows and multicast groups are laid out (no spread of ' +
    'them as arguments, which overflows the stack)',
  () => {
    const h = standard();
    const rows = rowsOf(h.store.getSnapshot(), 'packets', null);
    const many = Array.from({ length: 200_000 }, (_, i) => cellsOf(rows[i % rows.length]!));
    assert.ok(layout(many, 100).get('endpoints')! > 0);
    const groups = Array.from({ length: 200_000 }, (_, i) => ({
      tunnelId: 1,
      group: `239.0.${(i >> 8) & 255}.${i & 255}`,
      protocol: 'udp',
      tunnel: 'gre',
      packets: 1,
      lastSeen: 0,
    }));
    assert.equal(multicastLines(groups, [], 0).length, 200_000);
  },
);

test(
  'tunnel table at 60, 80 and 200 columns: no line wider than the screen, ' +
    'columns apart, addresses whole before RATE and INNER, spare width to INNER and KEY/SPI',
  () => {
    const h = standard();
    h.feed(
      b.eth(
        b.ipv6(
          b.gre(b.ipv4(b.icmpEcho({ request: true, id: 1, seq: 1 }), { src: '10.7.0.1', dst: '10.7.0.2', proto: 1 }), {
            protocolType: 0x0800,
            key: 0x12345678,
          }),
          { src: '2001:db8:1234:5678::1', dst: '2001:db8:abcd:ef01::2', nextHeader: 47 },
        ),
        { type: 0x86dd },
      ),
    );
    const rows = rowsOf(h.store.getSnapshot(), 'packets', null);
    // ink-testing-library draws 100 columns: 80 is drawn, 200 is checked on the layout (and drawn under tmux in
    // tui.test).
    const width = 80;
    const table = (columns: number, height: number) =>
      render(
        <TunnelsView
          rows={rows}
          selected={0}
          width={columns}
          height={height}
          focused
          sort="packets"
          filter=""
          filterState=""
          all={32}
        />,
      ).lastFrame()!;
    const frame = table(width, 10);
    const lines = frame.split('\n');
    for (const line of lines) assert.ok(line.length <= width, `wider than ${width}: ${line}`);
    const gre = lines.find((l) => l.includes('0x2a'))!;
    assert.match(gre, /0x2a\s+24(\s|$)/, `packets apart from the key: ${gre}`);
    // RATE and INNER leave before an address is cut (README).
    assert.match(frame, /2001:db8:1234:5678::1 ⇄ 2001:db8:abcd:ef01::2/, 'addresses whole at 80 columns');
    assert.doesNotMatch(frame, /RATE/);
    // Without the IPv6 pair, the same 80 columns hold RATE and INNER; at 60, the IPv6 pair is cut in its middle.
    const v4 = layout(rows.filter((r) => !r.endpoints[0].includes(':')).map(cellsOf), width);
    assert.ok(v4.has('rate') && v4.has('inner'), 'RATE and INNER at 80 columns beside IPv4 pairs');
    const narrow = table(60, 14);
    for (const line of narrow.split('\n')) assert.ok(line.length <= 60, `wider than 60: ${line}`);
    assert.match(narrow, /2001:\S*…\S*::1 ⇄ 2001:\S*…\S*::2/, 'IPv6 addresses cut in their middle: start and end kept');
    const wide = layout(rows.map(cellsOf), 200);
    assert.ok(wide.get('endpoints')! >= '2001:db8:1234:5678::1 ⇄ 2001:db8:abcd:ef01::2'.length);
    assert.ok(wide.get('inner')! >= 'ipv4,ospf'.length);
    assert.ok(wide.get('key')! >= '0x00001001'.length);
    assert.ok(wide.has('spark'));
    assert.ok([...wide.values()].reduce((a, b) => a + b + 1, 1) <= 200);
    // A pair with many SPIs (rekeyed often): its list is cut, to its first SPI at least, before an address is.
    const spis = Array.from({ length: 8 }, (_, i) => `0x${(0xc0010001 + i).toString(16)}`).join(',');
    const esp = cellsOf({ ...rows[0]!, kind: 'esp', endpoints: ['109.237.187.193', '192.168.2.100'], key: spis });
    const at80 = layout([esp], 80);
    assert.ok(at80.get('endpoints')! >= esp.endpoints.length, 'addresses whole at 80 columns');
    assert.ok(at80.get('key')! > '0xc0010001…'.length && at80.get('key')! < spis.length, 'SPIs cut at 80 columns');
    // At 60 the addresses must give too, once the list is down to one SPI and its ellipsis.
    const at60 = layout([esp], 60);
    assert.equal(at60.get('key'), '0xc0010001…'.length);
    assert.ok(at60.get('endpoints')! < esp.endpoints.length);
    for (const [w, columns] of [
      [at80, 80],
      [at60, 60],
    ] as const)
      assert.ok([...w.values()].reduce((a, b) => a + b + 1, 1) <= columns);
  },
);
