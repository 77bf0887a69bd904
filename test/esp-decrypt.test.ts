import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS, type EngineOptions } from '../src/dissect/state.js';
import { walkDetail } from '../src/output/packet-detail.js';
import { SaDatabase } from '../src/ipsec/sa-database.js';
import { parseEspSa, parseTcpdumpSecrets, readKeyFile, SaFileError, type SaEntry } from '../src/ipsec/sa-file.js';
import * as b from './support/builder.js';
import { BIN, FIXTURES } from './support/paths.js';
import { diff, ourFields, tsharkAvailable, tsharkFields } from './support/tshark.js';

const SCAPY = join(FIXTURES, 'esp-scapy.pcap');
const KEYS = join(FIXTURES, 'esp-scapy.esp_sa');
const WRONG = join(FIXTURES, 'esp-scapy-wrong-keys.esp_sa');
const dir = mkdtempSync(join(tmpdir(), 'gredump-esp-'));

const options = (entries: SaEntry[]): EngineOptions => ({ ...DEFAULT_OPTIONS, sas: new SaDatabase(entries) });
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** The same SAs as tshark preferences. */
function tsharkUat(entries: SaEntry[]): string[] {
  const hex = (k: Buffer) => (k.length ? `0x${k.toString('hex')}` : '');
  return [
    '-o',
    'esp.enable_encryption_decode:TRUE',
    ...entries.flatMap((e) => [
      '-o',
      `uat:esp_sa:"${e.family === 6 ? 'IPv6' : 'IPv4'}","${e.src ?? '*'}","` +
        `${e.dst ?? '*'}","` +
        `${e.spi === null ? '*' : `0x${e.spi.toString(16).padStart(8, '0')}`}","` +
        `${e.enc.name}","${hex(e.encKey)}","${e.auth.name}","${hex(e.authKey)}"`,
    ]),
  ];
}

test(
  'esp_sa files: quoted CSV, comments, wildcards, every algorithm name; ' +
    'bad lines named by number, keys never shown',
  () => {
    const entries = parseEspSa(readFileSync(KEYS, 'latin1'), 'keys');
    assert.equal(entries.length, 11);
    assert.deepEqual(
      entries.map((e) => e.enc.name).filter((v, i, a) => a.indexOf(v) === i),
      [
        'AES-CBC [RFC3602]',
        'AES-CTR [RFC3686]',
        'AES-GCM with 16 octet ICV [RFC4106]',
        'AES-GCM with 8 octet ICV [RFC4106]',
        'AES-GCM with 12 octet ICV [RFC4106]',
        'TripleDES-CBC [RFC2451]',
        'NULL',
      ],
    );
    const wild = parseEspSa(
      '# comment\n\n"IPv6","*","2001:db8::1","0x00000100","AES-CBC ' +
        '[RFC3602]","0x000102030405060708090a0b0c0d0e0f","HMAC-SHA-256-128 ' +
        '[RFC4868]","0x01"\n',
      'w',
    );
    assert.deepEqual([wild[0]!.family, wild[0]!.src, wild[0]!.dst, wild[0]!.spi], [6, null, '2001:db8::1', 0x100]);
    // "AES-GCM [RFC4106]" (older Wireshark, strongSwan's save-keys) takes its ICV length from the unchecked
    // authentication beside it; alone it is the 16-octet one.
    const gcm = (auth: string) =>
      parseEspSa(`"IPv4","*","*","*","AES-GCM [RFC4106]","0x${'00'.repeat(20)}","${auth}",""`, 'g')[0]!.enc.name;
    assert.equal(gcm('ANY 64 bit authentication [no checking]'), 'AES-GCM with 8 octet ICV [RFC4106]');
    assert.equal(gcm('ANY 96 bit authentication [no checking]'), 'AES-GCM with 12 octet ICV [RFC4106]');
    assert.equal(gcm('NULL'), 'AES-GCM with 16 octet ICV [RFC4106]');
    const secret = '0x00112233445566778899aabbccddeeff00';
    for (const [line, message] of [
      [
        `"IPv4","1.2.3.4","5.6.7.8","0x1","AES-CBC [RFC3602]","${secret}","NULL",""`,
        /^k:2: a 17-byte key does not fit AES-CBC \[RFC3602\]$/,
      ],
      [
        '"IPv4","1.2.3.4","5.6.7.8","0x1","ROT13","0x00","NULL",""',
        /^k:2: field 5 \(encryption algorithm\) is not one gredump knows \(Wireshark's names\)$/,
      ],
      [
        '"IPv4","1.2.3.4","5.6.7.8","0x1","NULL","","HMAC-SHA-1-96 [RFC2404]",""',
        /^k:2: HMAC-SHA-1-96 \[RFC2404\] needs an authentication key$/,
      ],
      ['"IPv4","1.2.3.4","5.6.7.8","zz","NULL","","NULL",""', /^k:2: field 4 \(SPI\) is not a 32-bit number$/],
      // Addresses that are none: a byte short, a byte too big, six bytes, IPv6 on an IPv4 line.
      ['"IPv4","192.0.2","*","0x1","NULL","","NULL",""', /^k:2: field 2 \(source address\) is not an address/],
      ['"IPv4","*","192.0.2.256","0x1","NULL","","NULL",""', /^k:2: field 3 \(destination address\) is not an/],
      ['"IPv4","1.2.3.4.5.6","*","0x1","NULL","","NULL",""', /^k:2: field 2 \(source address\) is not an address/],
      ['"IPv4","2001:db8::1","*","0x1","NULL","","NULL",""', /^k:2: field 2 \(source address\) is not an IPv4/],
      ['IPv4,1.2.3.4', /^k:2: expected 8 quoted fields/],
    ] as const) {
      assert.throws(
        () => parseEspSa(`# first\n${line}\n`, 'k'),
        (err: Error) =>
          err instanceof SaFileError && message.test(err.message) && !err.message.includes(secret.slice(2)),
      );
    }
  },
);

test('esp_sa addresses as Wireshark takes them: * for whole bytes, networks; a byte-order mark before the file', () => {
  const line = (src: string, dst: string) =>
    `"IPv4","${src}","${dst}","0x00007001","NULL","","HMAC-SHA-1-96 [RFC2404]","0x${'00'.repeat(20)}"`;
  const db = (src: string, dst: string) => new SaDatabase(parseEspSa(line(src, dst), 'a'));
  for (const [src, dst] of [
    ['192.0.2.*', '198.51.100.17'],
    ['192.0.2.0/24', '*'],
    ['192.*.*.17', '198.51.100.0/22'],
  ] as const)
    assert.ok(db(src, dst).find(0x7001, 4, '192.0.2.17', '198.51.100.17'), `${src} ${dst}`);
  assert.equal(db('192.0.3.*', '*').find(0x7001, 4, '192.0.2.17', '198.51.100.17'), undefined);
  assert.equal(db('192.0.2.0/25', '*').find(0x7001, 4, '192.0.2.200', '198.51.100.17'), undefined);
  // IPv6 as the packet's text gives it, however the file writes it.
  const six = parseEspSa(
    line('*', '*').replace('IPv4', 'IPv6').replace('"*","*"', '"2001:DB8:0::1","2001:db8::/32"'),
    's',
  );
  assert.ok(new SaDatabase(six).find(0x7001, 6, '2001:db8::1', '2001:db8:5::9'));
  const dir = mkdtempSync(join(tmpdir(), 'gredump-bom-'));
  const file = join(dir, 'keys.esp_sa');
  writeFileSync(file, `\ufeff${line('192.0.2.17', '*')}\n`);
  assert.equal(readKeyFile(file, (t) => parseEspSa(t, file)).length, 1);
});

test('tcpdump -E forms: spi@dst algo:secret, several at once, and "file NAME"', () => {
  const two = parseTcpdumpSecrets(
    '0x12345678@192.1.2.45 ' +
      '3des-cbc-hmac96:0x43434545464649494a4a4c4c4f4f51515252545457575840,0xabcd@192.0.1.1 ' +
      'aes256-cbc:0x' +
      'ab'.repeat(32),
  );
  assert.deepEqual(
    two.map((e) => [e.spi, e.dst, e.enc.name, e.auth.icvLength]),
    [
      [0x12345678, '192.1.2.45', 'TripleDES-CBC [RFC2451]', 12],
      [0xabcd, '192.0.1.1', 'AES-CBC [RFC3602]', 0],
    ],
  );
  const any = parseTcpdumpSecrets('3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758');
  assert.deepEqual([any[0]!.spi, any[0]!.dst], [null, null]);
  assert.equal(parseTcpdumpSecrets(`file ${join(FIXTURES, 'tcpdump-esp-secrets.txt')}`).length, 3);
  assert.throws(
    () => parseTcpdumpSecrets('0x1@1.2.3.4 rc4:0x00'),
    /-E #1: the algorithm \(before the ":"\) is not one gredump knows/,
  );
});

test('scapy ESP for every cipher, transport and tunnel mode, with and ' +
  'without NAT-T: decrypted exactly as tshark does', {
  skip: tsharkAvailable() ? false : 'tshark is not installed',
}, async () => {
  const entries = parseEspSa(readFileSync(KEYS, 'latin1'), 'keys');
  const theirs = await tsharkFields(SCAPY, tsharkUat(entries));
  const ours = ourFields(SCAPY, options(entries));
  assert.deepEqual(diff(theirs, ours), []);
  // Every packet was opened: each carries an inner IP header after the ESP one (ipv4 src list has 2+ entries).
  assert.equal(ours.filter((f) => f[0]!.length >= 2).length, 33);
});

test("real IPsec captures from tcpdump's tests, with its secrets: decrypted exactly as tshark does", {
  skip: tsharkAvailable() ? false : 'tshark is not installed',
}, async () => {
  // Copies of tcpdump's test files live in fixtures/ (BSD-3-Clause), so that a plain clone runs this too.
  const secrets = join(FIXTURES, 'tcpdump-esp-secrets.txt');
  const cases: [string, SaEntry[]][] = [
    [
      '02-sunrise-sunset-esp.pcap',
      parseTcpdumpSecrets('0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758'),
    ],
    ['08-sunrise-sunset-esp2.pcap', parseTcpdumpSecrets(`file ${secrets}`)],
    ['08-sunrise-sunset-aes.pcap', parseTcpdumpSecrets(`file ${secrets}`)],
    ['espudp1.pcap', parseTcpdumpSecrets(`file ${secrets}`)],
  ];
  let opened = 0;
  for (const [name, entries] of cases) {
    const file = join(FIXTURES, `tcpdump-${name}`);
    const ours = ourFields(file, options(entries));
    assert.deepEqual(diff(await tsharkFields(file, tsharkUat(entries)), ours), [], name);
    opened += ours.filter((f) => f[0]!.length >= 2).length;
  }
  assert.ok(opened >= 20, `only ${opened} packets decrypted`);
});

test('the trailer, IV and ICV (esp.pad, pad_len, protocol, iv, icv): as tshark has them, decrypted and NULL, cut', {
  skip: tsharkAvailable() ? false : 'tshark is not installed',
}, () => {
  const fields = ['esp.spi', 'esp.iv', 'esp.pad', 'esp.pad_len', 'esp.protocol', 'esp.icv'].flatMap((f) => ['-e', f]);
  const secrets = join(FIXTURES, 'tcpdump-esp-secrets.txt');
  const childKeys = join(FIXTURES, 'ike-v2-child.esp_sa');
  // Packets of SA 0x1001 (16-byte IV, 12-byte ICV) too short to hold both, and one that holds them and nothing else.
  const tiny = join(dir, 'esp-tiny.pcap');
  const w = new PcapWriter(tiny);
  for (const body of [20, 28, 30])
    w.write(
      1767225600,
      body,
      b.eth(
        b.ipv4(b.esp(new Uint8Array(body).fill(7), { spi: 0x1001, seq: body }), {
          src: '192.0.2.10',
          dst: '198.51.100.10',
          proto: 50,
        }),
        { type: 0x0800 },
      ),
    );
  w.close();
  // The scapy packets cut by a snaplen: before the IV, within a 16-byte one, after the IV and before the ICV.
  const cut = join(dir, 'esp-cut.pcap');
  const cw = new PcapWriter(cut);
  for (const snap of [40, 50, 55, 70]) {
    const src = openCapture(SCAPY);
    while (src.next()) {
      const f = src.frame;
      cw.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + Math.min(f.caplen, snap)), f.len);
    }
    src.close();
  }
  cw.close();
  const cases: [name: string, keys: SaEntry[], ourKeys: string[]][] = [
    ['esp-scapy.pcap', parseEspSa(readFileSync(KEYS, 'latin1'), 'keys'), ['--esp-sa', KEYS]],
    [tiny, parseEspSa(readFileSync(KEYS, 'latin1'), 'keys'), ['--esp-sa', KEYS]],
    [cut, parseEspSa(readFileSync(KEYS, 'latin1'), 'keys'), ['--esp-sa', KEYS]],
    // charon's own ESP (in UDP 4500) and the keys it logged.
    ['ike-v2-child.pcap', parseEspSa(readFileSync(childKeys, 'latin1'), 'keys'), ['--esp-sa', childKeys]],
    ['tcpdump-08-sunrise-sunset-aes.pcap', parseTcpdumpSecrets(`file ${secrets}`), ['-E', `file ${secrets}`]],
    // The SA matches, the key does not open these: IV and ICV only.
    ['tcpdump-espudp1.pcap', parseTcpdumpSecrets(`file ${secrets}`), ['-E', `file ${secrets}`]],
    // No keys: NULL encryption found by the heuristic (no IV then), and ciphertext, which has none of these.
    ['esp-null-gre.pcap', [], []],
    ['ipsec-per-sa.pcap', [], []],
  ];
  let trailers = 0;
  for (const [name, keys, ourKeys] of cases) {
    const file = resolve(FIXTURES, name);
    const heuristic = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
    const theirs = spawnSync(
      'tshark',
      ['-n', '-r', file, ...heuristic, ...tsharkUat(keys), '-T', 'fields', ...fields],
      {
        encoding: 'utf8',
      },
    ).stdout;
    const ours = run(['-r', file, ...ourKeys, '-T', 'fields', ...fields]);
    assert.equal(ours.status, 0, ours.stderr);
    const theirLines = theirs.split('\n');
    const ourLines = ours.stdout.split('\n');
    assert.equal(ourLines.length, theirLines.length, name);
    theirLines.forEach((line, i) => {
      const [spi, iv, pad, , , icv] = line.split('\t');
      // tshark reads any last bytes as the trailer, where a wrong key made them noise (the last packet of
      // espudp1); gredump, which checks that the padding is 1, 2, 3... (RFC 4303 2.4), leaves the payload unopened.
      const noise = pad && pad !== Buffer.from(Array.from({ length: pad.length / 2 }, (_, k) => k + 1)).toString('hex');
      if (noise) assert.equal(ourLines[i], [spi, iv, '', '', '', icv].join('\t'), `${name} line ${i + 1}`);
      else assert.equal(ourLines[i], line, `${name} line ${i + 1}`);
      if (!noise && line.split('\t')[3]) trailers++;
    });
  }
  assert.ok(trailers >= 60, `only ${trailers} packets with a trailer`);
});

test("the detail tree lights a decrypted trailer's own bytes, at the end of the decrypted buffer", () => {
  const engine = new Engine(options(parseEspSa(readFileSync(KEYS, 'latin1'), 'keys')));
  const src = openCapture(SCAPY);
  let checked = 0;
  try {
    while (src.next()) {
      const ctx = engine.dissect(src.frame);
      const rows: { text: string; buf: Uint8Array | null; off: number; len: number }[] = [];
      walkDetail(ctx, null, (_depth, text, _layer, buf, off, len) => rows.push({ text, buf, off, len }));
      const pad = rows.find((r) => r.text.startsWith('Pad: '));
      const next = rows.find((r) => r.text.startsWith('ESP Next Header: '));
      if (!pad || !next) continue;
      const plain = pad.buf!;
      // NULL encryption's trailer is the packet's own (lit in the frame, as ever).
      if (plain === ctx.data) continue;
      // Pad, pad length, next header: the buffer's last bytes, as RFC 4303 lays them out.
      assert.equal(next.buf, plain);
      assert.equal(next.off, plain.length - 1);
      assert.equal(pad.off + pad.len, plain.length - 2);
      assert.equal(pad.text, `Pad: ${Buffer.from(plain.subarray(pad.off, pad.off + pad.len)).toString('hex')}`);
      assert.match(next.text, new RegExp(`\\(0x${plain[next.off]!.toString(16).padStart(2, '0')}\\)$`));
      checked++;
    }
  } finally {
    src.close();
  }
  assert.ok(checked >= 20, `only ${checked} decrypted packets with padding`);
});

/**
 * One ESP packet of the scapy keys' SA 0x1001 (AES-CBC, HMAC-SHA-1-96) carrying `inner` with `nextHeader`, written
 * to `name` in the test's directory; returns the file and the plaintext (inner, pad, pad length, next header).
 */
function scapySaPacket(inner: Buffer, nextHeader: number, name: string): { file: string; plain: Buffer } {
  const encKey = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const authKey = Buffer.from('000102030405060708090a0b0c0d0e0f10111213', 'hex');
  const padLength = (16 - ((inner.length + 2) % 16)) % 16;
  const plain = Buffer.concat([
    inner,
    Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1)),
    Buffer.from([padLength, nextHeader]),
  ]);
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-128-cbc', encKey, iv).setAutoPadding(false);
  const header = Buffer.from('0000100100000001', 'hex');
  const body = Buffer.concat([header, iv, cipher.update(plain), cipher.final()]);
  const esp = Buffer.concat([body, createHmac('sha1', authKey).update(body).digest().subarray(0, 12)]);
  const file = join(dir, name);
  const w = new PcapWriter(file);
  w.write(1767225600, 0, b.eth(b.ipv4(esp, { src: '192.0.2.10', dst: '198.51.100.10', proto: 50 }), { type: 0x0800 }));
  w.close();
  return { file, plain };
}

const TRAILER_FIELDS = ['-T', 'fields', '-e', 'esp.pad', '-e', 'esp.pad_len', '-e', 'esp.protocol'];

/** tshark's -T fields line of the trailer, given the scapy keys; null without tshark. */
function tsharkTrailer(file: string): string | null {
  if (!tsharkAvailable()) return null;
  const keys = parseEspSa(readFileSync(KEYS, 'latin1'), 'keys');
  return spawnSync('tshark', ['-n', '-r', file, ...tsharkUat(keys), ...TRAILER_FIELDS], { encoding: 'utf8' }).stdout;
}

test('a decrypted trailer whose payload no layer dissects (EtherIP, next header 97) still shows its Pad', () => {
  const inner = Buffer.from('3000020000000004020000000003', 'hex'); // EtherIP version 3, an Ethernet header cut
  const { file, plain } = scapySaPacket(inner, 97, 'esp-etherip.pcap');
  const padLength = plain.length - inner.length - 2;
  const ours = run(['-r', file, '--esp-sa', KEYS, ...TRAILER_FIELDS]);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(
    ours.stdout,
    `${plain.subarray(inner.length, inner.length + padLength).toString('hex')}\t${padLength}\t0x61\n`,
  );
  assert.match(run(['-r', file, '--esp-sa', KEYS, '-V']).stdout, /ESP Next Header: Ether in IP \(0x61\)/);
  const theirs = tsharkTrailer(file);
  if (theirs !== null) assert.equal(ours.stdout.split('\t')[0], theirs.split('\t')[0], 'the Pad tshark shows');
});

test('a dummy packet (next header 59): no trailer fields, as tshark shows none; empty or with bytes', () => {
  for (const [name, inner] of [
    ['esp-dummy.pcap', Buffer.alloc(0)],
    ['esp-dummy-bytes.pcap', Buffer.from('00112233445566', 'hex')],
  ] as const) {
    const { file } = scapySaPacket(inner, 59, name);
    const ours = run(['-r', file, '--esp-sa', KEYS, ...TRAILER_FIELDS]);
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, '\t\t\n', name);
    const tree = run(['-r', file, '--esp-sa', KEYS, '-V']).stdout;
    assert.match(tree, /\(decrypted, ICV good\)/, name);
    assert.doesNotMatch(tree, /Pad|Next Header/, name);
    const theirs = tsharkTrailer(file);
    if (theirs !== null) assert.equal(ours.stdout, theirs, `${name}: tshark's line`);
  }
});

test("-V names the next header as tshark's tree does (Generic Routing Encapsulation (0x2f))", {
  skip: tsharkAvailable() ? false : 'tshark is not installed',
}, () => {
  const childKeys = join(FIXTURES, 'ike-v2-child.esp_sa');
  const cases: [name: string, keys: SaEntry[], ourKeys: string[]][] = [
    ['esp-scapy.pcap', parseEspSa(readFileSync(KEYS, 'latin1'), 'keys'), ['--esp-sa', KEYS]],
    ['ike-v2-child.pcap', parseEspSa(readFileSync(childKeys, 'latin1'), 'keys'), ['--esp-sa', childKeys]],
    ['esp-null-gre.pcap', [], []],
  ];
  const names = new Set<string>();
  for (const [name, keys, ourKeys] of cases) {
    const file = resolve(FIXTURES, name);
    const heuristic = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
    const tree = spawnSync('tshark', ['-n', '-r', file, ...heuristic, ...tsharkUat(keys), '-V'], { encoding: 'utf8' });
    const theirs = [...tree.stdout.matchAll(/^ +Next header: (.*)$/gm)].map((m) => m[1]);
    const ours = run(['-r', file, ...ourKeys, '-V']);
    assert.equal(ours.status, 0, ours.stderr);
    assert.deepEqual(
      [...ours.stdout.matchAll(/^ +ESP Next Header: (.*)$/gm)].map((m) => m[1]),
      theirs,
      name,
    );
    for (const n of theirs) names.add(n!);
  }
  assert.deepEqual([...names].sort(), ['Generic Routing Encapsulation (0x2f)', 'IPIP (0x04)']);
});

test('wrong keys: every packet not decrypted, nothing dissected as traffic but what NULL leaves clear', () => {
  const r = run(['-r', SCAPY, '--esp-sa', WRONG, '--json']);
  assert.equal(r.status, 0);
  const packets = r.stdout
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          layers: { protocol: string; spi?: number; decryptError?: string; encryption?: string }[];
          warnings: string[];
        },
    );
  assert.equal(packets.length, 33);
  for (const p of packets) {
    assert.match(p.warnings.join(), /esp-not-decrypted/);
    const esp = p.layers.find((l) => l.protocol === 'esp')!;
    // SPI 0x7001 is NULL encryption: a wrong integrity key leaves its GRE and OSPF readable, as tshark shows them.
    if (esp.spi === 0x7001) {
      assert.equal(esp.encryption, 'null');
      assert.equal(p.layers.at(-1)!.protocol, 'ospf');
      continue;
    }
    assert.equal(p.layers.at(-1)!.protocol, 'esp');
    assert.match(esp.decryptError!, /^(icv-bad|bad-trailer)$/);
  }
  const audit = JSON.parse(run(['audit', SCAPY, '--esp-sa', WRONG, '--json']).stdout) as {
    tunnels: { key: number; protection: string }[];
    findings: { id: string; severity: string }[];
  };
  assert.deepEqual(
    audit.tunnels.map((t) => [t.key, t.protection]),
    [[0x7001, 'integrity-only']],
  );
  assert.equal(audit.findings.filter((f) => f.id === 'esp-not-decrypted').length, 10);
  assert.ok(audit.findings.some((f) => f.id === 'esp-null' && f.severity === 'high'));
});

test('audit with keys: the GRE tunnels inside ESP, their multicast, encrypted; mode named per SA', () => {
  const r = run(['audit', SCAPY, '--esp-sa', KEYS, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout) as {
    tunnels: { endpoints: string[]; key: number; protection: string; multicast: string[]; insideEsp?: boolean }[];
    esp: {
      spis: number[];
      protection: string;
      sas: { spi: number; mode?: string; decrypted: number; seqMissing: number }[];
    }[];
  };
  const gre = a.tunnels.find((t) => t.key === 0x1001)!;
  assert.deepEqual(
    [gre.endpoints, gre.protection, gre.multicast, gre.insideEsp],
    [['192.0.2.10', '198.51.100.10'], 'encrypted', ['224.0.0.5'], true],
  );
  assert.equal(
    a.tunnels.find((t) => t.key === 0x7001)!.protection,
    'integrity-only',
    'NULL encryption named by the SA is readable',
  );
  const sas = new Map(a.esp.flatMap((p) => p.sas.map((sa) => [sa.spi, sa] as const)));
  assert.equal(sas.get(0x1001)!.mode, 'transport');
  assert.equal(sas.get(0x2001)!.mode, 'tunnel');
  assert.equal(sas.get(0x5002)!.mode, 'transport');
  assert.equal(sas.get(0x6001)!.mode, 'tunnel');
  assert.ok([...sas.values()].every((sa) => sa.seqMissing === 0));
  assert.equal(
    [...sas.values()].reduce((n, sa) => n + sa.decrypted, 0),
    30,
  );
  assert.equal(a.tunnels.filter((t) => t.protection === 'encrypted').length, 6);
});

test('ESP sequence analysis per SA: gaps and replays', () => {
  const file = join(dir, 'esp-seq.pcap');
  const w = new PcapWriter(file);
  for (const seq of [1, 2, 5, 5, 3, 6]) {
    w.write(
      1767225600,
      seq * 1000,
      b.eth(
        b.ipv4(b.esp(new Uint8Array(64).fill(seq), { spi: 0x99, seq }), {
          src: '192.0.2.1',
          dst: '198.51.100.1',
          proto: 50,
        }),
        { type: 0x0800 },
      ),
    );
  }
  w.close();
  const a = JSON.parse(run(['audit', file, '--json']).stdout) as {
    esp: { sas: { seqMissing: number; seqReplayed: number }[] }[];
    findings: { id: string }[];
  };
  assert.deepEqual([a.esp[0]!.sas[0]!.seqMissing, a.esp[0]!.sas[0]!.seqReplayed], [2, 2]);
  assert.deepEqual(a.findings.map((f) => f.id).sort(), ['esp-replay', 'esp-sequence-gaps']);
});

test('keys never appear in output, JSON, reports or errors', () => {
  const entries = parseEspSa(readFileSync(KEYS, 'latin1'), 'keys');
  const secrets = entries
    .flatMap((e) => [e.encKey, e.authKey])
    .filter((k) => k.length >= 8)
    .map((k) => k.toString('hex'));
  const outputs = [
    run(['-r', SCAPY, '--esp-sa', KEYS]),
    run(['-r', SCAPY, '--esp-sa', KEYS, '--json']),
    run(['audit', SCAPY, '--esp-sa', KEYS]),
    run(['audit', SCAPY, '--esp-sa', KEYS, '--json']),
    run(['audit', SCAPY, '--esp-sa', WRONG, '--json']),
  ];
  const bad = join(dir, 'bad.esp_sa');
  writeFileSync(bad, `"IPv4","*","*","0x1","AES-CBC [RFC3602]","0x${secrets[0]}ff","NULL",""\n`);
  const error = run(['-r', SCAPY, '--esp-sa', bad]);
  assert.equal(error.status, 2);
  assert.match(error.stderr, /^gredump: .*bad\.esp_sa:1: a 17-byte key does not fit AES-CBC \[RFC3602\]\n$/);
  outputs.push(error, run(['-r', SCAPY, '-E', `0x1@1.2.3.4 aes128-cbc:0x${secrets[0]}`, '--json', '--debug']));
  for (const o of outputs) {
    for (const s of secrets) {
      assert.ok(!o.stdout.toLowerCase().includes(s) && !o.stderr.toLowerCase().includes(s), 'a key leaked');
    }
  }
  assert.match(run(['-r', SCAPY, '--esp-sa', join(dir, 'missing')]).stderr, /missing: no such file/);
});
