import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ikeMessage, parseIke } from '../src/dissect/isakmp.js';
import { summaryText } from '../src/output/packet-text.js';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { ikev2KeysFromTcpdump, parseIkev2Keys, type IkeSaKeys } from '../src/ipsec/ikev2-keys.js';
import { SaDatabase } from '../src/ipsec/sa-database.js';
import { readTcpdumpSecrets, SaFileError } from '../src/ipsec/sa-file.js';
import { compareIsakmp, declaredIsakmpFields, ourIsakmp, tsharkIsakmp } from './support/isakmp-fields.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * IKE dissection: every isakmp.* field we declare, against tshark's
 * `-T fields -e`, frame by frame, on our fixtures and the corpus captures
 * that hold IKE. Where tshark and we differ on purpose, the file is named
 * with why and how many field values may differ.
 */
const CORPUS_IKE = [
  'arkime/IKEv1.pcap',
  'arkime/IKEv2.pcap',
  'arkime/ike-cert_synthetic.pcap',
  'ndpi/ipsec_isakmp_esp.pcap',
  'ndpi/esp.pcapng',
  'stopddos/amp.UDP.isakmp.pcap',
  'suricata-verify/ikev1-rules__ikev1-isakmp-main-mode.pcap',
  'suricata-verify/ikev1-duplicate-proposals__generated.pcap',
  'suricata-verify/ikev2-weak-dh__IKEv2_SA_INIT_2-8-weak.pcap',
  'tcpdump/ikev2four.pcap',
  'tcpdump/ikev2pI2.pcap',
  'tcpdump/ISAKMP_sa_setup.pcap',
  'tcpdump/isakmp4500.pcap',
  'tcpdump/espudp1.pcap',
  'tcpdump/ikev2-id-normal.pcap',
  'tcpdump/ikev2-id-short.pcap',
  'tcpdump/isakmp-delete-segfault.pcap',
  'tcpdump/isakmp-various-oobr.pcap',
  'tcpdump/isakmp-no-none-np.pcapng',
  'tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap',
  'tcpdump/isakmp-identification-segfault.pcap',
  'tcpdump/ikev2pI2-segfault.pcapng',
  'tcpdump/isakmpv1-attr-oobr.pcap',
  'tcpdump/isakmp-ikev1_n_print-oobr.pcap',
  'tcpdump/isakmp-pointer-loop.pcap',
  'tcpdump/isakmp-rfc3948-oobr.pcap',
  'tcpdump/isakmp-3948-oobr-2.pcap',
];

/**
 * Hostile captures (tcpdump's regression files for its own overreads): Wireshark stops at the first lie, we read on
 * within bounds. Each count takes in the fields of the payload headers tshark does not reach (a reserved byte or bits,
 * an ID's data item): the same difference, one field more each.
 */
const KNOWN: Record<string, { why: string; mismatches: number }> = {
  'tcpdump/ISAKMP_sa_setup.pcap': {
    why:
      'a GDOI SA KEK payload (15) Wireshark finds malformed inside; it ' +
      'stops there, we step over it by its length to the next',
    mismatches: 8,
  },
  'tcpdump/isakmp-delete-segfault.pcap': {
    why: 'message length 1126274970 > the packet: Wireshark shows no header fields, we show them and warn',
    mismatches: 5,
  },
  'tcpdump/isakmp-various-oobr.pcap': {
    why: 'lying message length: Wireshark shows the first next-payload only',
    mismatches: 5,
  },
  'tcpdump/ikev2-id-short.pcap': {
    why: 'an ID payload of 9 bytes: Wireshark reads an IPv4 address past the payload end, we do not',
    mismatches: 4,
  },
  'tcpdump/ikev2-id-normal.pcap': { why: 'as ikev2-id-short: the address lies past the payload length', mismatches: 1 },
  'tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap': { why: 'lying lengths: Wireshark stops at the header', mismatches: 8 },
  'tcpdump/isakmp-identification-segfault.pcap': {
    why: 'an FQDN identity of NUL bytes: Wireshark stops, we show it escaped',
    mismatches: 1,
  },
  'tcpdump/ikev2pI2-segfault.pcapng': {
    why: 'a transform past its proposal: Wireshark reads it, we stop at the proposal end',
    mismatches: 4,
  },
  'tcpdump/isakmpv1-attr-oobr.pcap': { why: 'lying lengths: Wireshark stops at the header', mismatches: 4 },
  'tcpdump/isakmp-ikev1_n_print-oobr.pcap': {
    why: 'lying message length: Wireshark stops at the header',
    mismatches: 11,
  },
  'tcpdump/isakmp-pointer-loop.pcap': {
    why: 'Wireshark does not take this UDP 500 datagram for ISAKMP at all',
    mismatches: 13,
  },
};

const haveTshark = tsharkAvailable();

function fixtureCaptures(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((n) => /^ike.*\.pcap$/.test(n))
    .map((n) => join(FIXTURES, n));
}

test('isakmp fields agree with tshark -T fields, field by field', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const names = declaredIsakmpFields();
  assert.ok(names.length > 80, `only ${names.length} isakmp fields declared`);
  const files: [string, string][] = fixtureCaptures().map((f) => [f, f.slice(FIXTURES.length + 1)]);
  if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: comparing fixtures/ only`);
  for (const n of CORPUS_IKE) if (existsSync(join(CORPUS, n))) files.push([join(CORPUS, n), n]);
  assert.ok(files.length > 0);
  const failures: string[] = [];
  for (const [path, name] of files) {
    const mm = compareIsakmp(names, await tsharkIsakmp(path, names), ourIsakmp(path, names));
    const known = KNOWN[name];
    if (known ? mm.length > known.mismatches : mm.length > 0) {
      failures.push(
        `${name}: ${mm.length} differences${known ? ` (${known.mismatches} known)` : ''}\n${mm
          .slice(0, 8)
          .map((m) => `  frame ${m.frame} ${m.field}: tshark [${m.tshark}] ours [${m.ours}]`)
          .join('\n')}`,
      );
    }
  }
  assert.equal(failures.length, 0, failures.join('\n'));
});

test('every declared isakmp field is one tshark knows, with its type', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('tshark', ['-G', 'fields'], {
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const theirs = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const c = line.split('\t');
    if (c[0] === 'F' && c[4] === 'isakmp') theirs.set(c[2]!, c);
  }
  const { protocolCatalogue } = await import('../src/dissect/field-index.js');
  const TYPES: Record<string, string[]> = {
    uint: ['FT_UINT8', 'FT_UINT16', 'FT_UINT32', 'FT_UINT64'],
    bool: ['FT_BOOLEAN'],
    bytes: ['FT_BYTES'],
    string: ['FT_STRING'],
    ipv4: ['FT_IPv4'],
    ipv6: ['FT_IPv6'],
    protocol: ['FT_PROTOCOL'],
    none: ['FT_NONE'],
  };
  for (const f of protocolCatalogue()
    .get('isakmp')!
    .fields.filter((x) => x.type !== 'protocol')) {
    const c = theirs.get(f.name);
    assert.ok(c, `${f.name} is not a Wireshark field`);
    assert.ok(TYPES[f.type]?.includes(c[3]!), `${f.name}: ours ${f.type}, Wireshark ${c[3]}`);
    if (f.type === 'uint') {
      assert.equal(`FT_UINT${f.bits}`, c[3], `${f.name} width`);
      const base = {
        dec: 'BASE_DEC',
        hex: 'BASE_HEX',
        dec_hex: 'BASE_DEC_HEX',
        custom: 'BASE_CUSTOM',
        oui: 'BASE_OUI',
        hex_dec: 'BASE_HEX_DEC',
        oct: 'BASE_OCT',
        none: 'BASE_NONE',
      }[f.base];
      assert.equal(base, c[5], `${f.name} base`);
    }
  }
});

/** A message with payloads we name: the header, then [type, body] pairs chained by next-payload. */
export function ikeBytes(o: {
  version: 1 | 2;
  exchange: number;
  flags?: number;
  msgid?: number;
  payloads: [number, Uint8Array][];
}): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 28;
  o.payloads.forEach(([, body], i) => {
    const p = new Uint8Array(4 + body.length);
    p[0] = o.payloads[i + 1]?.[0] ?? 0;
    new DataView(p.buffer).setUint16(2, p.length);
    p.set(body, 4);
    parts.push(p);
    total += p.length;
  });
  const h = new Uint8Array(total);
  const dv = new DataView(h.buffer);
  h.fill(0xab, 0, 8);
  h[16] = o.payloads[0]?.[0] ?? 0;
  h[17] = o.version << 4;
  h[18] = o.exchange;
  h[19] = o.flags ?? 0;
  dv.setUint32(20, o.msgid ?? 0);
  dv.setUint32(24, total);
  let p = 28;
  for (const part of parts) {
    h.set(part, p);
    p += part.length;
  }
  return h;
}

const notifyV2 = (type: number, data: number[] = []) => Uint8Array.from([0, 0, type >> 8, type & 0xff, ...data]);

test('IKEv2 notify names, KE group, and a hostile chain stays bounded', () => {
  const msg = ikeBytes({
    version: 2,
    exchange: 34,
    flags: 0x20,
    payloads: [
      [41, notifyV2(17, [0, 14])],
      [41, notifyV2(16388, new Array(20).fill(1))],
    ],
  });
  const m = parseIke(msg, 0, msg.length);
  assert.deepEqual(
    m.notifies.map((n) => n.type),
    [17, 16388],
  );
  assert.equal(m.problem, null);
  assert.ok(m.occ.some((o) => o.name === 'isakmp.notify.data.accepted_dh_group' && o.num === 14));
  // A payload whose next-payload points at a zero-length loop ends at its length check, not in a loop.
  const loop = ikeBytes({ version: 2, exchange: 37, payloads: [[41, notifyV2(14)]] });
  loop[28] = 41; // next payload: another notify, but nothing follows
  const l = parseIke(loop, 0, loop.length);
  assert.match(l.problem ?? '', /runs past/);
  // 200 empty payloads chained: the walk stops at the bound.
  const many = ikeBytes({
    version: 2,
    exchange: 37,
    payloads: Array.from({ length: 200 }, () => [43, new Uint8Array(0)] as [number, Uint8Array]),
  });
  const mm = parseIke(many, 0, many.length);
  assert.equal(mm.payloads.length, 64);
  assert.match(mm.problem ?? '', /more than 64/);
  // An FQDN identity ends at a NUL, as tshark shows it (peers may end the name with one); other bytes are escaped.
  const fqdn = (name: string) => {
    const id = ikeBytes({
      version: 2,
      exchange: 35,
      payloads: [[35, Uint8Array.from([2, 0, 0, 0, ...Buffer.from(name, 'latin1')])]],
    });
    return parseIke(id, 0, id.length).occ.find((o) => o.name === 'isakmp.id.data.fqdn')?.str;
  };
  assert.equal(fqdn('vpn.example\0\0'), 'vpn.example');
  assert.equal(fqdn('a\x1bb'), 'a\\x1bb');
});

test('a text line names exchange, role, message ID, proposals and notifies', {
  skip: HAVE_CORPUS ? false : NO_CORPUS,
}, () => {
  const engine = new Engine();
  const src = openCapture(join(CORPUS, 'arkime/IKEv2.pcap'));
  const lines: string[] = [];
  try {
    while (src.next() && lines.length < 3) {
      const ctx = engine.dissect(src.frame);
      const l = ctx.layers[ctx.count - 1]!;
      if (l.proto.name !== 'isakmp') continue;
      assert.ok(ikeMessage(l));
      lines.push(summaryText(l));
    }
  } finally {
    src.close();
  }
  assert.equal(
    lines[0],
    'IKEv2 IKE_SA_INIT initiator msgid 0 spi e5bc67550fd4d3ea [#1 IKE ' +
      'AES_CBC-256/PRF_HMAC_SHA2_512/HMAC_SHA2_512_256/ecp384] KE ecp384',
  );
  assert.match(lines[2]!, /^IKEv2 IKE_SA_INIT responder msgid 0 spi 8e7779464044673e\/7b452c842bc4e891 /);
});

/** The v2 fixtures with their key tables: decrypted fields against tshark's, given the same table. */
test('decrypted IKEv2 payloads agree with tshark given the same ikev2_decryption_table', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const names = declaredIsakmpFields();
  const tables = readdirSync(FIXTURES).filter((n) => n.endsWith('.ikev2-keys'));
  assert.ok(tables.length >= 4);
  for (const table of tables) {
    const pcap = join(FIXTURES, table.replace(/\.ikev2-keys$/, '.pcap'));
    const text = readFileSync(join(FIXTURES, table), 'latin1');
    const uat = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const extra = uat.flatMap((l) => ['-o', `uat:ikev2_decryption_table:${l}`]);
    const options = { ...DEFAULT_OPTIONS, sas: new SaDatabase([], parseIkev2Keys(text, table)) };
    const ours = ourIsakmp(pcap, names, options);
    const mm = compareIsakmp(names, await tsharkIsakmp(pcap, names, extra), ours);
    assert.deepEqual(mm, [], table);
    // And something was decrypted: IKE_AUTH's identities.
    const idAt = names.indexOf('isakmp.id.data.ipv4_addr');
    assert.ok(
      ours.some((row) => row[idAt]!.includes('198.18.0.1')),
      `${table}: no identity decrypted`,
    );
  }
});

test('IKEv2 key tables: errors name the file and line, never a key; a wrong key is a warning, not a crash', () => {
  const good = readFileSync(join(FIXTURES, 'ike-v2-child.ikev2-keys'), 'latin1')
    .split('\n')
    .find((l) => l && !l.startsWith('#'))!;
  const f = good.split(',');
  assert.throws(
    () => parseIkev2Keys(`# c\n${f.slice(0, 7).join(',')}\n`, 'k.txt'),
    (e: Error) => e instanceof SaFileError && /^k\.txt:2: expected 8 fields/.test(e.message),
  );
  const short = [...f];
  short[2] = short[2]!.slice(0, 10);
  assert.throws(
    () => parseIkev2Keys(short.join(','), 'k.txt'),
    (e: Error) => /^k\.txt:1: the SK_ei has 5 bytes, 16 expected$/.test(e.message) && !e.message.includes(short[2]!),
  );
  const algo = [...f];
  algo[4] = '"AES-OCB"';
  assert.throws(() => parseIkev2Keys(algo.join(','), 'k.txt'), /k\.txt:1: unknown encryption algorithm "AES-OCB"/);
  // One bit off in SK_ai: the initiator's five SK payloads fail their ICV, said as warnings, and the run goes on;
  // the responder's five (SK_ar, SK_er) still open.
  const wrong = [...f];
  wrong[5] = (wrong[5]![0] === '0' ? '1' : '0') + wrong[5]!.slice(1);
  const { decrypted, warned } = openedWith('ike-v2-child.pcap', parseIkev2Keys(wrong.join(','), 'wrong'));
  assert.equal(decrypted.length, 5);
  assert.equal(warned.length, 5);
});

/** The IKE messages of a capture that were decrypted, and the ike-not-decrypted warnings, with these keys. */
function openedWith(pcap: string, keys: IkeSaKeys[]): { decrypted: number[]; warned: number[] } {
  const engine = new Engine({ ...DEFAULT_OPTIONS, sas: new SaDatabase([], keys) });
  const src = openCapture(join(FIXTURES, pcap));
  const out = { decrypted: [] as number[], warned: [] as number[] };
  let n = 0;
  try {
    while (src.next()) {
      n++;
      const ctx = engine.dissect(src.frame);
      for (let i = 0; i < ctx.warnCount; i++) if (ctx.warnings[i]!.id === 'ike-not-decrypted') out.warned.push(n);
      const l = ctx.layers[ctx.count - 1]!;
      if (l.proto.name === 'isakmp' && ikeMessage(l)?.decrypted) out.decrypted.push(n);
    }
  } finally {
    src.close();
  }
  return out;
}

test("tcpdump's ikev2 lines in -E: each side's keys, the same payloads opened as with Wireshark's table", () => {
  // tcpdump's own test: its secrets file read whole (ESP lines and ikev2 lines alike). The capture's ICV is not the
  // one the keys give (tshark: "[incorrect, should be 579ae74ad294a105b0b6f1c4]"; tcpdump does not check it): the
  // keys are read as tshark reads them, and the message stays closed, with a warning.
  const secrets = `file ${join(FIXTURES, 'tcpdump-ikev2pI2-secrets.txt')}`;
  const read = readTcpdumpSecrets(secrets);
  assert.deepEqual(read.esp, []);
  const [keys] = ikev2KeysFromTcpdump(read.ikev2);
  assert.equal(keys!.ispi, '0001020304050607');
  assert.equal(keys!.rspi, 'c02e7a3031a03188');
  assert.equal(keys!.enc.name, 'AES-CBC-128 [RFC3602]');
  assert.equal(keys!.integ.name, 'HMAC_SHA1_96 [RFC2404]');
  const src = openCapture(join(FIXTURES, 'tcpdump-ikev2pI2.pcap'));
  src.next();
  src.next();
  const f = src.frame;
  const ike = f.data.subarray(f.off + 4 + 20 + 8, f.off + f.caplen);
  src.close();
  const icv = createHmac('sha1', keys!.skAi!)
    .update(ike.subarray(0, ike.length - 12))
    .digest()
    .subarray(0, 12);
  assert.equal(icv.toString('hex'), '579ae74ad294a105b0b6f1c4');
  assert.deepEqual(openedWith('tcpdump-ikev2pI2.pcap', [keys!]), { decrypted: [], warned: [2] });

  // A charon exchange: its table written as tcpdump's lines opens the same messages, read the same.
  const table = readFileSync(join(FIXTURES, 'ike-v2-i-authfail.ikev2-keys'), 'latin1');
  const [ispi, rspi, ei, er, , ai, ar] = table
    .split('\n')
    .find((l) => l && !l.startsWith('#'))!
    .split(',');
  const line = (side: string, e: string, a: string) => ({
    text: `${side} 0x${ispi} 0x${rspi} sha256:0x${a} aes128:0x${e}`,
    origin: `lines:${side}`,
  });
  const both = ikev2KeysFromTcpdump([line('I', ei!, ai!), line('R', er!, ar!)]);
  const names = declaredIsakmpFields();
  const pcap = join(FIXTURES, 'ike-v2-i-authfail.pcap');
  const fromTable = ourIsakmp(pcap, names, { ...DEFAULT_OPTIONS, sas: new SaDatabase([], parseIkev2Keys(table, 't')) });
  assert.deepEqual(ourIsakmp(pcap, names, { ...DEFAULT_OPTIONS, sas: new SaDatabase([], both) }), fromTable);
  const all = openedWith('ike-v2-i-authfail.pcap', both);
  assert.ok(all.decrypted.length >= 3 && all.warned.length === 0, JSON.stringify(all));
  // The initiator's line alone: its messages open, the responder's stay closed as without keys (no warning).
  const initiatorOnly = openedWith('ike-v2-i-authfail.pcap', ikev2KeysFromTcpdump([line('I', ei!, ai!)]));
  assert.ok(initiatorOnly.decrypted.length > 0 && initiatorOnly.warned.length === 0);
  assert.ok(initiatorOnly.decrypted.length < all.decrypted.length);
  assert.ok(initiatorOnly.decrypted.every((n) => all.decrypted.includes(n)));

  const bad = (text: string) => () => ikev2KeysFromTcpdump([{ text, origin: 's.txt:3' }]);
  assert.throws(bad('I 0x01 0x02 sha1:0x00 aes128:0x00'), /s\.txt:3: the initiator's SPI has 1 bytes, 8 expected/);
  assert.throws(bad(`I 0x${ispi} 0x${rspi} sha1:0x${ai}`), /s\.txt:3: expected "ikev2 I\|R 0xISPI 0xRSPI/);
  assert.throws(bad(`I 0x${ispi} 0x${rspi} whirlpool:0x${ai} aes128:0x${ei}`), /expected the integrity algorithm as/);
  assert.throws(
    bad(`I 0x${ispi} 0x${rspi} sha256:0x${ai} aes128:0x${ei}00`),
    /s\.txt:3: the encryption algorithm's key has 17 bytes, 16 expected$/,
  );
  // As tcpdump reads them: the first letter of I|R, words after the fifth ignored, a later line for a side wins, a key
  // without 0x is its text's bytes.
  const wrongFirst = {
    text: `I 0x${ispi} 0x${rspi} sha256:0x${'00'.repeat(32)} aes128:0x${'00'.repeat(16)}`,
    origin: 'w',
  };
  const loose = { text: `Initiator 0x${ispi} 0x${rspi} sha256:0x${ai} aes128:0x${ei} # west`, origin: 'l' };
  assert.deepEqual(openedWith('ike-v2-i-authfail.pcap', ikev2KeysFromTcpdump([wrongFirst, loose])), initiatorOnly);
  const ascii = ikev2KeysFromTcpdump([
    { text: `R 0x${ispi} 0x${rspi} md5:0123456789abcdef aes128:fedcba9876543210`, origin: 'a' },
  ]);
  assert.equal(ascii[0]!.skEr!.toString('latin1'), 'fedcba9876543210');
  assert.equal(ascii[0]!.skAr!.toString('latin1'), '0123456789abcdef');
});

test('-E: pieces split on commas and newlines first, each a line or a file read once; errors name no key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-tcpdump-'));
  const lines = readFileSync(join(FIXTURES, 'tcpdump-ikev2pI2-secrets.txt'), 'latin1').trim().split('\n');
  writeFileSync(join(dir, 'i.txt'), `${lines[0]}\n`);
  const esp = '0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545464649494a4a4c4c4f4f515152525454575758';
  const both = readTcpdumpSecrets(`file ${join(dir, 'i.txt')},${lines[1]}\n${esp}`);
  assert.deepEqual(
    both.ikev2.map((l) => l.origin),
    [`${join(dir, 'i.txt')}:1`, '-E #2'],
  );
  assert.equal(both.esp.length, 1);
  assert.equal(ikev2KeysFromTcpdump(both.ikev2).length, 1);
  // A file that cannot be read is named alone, not with the keys that follow its comma.
  assert.throws(
    () => readTcpdumpSecrets(`file ${join(dir, 'none.txt')},${lines[1]}`),
    (e: Error) => e.message === `${join(dir, 'none.txt')}: no such file`,
  );
  // A named pipe is read once, so a writer that writes once is enough (a second read would wait for ever).
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', [
    '-c',
    `cat ${JSON.stringify(join(FIXTURES, 'tcpdump-ikev2pI2-secrets.txt'))} > ${JSON.stringify(fifo)}`,
  ]);
  const fromPipe = readTcpdumpSecrets(`file ${fifo}`);
  writer.kill();
  assert.equal(ikev2KeysFromTcpdump(fromPipe.ikev2).length, 1);
  rmSync(dir, { recursive: true, force: true });
});

test("names (notify types, transforms, groups, exchanges) are Wireshark's wherever the captures show them", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { execFileSync } = await import('node:child_process');
  const names = await import('../src/dissect/isakmp-names.js');
  const files: [string, string[]][] = readdirSync(FIXTURES)
    .filter((n) => /^ike-v2.*\.pcap$/.test(n))
    .map((n) => {
      const keys = join(FIXTURES, n.replace(/\.pcap$/, '.ikev2-keys'));
      const uat = existsSync(keys)
        ? readFileSync(keys, 'latin1')
            .split('\n')
            .filter((l) => l.trim() && !l.startsWith('#'))
        : [];
      return [join(FIXTURES, n), uat.flatMap((l) => ['-o', `uat:ikev2_decryption_table:${l}`])];
    });
  for (const n of [
    'arkime/IKEv1.pcap',
    'arkime/IKEv2.pcap',
    'ndpi/ipsec_isakmp_esp.pcap',
    'tcpdump/ikev2four.pcap',
    'tcpdump/isakmp4500.pcap',
  ]) {
    if (existsSync(join(CORPUS, n))) files.push([join(CORPUS, n), []]);
  }
  const tables: Record<string, (v: number, version: number) => string | undefined> = {
    'Notify Message Type': (v, version) => (version === 1 ? names.NOTIFY_V1 : names.NOTIFY_V2)[v],
    'Transform ID (ENCR)': (v) => names.ENCR_V2[v],
    'Transform ID (PRF)': (v) => names.PRF_V2[v],
    'Transform ID (INTEG)': (v) => names.INTEG_V2[v],
    'Transform ID (D-H)': (v) => names.DH_GROUPS[v],
    'DH Group #': (v) => names.DH_GROUPS[v],
    'Exchange type': (v, version) => (version === 1 ? names.EXCHANGES_V1 : names.EXCHANGES_V2)[v],
  };
  let checked = 0;
  const wrong = new Set<string>();
  for (const [path, extra] of files) {
    const text = execFileSync('tshark', ['-n', '-r', path, ...extra, '-V', '-O', 'isakmp'], {
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    let version = 0;
    for (const line of text.split('\n')) {
      const v = /^\s+Version: (\d)\.\d$/.exec(line);
      if (v) version = Number(v[1]);
      const m = /^\s+([^:]+): (.+) \((\d+)\)$/.exec(line);
      if (!m || !tables[m[1]!] || version === 0) continue;
      const ours = tables[m[1]!]!(Number(m[3]), version);
      checked++;
      if (ours !== m[2]) wrong.add(`${m[1]} ${m[3]} (IKEv${version}): Wireshark "${m[2]}", ours "${ours}"`);
    }
  }
  assert.ok(checked > 100, `only ${checked} names compared`);
  assert.deepEqual([...wrong], []);
});

test('IKEv2 NAT detection: the hashes checked against the packet as captured, both ways', async () => {
  const { dissectBytes } = await import('./support/frames.js');
  const src = openCapture(join(FIXTURES, 'ike-v2-child.pcap'));
  src.next();
  const first = Uint8Array.from(src.frame.data.subarray(src.frame.off, src.frame.off + src.frame.caplen));
  src.close();
  const nat = (bytes: Uint8Array) =>
    dissectBytes(bytes).layers.at(-1)!.natDetection as { sourceMatches: boolean; destinationMatches: boolean };
  // The destination hash is the receiver's address and port: it matches. strongSwan hashed a made-up
  // source (its log: natd_chunk with 23.56.176.191, port 0) to force UDP encapsulation for its userspace ESP.
  assert.deepEqual(nat(first), { sourceMatches: false, destinationMatches: true });
  // The same packet with its destination rewritten (as a NAT would): the destination hash no longer matches.
  const moved = Uint8Array.from(first);
  moved[14 + 19]! ^= 1;
  assert.deepEqual(nat(moved), { sourceMatches: false, destinationMatches: false });
  // And its destination port rewritten.
  const port = Uint8Array.from(first);
  port[14 + 20 + 3]! ^= 1;
  assert.equal(nat(port).destinationMatches, false);
});

test("every IKEv2 algorithm name strongSwan's save-keys writes is read, with its key lengths", () => {
  // save_keys_listener.c's ike_encr and ike_integ tables (strongSwan 5.9), key bytes with the salt (CTR, GCM, CCM).
  const encryption: [string, number][] = [
    ['3DES [RFC2451]', 24],
    ['NULL [RFC2410]', 0],
    ...[128, 192, 256].flatMap((b): [string, number][] => [
      [`AES-CBC-${b} [RFC3602]`, b / 8],
      [`AES-CTR-${b} [RFC5930]`, b / 8 + 4],
      ...[8, 12, 16].map((icv): [string, number] => [`AES-GCM-${b} with ${icv} octet ICV [RFC5282]`, b / 8 + 4]),
      ...[8, 12, 16].map((icv): [string, number] => [`AES-CCM-${b} with ${icv} octet ICV [RFC5282]`, b / 8 + 3]),
    ]),
  ];
  const integrity: [string, number][] = [
    ['HMAC_MD5_96 [RFC2403]', 16],
    ['HMAC_SHA1_96 [RFC2404]', 20],
    ['HMAC_MD5_128 [RFC4595]', 16],
    ['HMAC_SHA1_160 [RFC4595]', 20],
    ['HMAC_SHA2_256_128 [RFC4868]', 32],
    ['HMAC_SHA2_384_192 [RFC4868]', 48],
    ['HMAC_SHA2_512_256 [RFC4868]', 64],
    ['HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]', 32],
    ['NONE [RFC4306]', 0],
  ];
  const spis = '0123456789abcdef,fedcba9876543210';
  for (const [e, ek] of encryption)
    for (const [a, ak] of integrity) {
      const k = (n: number) => 'ab'.repeat(n);
      const [sa] = parseIkev2Keys(
        `${spis},${k(ek)},${k(ek)},"${e}",${k(ak)},${k(ak)},"${a}"`,
        'ikev2_decryption_table',
      );
      assert.equal(sa!.enc.name, e);
      assert.equal(sa!.integ.name, a);
    }
  // Not a name Wireshark or strongSwan writes for encryption.
  assert.throws(() => parseIkev2Keys(`${spis},,,"NONE [RFC4306]",,,"NONE [RFC4306]"`, 't'), /unknown encryption/);
});

/** Each frame's text line, or '' where it is not IKE. */
function ikeLines(path: string, options = DEFAULT_OPTIONS): string[] {
  const engine = new Engine(options);
  const src = openCapture(path);
  const lines: string[] = [];
  try {
    while (src.next()) {
      const ctx = engine.dissect(src.frame);
      const l = ctx.layers[ctx.count - 1]!;
      lines.push(l.proto.name === 'isakmp' ? summaryText(l) : '');
    }
  } finally {
    src.close();
  }
  return lines;
}

test('DPD: an empty INFORMATIONAL request is named a liveness check where ' +
  'tshark sees one, not its answer, not a delete', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { execFileSync } = await import('node:child_process');
  const pcap = join(FIXTURES, 'ike-v2-dpd.pcap');
  const table = readFileSync(join(FIXTURES, 'ike-v2-dpd.ikev2-keys'), 'latin1');
  const uat = table.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  // tshark, given the keys: INFORMATIONAL requests whose SK payload holds no payload at all.
  const theirs = execFileSync(
    'tshark',
    [
      '-n',
      '-r',
      pcap,
      ...uat.flatMap((l) => ['-o', `uat:ikev2_decryption_table:${l}`]),
      '-Y',
      'isakmp.exchangetype == 37 && isakmp.flag_r == 0',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'isakmp.typepayload',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
    .split('\n')
    .filter((l) => l.endsWith('\t46'))
    .map((l) => Number(l.split('\t')[0]));
  const lines = ikeLines(pcap, { ...DEFAULT_OPTIONS, sas: new SaDatabase([], parseIkev2Keys(table, 'ike-v2-dpd')) });
  const ours = lines.flatMap((l, i) => (l.includes('(liveness check)') ? [i + 1] : []));
  assert.ok(theirs.length >= 4, `${theirs.length} liveness checks in the capture`);
  assert.deepEqual(ours, theirs);
  // The answers, the IKE SA's delete and its answer are INFORMATIONAL too, and not named so.
  assert.ok(lines.filter((l) => / INFORMATIONAL /.test(l)).length > ours.length + 2);
  // Without the keys, an INFORMATIONAL is only encrypted: nothing is claimed.
  assert.ok(!ikeLines(pcap).some((l) => l.includes('liveness')));
});

test('DPD in IKEv1: R-U-THERE and its ACK (RFC 3706) named, with the ' +
  'sequence number tshark reads; another notify is not DPD', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { eth, ipv4, udp } = await import('./support/builder.js');
  const { pcapFile } = await import('./support/hostile.js');
  // Notify payload body (RFC 2408 3.14): DOI 1, protocol ISAKMP, SPI size 16 (both cookies), type, SPI, data.
  const notifyV1 = (type: number, data: number[]) =>
    Uint8Array.from([
      0,
      0,
      0,
      1,
      1,
      16,
      type >> 8,
      type & 0xff,
      ...new Array(8).fill(0xab),
      ...new Array(8).fill(0xcd),
      ...data,
    ]);
  const frame = (type: number, data: number[], request: boolean) => {
    const ike = ikeBytes({ version: 1, exchange: 5, msgid: 0x01020304, payloads: [[11, notifyV1(type, data)]] });
    ike.fill(0xcd, 8, 16);
    const [src, dst] = request ? ['198.18.0.1', '198.18.0.2'] : ['198.18.0.2', '198.18.0.1'];
    return eth(ipv4(udp(ike, { srcPort: 500, dstPort: 500 }), { src, dst, proto: 17 }), { type: 0x0800 });
  };
  const frames = [
    frame(36136, [0, 0, 0x12, 0x34], true),
    frame(36137, [0, 0, 0x12, 0x34], false),
    // INITIAL-CONTACT (24578) with four bytes of data: not a DPD sequence.
    frame(24578, [0, 0, 0x12, 0x35], true),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gredump-dpd-'));
  try {
    const path = join(dir, 'dpd.pcap');
    writeFileSync(path, pcapFile(frames));
    const names = declaredIsakmpFields();
    const ours = ourIsakmp(path, names);
    assert.deepEqual(compareIsakmp(names, await tsharkIsakmp(path, names), ours), []);
    const seq = names.indexOf('isakmp.notify.data.dpd.are_you_there');
    const ack = names.indexOf('isakmp.notify.data.dpd.are_you_there_ack');
    assert.deepEqual(
      ours.map((row) => [row[seq], row[ack]]),
      [
        ['4660', ''],
        ['', '4660'],
        ['', ''],
      ],
    );
    const lines = ikeLines(path);
    assert.match(lines[0]!, /N\(R-U-THERE\)/);
    assert.match(lines[1]!, /N\(R-U-THERE-ACK\)/);
    assert.doesNotMatch(lines[2]!, /R-U-THERE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The UDP encapsulation layer's lines of a -V tree: its title and what is under it. */
function udpencapLines(tree: string): string[] {
  const lines = tree.split('\n');
  const at = lines.findIndex((l) => l.startsWith('UDP Encapsulation of IPsec Packets'));
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && !l.startsWith(' '));
  // Our title goes on with the layer's summary (`, NAT-keepalive`), as every layer's does; tshark's stops.
  return [lines[at]!.replace(/,.*/, ''), ...lines.slice(at + 1, end)];
}

test("UDP 4500's encapsulation layer as tshark's udpencap: its marker, keepalive, ESP in UDP", () => {
  const cases: [string, string, string[]][] = [
    [join(FIXTURES, 'ike-v2-child.pcap'), 'udp.port == 4500 && isakmp', ['    Non-ESP Marker']],
    [join(FIXTURES, 'esp-scapy.pcap'), 'udp.port == 4500', []],
  ];
  const corpus = join(CORPUS, 'tcpdump/isakmp4500.pcap');
  if (existsSync(corpus)) cases.push([corpus, 'udpencap.nat_keepalive', ['    NAT-keepalive packet']]);
  else console.log(`# ${NO_CORPUS}: the NAT keepalive is in tcpdump's isakmp4500.pcap`);
  for (const [file, filter, under] of cases) {
    const ours = execFileSync(process.execPath, [BIN, '-r', file, '-Y', filter, '-V']).toString();
    assert.deepEqual(udpencapLines(ours), ['UDP Encapsulation of IPsec Packets', ...under], `${file} ${filter}`);
    if (!haveTshark) continue;
    const theirs = execFileSync('tshark', ['-n', '-r', file, '-Y', filter, '-V'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    assert.deepEqual(udpencapLines(ours), udpencapLines(theirs), `${file} ${filter}: tshark's lines`);
  }
});

test('udpencap marks in display filters as tshark has them: there or not, not compared or sliced, length 0', () => {
  const file = join(FIXTURES, 'ike-v2-child.pcap');
  const cases: [string, 'matches' | 'refused'][] = [
    ['udpencap', 'matches'],
    ['udpencap.non_esp_marker', 'matches'],
    ['!udpencap.nat_keepalive && udp', 'matches'],
    ['len(udpencap.non_esp_marker) == 0', 'matches'],
    ['len(udpencap.non_esp_marker) == 4', 'matches'],
    ['udpencap.non_esp_marker == 00:00:00:00', 'refused'],
    ['udpencap.non_esp_marker contains 00', 'refused'],
    ['udpencap.non_esp_marker in {1}', 'refused'],
    ['udpencap.nat_keepalive[0] == ff', 'refused'],
    ['udp.port == udpencap.non_esp_marker', 'refused'],
  ];
  for (const [filter, expect] of cases) {
    const args = ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'];
    const ours = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    assert.equal(ours.status, expect === 'refused' ? 2 : 0, `${filter}: ${ours.stderr}`);
    if (!haveTshark) continue;
    const theirs = spawnSync('tshark', ['-n', ...args], { encoding: 'utf8' });
    if (expect === 'matches') assert.equal(ours.stdout, theirs.stdout, `${filter}: tshark's frames`);
    else {
      // tshark's words, less its name and full stop: `udpencap.non_esp_marker (type=Label) cannot participate...`.
      const said = /tshark: (.*?)\.?\n/.exec(theirs.stderr)?.[1];
      assert.ok(said && ours.stderr.startsWith(`gredump: -Y: ${said}\n`), `${filter}: "${ours.stderr}" / "${said}"`);
    }
  }
});
