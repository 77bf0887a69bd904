import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { Engine } from '../src/dissect/engine.js';
import { Values } from '../src/dissect/field.js';
import { lookupField, protocolCatalogue, readField } from '../src/dissect/field-index.js';
import fc from 'fast-check';
import { fieldDisplayText, fieldValueText } from '../src/output/field-format.js';
import { buildReport } from '../src/audit/report.js';
import { reportText } from '../src/audit/report-text.js';
import { evaluate } from '../src/audit/rules.js';
import { TunnelTable } from '../src/tunnels/table.js';
import * as b from './support/builder.js';
import { checkPacket, mutation, type Sample } from './support/fuzz.js';
import { frameOf } from './support/frames.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * Every declared nhrp.* field, frame by frame, against tshark -T fields
 * (every occurrence, quoted NHRP included) on the DMVPN fixture and the
 * corpus captures that hold NHRP.
 */
const OURS = join(FIXTURES, 'dmvpn.pcap');
const CORPUS_NHRP = [
  'NHRP-responder-address.pcap',
  'NHRP_registration.pcap',
  'ios_nhrp.pcap',
  'nhrp-trace.pcap',
  'nhrp.pcapng',
  'pb_nhrp_1.pcap',
].map((f) => join(CORPUS, 'tcpdump', f));
const nhrpFields = () =>
  protocolCatalogue()
    .get('nhrp')!
    .fields.filter((f) => f.name !== 'nhrp');

function ours(path: string, names: string[]): string[][] {
  const engine = new Engine();
  const source = openCapture(path);
  const entries = names.map((n) => lookupField(n)!);
  const v = new Values();
  const rows: string[][] = [];
  try {
    while (source.next()) {
      const ctx = engine.dissect(source.frame);
      rows.push(
        entries.map((e) => {
          readField(e, ctx, v);
          const out: string[] = [];
          for (let i = 0; i < v.n; i++) out.push(fieldValueText(e.field, v, i));
          return out.join(',');
        }),
      );
    }
  } finally {
    source.close();
  }
  return rows;
}

function theirs(path: string, names: string[]): string[][] {
  const args = [
    '-n',
    '-r',
    path,
    '-o',
    'esp.enable_null_encryption_decode_heuristic:TRUE',
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'separator=\t',
    '-E',
    'aggregator=,',
  ];
  for (const n of names) args.push('-e', n);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out
    .split('\n')
    .slice(0, -1)
    .map((line) => line.split('\t'));
}

function compare(path: string): string[] {
  const names = nhrpFields().map((f) => f.name);
  const a = theirs(path, names);
  const b = ours(path, names);
  const problems: string[] = [];
  if (a.length !== b.length) problems.push(`frames: tshark ${a.length}, ours ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    names.forEach((n, j) => {
      if (a[i]![j] !== b[i]![j]) problems.push(`frame ${i + 1} ${n}: tshark "${a[i]![j]}", ours "${b[i]![j]}"`);
    });
  }
  return problems;
}

const noTshark = tsharkAvailable() ? false : 'tshark is not installed';

test('nhrp.* fields are declared as tshark declares them (type, base, mask)', { skip: noTshark }, () => {
  const g = execFileSync('tshark', ['-G', 'fields'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 512 * 1024 * 1024,
  });
  const declared = new Map<string, string[]>();
  for (const line of g.split('\n')) {
    const c = line.split('\t');
    if (c[0] === 'F' && c[4] === 'nhrp') declared.set(c[2]!, c);
  }
  const TYPES: Record<string, string[]> = {
    uint: ['FT_UINT8', 'FT_UINT16', 'FT_UINT24', 'FT_UINT32'],
    bool: ['FT_BOOLEAN'],
    ipv4: ['FT_IPv4'],
    bytes: ['FT_BYTES'],
    protocol: ['FT_PROTOCOL'],
  };
  const BASES: Record<string, string> = {
    dec: 'BASE_DEC',
    hex: 'BASE_HEX',
    hex_dec: 'BASE_HEX_DEC',
    none: 'BASE_NONE',
  };
  for (const f of nhrpFields()) {
    const c = declared.get(f.name);
    assert.ok(c, `${f.name} is not a tshark field`);
    assert.ok(TYPES[f.type]!.includes(c[3]!), `${f.name}: ${f.type} vs ${c[3]}`);
    if (f.type === 'uint') {
      assert.equal(c[3], `FT_UINT${f.bits}`, f.name);
      assert.equal(c[5], BASES[f.base], f.name);
    }
    if (f.type === 'bool') assert.equal(c[5], String(f.bits), f.name);
    assert.equal(Number(c[6]), f.mask, `${f.name} mask`);
  }
});

test('nhrp.* fields read as tshark reads them: the DMVPN fixtures', { skip: noTshark }, () => {
  assert.deepEqual(compare(OURS), []);
  assert.deepEqual(compare(join(FIXTURES, 'dmvpn-phase1.pcap')), []);
});

test('nhrp.* fields read as tshark reads them: corpus captures with NHRP', {
  skip: noTshark || (HAVE_CORPUS ? false : NO_CORPUS),
}, () => {
  for (const path of CORPUS_NHRP) assert.deepEqual(compare(path), [], path);
});

test('NHRP text lines say who registered, resolved and redirected whom', () => {
  const r = spawnSync(process.execPath, [BIN, '-r', OURS], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const has = (s: string) =>
    assert.ok(
      lines.some((l) => l.includes(s)),
      `no line with: ${s}`,
    );
  has('NHRP Registration Request id 1 172.16.1.10 at 198.51.100.10 -> NHS 172.16.1.1');
  has('NHRP Registration Reply id 1 172.16.1.10 at 198.51.100.10 (success, hold 7200s)');
  has('NHRP Registration Reply id 7 172.16.1.40 at 203.0.113.40 (already registered)');
  has('NHRP Resolution Request id 2 172.16.1.10 at 198.51.100.10 asks for 172.16.1.20');
  has('NHRP Resolution Reply id 2 172.16.1.20 is at 198.51.100.20 (success)');
  has('NHRP Resolution Reply id 3 10.30.0.5/24 is at 198.51.100.30 via 172.16.1.30 (success)');
  has(
    'NHRP Traffic Indication from 172.16.1.1 at 192.0.2.1 to 10.10.0.5 ' +
      '[quoted: 10.10.0.5 > 10.30.0.5: ICMP echo request id 77 seq 2]',
  );
  has(
    'NHRP Error Indication protocol address unreachable from 172.16.1.1 ' +
      'at 192.0.2.1 to 172.16.1.40 [quoted: NHRP Resolution Request id 8 ' +
      '172.16.1.40 at 203.0.113.40 asks for 172.16.1.20]',
  );
});

test('an NHRP address of another length is its bytes in hex after one 0x (a hostile length)', () => {
  // Fixed header (AFN IPv4, protocol IPv4, hop count, packet length, checksum, extension offset, version 1, type 3
  // Registration Request, source NBMA length 4), then the mandatory part: protocol lengths 4 and 9.
  const fixed = Uint8Array.from([0, 1, 8, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 1, 3, 4, 0]);
  const mandatory = Uint8Array.from([4, 9, 0, 0, 0, 0, 0, 1, ...[198, 51, 100, 9], ...[172, 16, 1, 9]]);
  const nhs = Uint8Array.from([172, 16, 0, 1, 0, 0x20, 0, 0, 5]);
  const nhrp = b.concat(fixed, mandatory, nhs);
  new DataView(nhrp.buffer).setUint16(10, nhrp.length);
  const frame = b.eth(
    b.ipv4(b.gre(nhrp, { protocolType: 0x2001 }), { src: '198.51.100.9', dst: '192.0.2.1', proto: 47 }),
    { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 },
  );
  const dir = mkdtempSync(join(tmpdir(), 'gredump-nhrp-'));
  try {
    const file = join(dir, 'odd.pcap');
    const w = new PcapWriter(file);
    w.write(1767225600, 0, frame);
    w.close();
    const r = spawnSync(process.execPath, [BIN, '-r', file], { encoding: 'utf8' });
    assert.match(r.stdout, /172\.16\.1\.9 at 198\.51\.100\.9 -> NHS 0xac1000010020000005 /, r.stdout);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('NHRP JSON: the fixed header at RFC 2332 offsets, the mandatory part, CIEs and extensions', () => {
  const r = spawnSync(process.execPath, [BIN, '-r', OURS, '--json', '-c', '6'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const nhrp = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { layers: Record<string, unknown>[] }).layers.find((x) => x.protocol === 'nhrp')!);
  assert.deepEqual(nhrp[5], {
    protocol: 'nhrp',
    afn: 1,
    protocolType: 0x0800,
    hopCount: 255,
    length: 92,
    version: 1,
    type: 4,
    checksum: nhrp[5]!.checksum,
    extensionOffset: 52,
    requestId: 1,
    flags: 2,
    srcNbma: '198.51.100.30',
    srcProto: '172.16.1.30',
    dstProto: '172.16.1.1',
    cies: [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 7200 }],
    extensions: [
      { type: 3, compulsory: true, length: 0, cies: [] },
      { type: 4, compulsory: true, length: 0, cies: [] },
      { type: 5, compulsory: true, length: 0, cies: [] },
      {
        type: 9,
        compulsory: false,
        length: 20,
        cies: [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 0, nbma: '203.0.113.7', proto: '172.16.1.30' }],
      },
      { type: 0, compulsory: true, length: 0 },
    ],
  });
});

test('gredump -T fields -e nhrp.* and -Y on NHRP fields print what tshark prints', { skip: noTshark }, () => {
  const names = nhrpFields().map((f) => f.name);
  const e = names.flatMap((n) => ['-e', n]);
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tsharkArgs = ['-n', '-r', OURS, '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
  assert.equal(
    run(process.execPath, [BIN, '-r', OURS, '-T', 'fields', '-E', 'occurrence=a', ...e]),
    run('tshark', [...tsharkArgs, '-T', 'fields', '-E', 'occurrence=a', ...e]),
  );
  for (const filter of [
    'nhrp.code == 14',
    'nhrp.hdr.op.type == 8',
    'nhrp.src.nbma.addr == 198.51.100.30',
    'nhrp.reqid == 3',
    'nhrp.flag.u',
    'nhrp.err.code == 6',
    'nhrp.client.nbma.addr == 203.0.113.7',
    'nhrp.auth_ext.spi == 1',
  ]) {
    const frames = ['-Y', filter, '-T', 'fields', '-e', 'frame.number'];
    assert.equal(
      run(process.execPath, [BIN, '-r', OURS, ...frames]),
      run('tshark', [...tsharkArgs, ...frames]),
      filter,
    );
  }
});

test('mutated NHRP packets never break dissection, field reading, output or the DMVPN audit', {
  timeout: 60_000,
}, () => {
  const pool: Sample[] = [];
  const src = openCapture(OURS);
  while (src.next())
    pool.push({
      linktype: src.frame.linktype,
      bytes: src.frame.data.slice(src.frame.off, src.frame.off + src.frame.caplen),
    });
  src.close();
  const engine = new Engine();
  const table = new TunnelTable();
  const entries = nhrpFields().map((field) => lookupField(field.name)!);
  const v = new Values();
  fc.assert(
    fc.property(mutation(pool), (m) => {
      checkPacket(engine, table, m.bytes, m.linktype, m.len);
      const ctx = engine.dissect(frameOf(m.bytes, m.linktype, m.len));
      for (const e of entries) {
        readField(e, ctx, v);
        for (let i = 0; i < v.n; i++) fieldDisplayText(e.field, v, i);
      }
    }),
    { numRuns: 3000 },
  );
  const report = buildReport(table, evaluate(table));
  reportText(report, { palette: null, files: ['fuzz'] });
});

test(
  "-V shows each CIE's and each extension's fields together, in the " +
    "order of their bytes (as tshark -V's subtrees)",
  () => {
    // Frame 22: C's Resolution Reply (CIE /24), then the responder address (C), forward transit (the hub), reverse
    // transit (empty) and NAT (C outside) extensions.
    const r = spawnSync(process.execPath, [BIN, '-r', OURS, '-V', '-Y', 'frame.number == 22'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const nhrp = r.stdout.slice(r.stdout.indexOf('NBMA Next Hop Resolution Protocol'));
    const picked = nhrp
      .split('\n')
      .map((l) => l.trim())
      .filter((l) =>
        /^(Prefix Length|Holding Time \(s\)|Client NBMA Address|Client Protocol Address):|Extension Type:/.test(l),
      )
      .map((l) => l.replace(/^[.0-9 ]+= /, ''));
    assert.deepEqual(picked, [
      'Prefix Length: 24',
      'Holding Time (s): 7200',
      'Client NBMA Address: 198.51.100.30',
      'Client Protocol Address: 172.16.1.30',
      'Extension Type: 0x0003',
      'Prefix Length: 32',
      'Holding Time (s): 7200',
      'Client NBMA Address: 198.51.100.30',
      'Client Protocol Address: 172.16.1.30',
      'Extension Type: 0x0004',
      'Prefix Length: 0',
      'Holding Time (s): 7200',
      'Client NBMA Address: 192.0.2.1',
      'Client Protocol Address: 172.16.1.1',
      'Extension Type: 0x0005',
      'Extension Type: 0x0009',
      'Prefix Length: 32',
      'Holding Time (s): 0',
      'Client NBMA Address: 203.0.113.7',
      'Client Protocol Address: 172.16.1.30',
      'Extension Type: 0x0000',
    ]);
  },
);
