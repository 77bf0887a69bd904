import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import * as b from './support/builder.js';
import { Engine } from '../src/dissect/engine.js';
import { buildReport } from '../src/audit/report.js';
import { evaluate } from '../src/audit/rules.js';
import { TunnelTable } from '../src/tunnels/table.js';
import type { DmvpnCloud } from '../src/tunnels/dmvpn.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS, ROOT } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';
import { uiSnapshot } from './support/ui-snapshot.js';

/**
 * The DMVPN findings on fixtures/dmvpn.pcap (three clouds made by
 * scripts/make-dmvpn-fixtures.py, described there and in fixtures/README.md;
 * its DMVPN view is checked exactly in audit.test.ts), each finding both
 * where it holds and where the look-alike must not raise it, the text
 * section, the view's NHRP pairings against tshark's fields, and the merge of
 * tables from threads at every seam.
 */
const FIXTURE = join(FIXTURES, 'dmvpn.pcap');
const T0 = 1767225600;

interface Report {
  dmvpn?: DmvpnCloud[];
  findings: { id: string; message: string; subject?: string }[];
  tunnels: { id: number }[];
}

function audit(path: string): Report {
  const r = spawnSync(process.execPath, [BIN, 'audit', path, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

test('DMVPN findings are raised where they hold and not in the look-alike case', () => {
  const r = audit(FIXTURE);
  const about = (id: string) => r.findings.filter((f) => f.id === id).map((f) => f.message);
  // Cleartext clouds 100 and 200; not the cloud inside ESP (integrity-only, raised as esp-null instead).
  assert.deepEqual(about('dmvpn-cleartext'), [
    'DMVPN key 0x64 (hub 192.0.2.1): GRE and NHRP in clear between 6 routers (7 tunnels)',
    'DMVPN key 0xc8 (hub 192.0.2.2): GRE and NHRP in clear between 2 ' +
      'routers (1 tunnel); the NHRP authentication password is readable in 2 packets',
  ]);
  assert.ok(
    !JSON.stringify(r).includes('dmvpnkey') && !JSON.stringify(r).includes(Buffer.from('dmvpnkey').toString('hex')),
    'the password itself is never printed',
  );
  assert.deepEqual(about('esp-null').length, 1);
  // The pairs of a cleartext cloud are said once, as the cloud.
  assert.deepEqual(about('cleartext-tunnel'), []);
  // NHRP without authentication: cloud 100; not cloud 200 (authentication extension) nor cloud 3 (IPsec).
  assert.deepEqual(about('nhrp-no-authentication'), [
    'DMVPN key 0x64: 21 of 21 NHRP packets without an authentication extension, in a cleartext cloud',
  ]);
  // Refused: D (code 14) only; A, B, C, F, G were accepted.
  assert.deepEqual(about('nhrp-registration-refused'), [
    'DMVPN key 0x64: hub 192.0.2.1 refused spoke 172.16.1.40 at 203.0.113.40: code 14 (already registered)',
  ]);
  // Unanswered: E only.
  assert.deepEqual(about('nhrp-registration-unanswered'), [
    'DMVPN key 0x64: spoke 172.16.1.50 at 203.0.113.50 sent 3 registration requests, none answered',
  ]);
  // Resolution 4 only: 2 and 3 were answered, 8 drew an Error Indication.
  assert.deepEqual(about('nhrp-resolution-unanswered'), [
    'DMVPN key 0x64: 172.16.1.20 at 198.51.100.20 asked for 172.16.1.99 (request 4), no reply',
  ]);
  assert.deepEqual(about('nhrp-error-indication'), [
    'DMVPN key 0x64: 192.0.2.1 sent 172.16.1.40 an Error Indication, code ' +
      '6 (protocol address unreachable) about its Resolution Request id 8',
  ]);
  // Behind NAT: C in plain GRE; not G, whose GRE travels in ESP in UDP 4500.
  assert.deepEqual(about('dmvpn-nat-without-natt'), [
    'DMVPN key 0x64: spoke 172.16.1.30 at 198.51.100.30 is seen as 203.0.113.7 (behind NAT), its GRE not in UDP 4500',
  ]);
  // Through the hub without a shortcut: B to C; not A to C (the redirect brought a shortcut).
  assert.deepEqual(about('dmvpn-via-hub'), [
    'DMVPN key 0x64: 172.16.1.20 to 172.16.1.30 through hub 192.0.2.1 (2 packets, 10.20.0.5 > 10.30.0.5), no shortcut',
  ]);
});

test('nhrp-registration-unanswered: not from a capture that holds no packet the hub sent (one way only)', () => {
  const oneWay = join(mkdtempSync(join(tmpdir(), 'gredump-dmvpn-')), 'one-way.pcap');
  const w = spawnSync(process.execPath, [BIN, '-r', FIXTURE, '-Y', 'ip.src#1 != 192.0.2.1', '-w', oneWay]);
  assert.equal(w.status, 0, w.stderr?.toString());
  const r = audit(oneWay);
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'nhrp-registration-unanswered'),
    [],
  );
  // Both ways (the fixture itself), spoke E is unanswered.
  assert.equal(audit(FIXTURE).findings.filter((f) => f.id === 'nhrp-registration-unanswered').length, 1);
});

test('dmvpn-via-hub: unicast between spokes through the hub; not multicast the hub replicates', () => {
  const r = audit(join(FIXTURES, 'dmvpn-multicast.pcap'));
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'dmvpn-via-hub').map((f) => f.message),
    [
      'DMVPN key 0x1f4: 172.16.5.101 to 172.16.5.102 through hub 192.0.2.5 (1 packet, 10.101.0.5 > 10.102.0.5), ' +
        'no shortcut',
    ],
  );
});

test('captures without NHRP have no dmvpn member (the audit JSON is unchanged for them)', () => {
  assert.equal('dmvpn' in audit(join(FIXTURES, 'gre-ospf-cleartext.pcap')), false);
});

test('the DMVPN section of the text report', () => {
  const r = spawnSync(process.execPath, [BIN, 'audit', FIXTURE], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines = r.stdout.split('\n');
  for (const want of [
    'DMVPN (3 clouds)',
    'cloud key 0x64: hub 192.0.2.1 (tunnel 172.16.1.1), 5 spokes, one ' +
      'multipoint tunnel over 7 GRE pairs (tunnel 1, 2, 3, 4, 5, 6, 7)',
    '      spoke 172.16.1.30 at 198.51.100.30 behind NAT 203.0.113.7: registered with 192.0.2.1, hold 7200s',
    '      spoke 172.16.1.40 at 203.0.113.40: REFUSED by 192.0.2.1: code 14 (already registered)',
    '      resolution 3: 172.16.1.10 at 198.51.100.10 asked for 10.30.0.5 ' +
      'via 192.0.2.1: 10.30.0.5/24 is at 198.51.100.30 (172.16.1.30), ' +
      'answered by 203.0.113.7 in 9 ms',
    '      redirect: hub 192.0.2.1 told 10.10.0.5 at 198.51.100.10 about ' +
      '10.10.0.5 > 10.30.0.5: resolution 3, shortcut up',
    '      through hub 192.0.2.1: 172.16.1.20 -> 172.16.1.30, 2 packets (10.20.0.5 > 10.30.0.5), no shortcut',
  ])
    assert.ok(
      lines.some((l) => l.endsWith(want)),
      `no line ending: ${want}`,
    );
});

/**
 * The table after every frame of `path` (when `cut` is given, the frames from `cut` on go to a second table, merged as
 * a worker's is).
 */
function table(path: string, cut = -1): TunnelTable {
  const first = new TunnelTable();
  let current = first;
  const later = new TunnelTable();
  const engine = new Engine();
  const source = openCapture(path);
  let n = 0;
  try {
    while (source.next()) {
      if (n++ === cut) current = later;
      current.observe(engine.dissect(source.frame));
    }
  } finally {
    source.close();
  }
  if (cut >= 0) first.absorb(structuredClone(later));
  return first;
}

test('tables merged from threads give the same DMVPN view and findings, at every seam', () => {
  const whole = table(FIXTURE);
  const want = JSON.stringify([buildReport(whole, []).dmvpn, evaluate(whole)]);
  for (let cut = 1; cut < 35; cut++) {
    const merged = table(FIXTURE, cut);
    assert.equal(
      JSON.stringify([buildReport(merged, []).dmvpn, evaluate(merged)]),
      want,
      `cut before frame ${cut + 1}`,
    );
  }
});

/**
 * Registration and resolution requests and replies, by (type, source protocol address, request ID) with the reply's
 * code, from tshark.
 */
function tsharkPairs(path: string): string[] {
  const out = execFileSync(
    'tshark',
    [
      '-n',
      '-r',
      path,
      '-o',
      'esp.enable_null_encryption_decode_heuristic:TRUE',
      '-Y',
      'nhrp.hdr.op.type <= 4',
      '-T',
      'fields',
      '-E',
      'occurrence=f',
      '-e',
      'nhrp.hdr.op.type',
      '-e',
      'nhrp.src.prot.addr',
      '-e',
      'nhrp.reqid',
      '-e',
      'nhrp.code',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [type, src, id, code] = l.split('\t');
      return `${type} ${src} ${Number(id)}${type === '2' || type === '4' ? ` code ${code}` : ''}`;
    })
    .sort();
}

/** The same, as the DMVPN view saw them: each request (once, not its forwarded copies) and each reply. */
function ourPairs(c: DmvpnCloud[]): { requests: string[]; replies: string[] } {
  const requests: string[] = [];
  const replies: string[] = [];
  for (const cloud of c) {
    for (const sp of cloud.spokes) {
      if (sp.registration.state === 'accepted' || sp.registration.state === 'refused')
        replies.push(`4 ${sp.tunnel} code ${sp.registration.code}`);
    }
    for (const r of cloud.resolutions) {
      requests.push(`1 ${r.from} ${r.id}`);
      if (r.answer) replies.push(`2 ${r.from} ${r.id} code ${r.answer.code}`);
    }
  }
  return { requests, replies };
}

test('the DMVPN view pairs what tshark shows: every resolution and its ' +
  'reply, the last registration reply of each spoke', {
  skip: tsharkAvailable() ? false : 'tshark is not installed',
}, () => {
  if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: comparing the fixture only`);
  const paths = [
    FIXTURE,
    ...(HAVE_CORPUS
      ? ['nhrp-trace.pcap', 'NHRP_registration.pcap', 'NHRP-responder-address.pcap', 'nhrp.pcapng'].map((f) =>
          join(CORPUS, 'tcpdump', f),
        )
      : []),
  ];
  for (const path of paths) {
    const theirs = tsharkPairs(path);
    const ours = ourPairs(audit(path).dmvpn ?? []);
    for (const x of ours.requests) assert.ok(theirs.includes(x), `${path}: ${x} not in tshark's ${theirs.join('; ')}`);
    for (const x of ours.replies) {
      const [type, src, ...rest] = x.split(' ');
      const match =
        type === '4'
          ? theirs.some((t) => t.startsWith(`4 ${src} `) && t.endsWith(rest.slice(-2).join(' ')))
          : theirs.includes(x);
      assert.ok(match, `${path}: ${x} not in tshark's ${theirs.join('; ')}`);
    }
    // Every resolution request tshark shows is in the view (forwarded copies share their request's ID).
    const resolutions = new Set(theirs.filter((t) => t.startsWith('1 ')));
    assert.deepEqual([...new Set(ours.requests)].sort(), [...resolutions].sort(), path);
  }
});

/** A capture of dmvpn.pcap's frames `frames` (1-based) at the times `at` (seconds after T0). */
function replay(name: string, frames: number[], at: number[]): string {
  const src = openCapture(FIXTURE);
  const bytes: Uint8Array[] = [];
  while (src.next()) bytes.push(src.frame.data.slice(src.frame.off, src.frame.off + src.frame.caplen));
  src.close();
  const path = join(mkdtempSync(join(tmpdir(), 'gredump-dmvpn-')), name);
  const w = new PcapWriter(path);
  frames.forEach((f, i) => w.write(T0 + Math.floor(at[i]!), Math.round((at[i]! % 1) * 1e9), bytes[f - 1]!));
  w.close();
  return path;
}

test(
  'a registration retransmitted (same request ID) before the hub ' +
    'answered is unanswered, even if the hub answers in the end',
  () => {
    // Frame 1: spoke A's Registration Request id 1; frame 2: the hub's reply.
    const late = audit(replay('late.pcap', [1, 1, 1, 2], [0, 5, 15, 15.002]));
    const a = late.dmvpn![0]!.spokes[0]!;
    assert.deepEqual(
      [a.registration.state, a.registration.requests, a.registration.replies, a.registration.unanswered],
      ['accepted', 3, 1, 2],
    );
    assert.deepEqual(
      late.findings.filter((f) => f.id === 'nhrp-registration-unanswered').map((f) => f.message),
      [
        'DMVPN key 0x64: spoke 172.16.1.10 at 198.51.100.10 sent 3 ' +
          'registration requests, 2 of them unanswered (registered with ' +
          '192.0.2.1 in the end)',
      ],
    );
    // The look-alike: each request answered (a refresh with the same ID after the reply), and a copy of one captured
    // twice.
    const fine = audit(replay('fine.pcap', [1, 1, 2, 1, 2], [0, 0.0001, 0.002, 60, 60.002]));
    assert.equal(fine.dmvpn![0]!.spokes[0]!.registration.unanswered, 0);
    assert.deepEqual(
      fine.findings.filter((f) => f.id === 'nhrp-registration-unanswered'),
      [],
    );
  },
);

test('NHRP straight over IP (protocol 54) is decoded but makes no DMVPN cloud and no DMVPN finding', () => {
  // The first registration request of the fixture, taken out of its GRE header (Ethernet 14, IPv4 20, GRE with key 8).
  const src = openCapture(FIXTURE);
  src.next();
  const nhrpBytes = src.frame.data.slice(src.frame.off + 42, src.frame.off + src.frame.caplen);
  src.close();
  const path = join(mkdtempSync(join(tmpdir(), 'gredump-narp-')), 'narp.pcap');
  const w = new PcapWriter(path);
  w.write(T0, 0, b.eth(b.ipv4(nhrpBytes, { src: '198.51.100.10', dst: '192.0.2.1', proto: 54 }), { type: 0x0800 }));
  w.close();
  const line = spawnSync(process.execPath, [BIN, '-r', path], { encoding: 'utf8' }).stdout;
  assert.match(
    line,
    new RegExp(
      String.raw`198\.51\.100\.10 > 192\.0\.2\.1: NHRP Registration Request id 1 ` +
        String.raw`172\.16\.1\.10 at 198\.51\.100\.10 -> NHS 172\.16\.1\.1 length 68$`,
      'm',
    ),
  );
  const r = audit(path);
  assert.equal(r.dmvpn, undefined);
  assert.deepEqual(
    r.findings.filter((f) => f.id.startsWith('dmvpn') || f.id.startsWith('nhrp')),
    [],
  );
});

test('the audit across worker threads, the capture cut into small parts, prints the one-thread DMVPN report', () => {
  const driver = join(mkdtempSync(join(tmpdir(), 'gredump-dmvpn-driver-')), 'audit.mjs');
  writeFileSync(
    driver,
    `
    const { runAudit } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/audit.js'))});
    const { parseCli } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/args.js'))});
    const [plan, ...files] = process.argv.slice(2);
    const say = (m) => process.stderr.write(m + '\\n');
    process.exitCode = await runAudit(parseCli(['audit', ...files, '--json']), say, JSON.parse(plan));
  `,
  );
  const one = spawnSync(process.execPath, [BIN, 'audit', FIXTURE, '--json'], { encoding: 'utf8' }).stdout;
  assert.ok(one.includes('"dmvpn"'));
  for (const partBytes of [300, 700, 1500]) {
    const many = spawnSync(
      process.execPath,
      [driver, JSON.stringify({ workers: 2, minBytes: 0, partBytes }), FIXTURE],
      { encoding: 'utf8' },
    );
    assert.equal(many.status, 0, many.stderr);
    assert.equal(many.stdout, one, `parts of ${partBytes} bytes`);
  }
});

test(
  'the UI lists each DMVPN cloud in its routing panel, Enter on a line ' +
    'opens one of its tunnels, and its pairs are mgre',
  () => {
    const { table, snapshot } = uiSnapshot(FIXTURE);
    const rows = snapshot.routing;
    const cloud = rows.find((r) => r.text.includes('cloud key 0x64: hub 192.0.2.1'));
    assert.ok(cloud, rows.map((r) => r.text).join('\n'));
    assert.ok([...table.tunnels.values()].some((t) => t.id === cloud.tunnelId));
    assert.ok(
      rows.some((r) => /spoke 172\.16\.1\.40 at 203\.0\.113\.40: REFUSED by 192\.0\.2\.1: code 14/.test(r.text)),
    );
    assert.ok(rows.every((r) => r.dmvpn));
    // Every GRE pair of the three clouds is a pair of a multipoint tunnel.
    assert.deepEqual([...new Set(snapshot.tunnels.map((t) => t.kind))], ['mgre']);
    // The look-alike: point-to-point GRE with OSPF inside stays gre, its routing lines are not DMVPN's.
    const p2p = uiSnapshot(join(FIXTURES, 'gre-ospf-cleartext.pcap')).snapshot;
    assert.deepEqual(
      p2p.tunnels.map((t) => t.kind),
      ['gre'],
    );
    assert.ok(p2p.routing.length > 0 && p2p.routing.every((r) => !r.dmvpn));
  },
);

test("the text report's tunnels name their DMVPN cloud; a point-to-point tunnel names none", () => {
  const text = (f: string) =>
    spawnSync(process.execPath, [BIN, 'audit', f], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout;
  const lines = text(FIXTURE).split('\n');
  assert.ok(lines.includes('  CLEARTEXT      gre 192.0.2.1 <-> 198.51.100.10 key 0x64 (multipoint, DMVPN key 0x64)'));
  assert.ok(lines.includes('  CLEARTEXT      gre 198.51.100.10 <-> 203.0.113.7 key 0x64 (multipoint, DMVPN key 0x64)'));
  assert.ok(lines.includes('  INTEGRITY-ONLY gre 192.0.2.3 <-> 203.0.113.70 (multipoint, DMVPN hub 192.0.2.3)'));
  assert.match(
    text(join(FIXTURES, 'gre-ospf-cleartext.pcap')),
    /\n {2}CLEARTEXT {6}gre 192\.0\.2\.1 <-> 198\.51\.100\.7 key 0x2a \(point-to-point\)\n/,
  );
});
