import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS, type EngineOptions } from '../src/dissect/state.js';
import { ikev2KeysFromTcpdump, parseIkev2Keys } from '../src/ipsec/ikev2-keys.js';
import { SaDatabase } from '../src/ipsec/sa-database.js';
import { parseEspSa } from '../src/ipsec/sa-file.js';
import { buildReport } from '../src/audit/report.js';
import { reportText } from '../src/audit/report-text.js';
import { evaluate } from '../src/audit/rules.js';
import { EspPeers, EspSa } from '../src/tunnels/esp-table.js';
import { TunnelTable } from '../src/tunnels/table.js';
import * as b from './support/builder.js';
import { frameOf } from './support/frames.js';
import { FIXTURES } from './support/paths.js';

/**
 * IKE in the audit, on real charon exchanges (fixtures/ike-*.pcap): each
 * finding raised where it holds and not raised in its look-alike.
 */
function audit(name: string, o: { frames?: [number, number]; options?: EngineOptions } = {}): TunnelTable {
  const engine = new Engine(o.options);
  const table = new TunnelTable();
  const src = openCapture(join(FIXTURES, name));
  let n = 0;
  try {
    while (src.next()) {
      n++;
      const ctx = engine.dissect(src.frame);
      if (o.frames && (n < o.frames[0] || n > o.frames[1])) continue;
      table.observe(ctx);
    }
  } finally {
    src.close();
  }
  return table;
}

const ids = (t: TunnelTable) => evaluate(t).map((f) => f.id);
const ikeSas = (t: TunnelTable) => {
  const r = buildReport(t, []);
  return (r.esp[0]?.ikeSas ?? r.ike[0]?.sas) as Record<string, unknown>[];
};

test(
  'ike-aggressive-psk: raised when the responder answered aggressive ' + 'mode with its hash, not for the offer alone',
  () => {
    const whole = audit('ike-v1-aggressive.pcap');
    assert.ok(ids(whole).includes('ike-aggressive-psk'));
    const offerOnly = audit('ike-v1-aggressive.pcap', { frames: [1, 1] });
    assert.ok(!ids(offerOnly).includes('ike-aggressive-psk'));
    // Main mode with the same pre-shared key: no hash in clear.
    assert.ok(!ids(audit('ike-v1-main.pcap')).includes('ike-aggressive-psk'));
  },
);

test('ike-weak-group and ike-weak-cipher: raised for what was chosen, not for what was only offered', () => {
  const main = evaluate(audit('ike-v1-main.pcap'));
  assert.match(main.find((f) => f.id === 'ike-weak-group')!.message, /group 2 \(modp1024\) chosen/);
  assert.match(main.find((f) => f.id === 'ike-weak-cipher')!.message, /3DES, SHA-1 chosen/);
  // The initiator's offer of 3DES/SHA-1/modp1024 without the responder's answer is not a choice.
  const offer = ids(audit('ike-v1-main.pcap', { frames: [1, 1] }));
  assert.ok(!offer.includes('ike-weak-group') && !offer.includes('ike-weak-cipher'));
  // AES-256/SHA2-256/modp2048 chosen: neither.
  const strong = ids(audit('ike-v2-transport.pcap'));
  assert.ok(!strong.includes('ike-weak-group') && !strong.includes('ike-weak-cipher'), strong.join());
  // IKEv2: SHA-1 as integrity (HMAC-SHA1-160) is weak though its PRF is SHA2-256; AES-CCM with a SHA2-256 PRF is not.
  const sha1 = evaluate(audit('ike-v2-sha1-160.pcap')).filter((f) => f.id === 'ike-weak-cipher');
  assert.equal(sha1.length, 1);
  assert.match(sha1[0]!.message, /: SHA-1 chosen \(#1 IKE AES_CBC-192\/HMAC_SHA1_160\/PRF_HMAC_SHA2_256\/modp2048\)/);
  assert.ok(!ids(audit('ike-v2-ccm.pcap')).includes('ike-weak-cipher'));
});

test("IKEv1 without its first message: the responder's answer (its cookie, one proposal) tells the roles", () => {
  const whole = ikeSas(audit('ike-v1-main.pcap'))[0]!;
  const late = audit('ike-v1-main.pcap', { frames: [2, Infinity] });
  const sa = ikeSas(late)[0]!;
  assert.deepEqual([sa.initiator, sa.responder], [whole.initiator, whole.responder]);
  // What the responder chose is a choice, as in the whole exchange.
  const found = evaluate(late);
  assert.match(found.find((f) => f.id === 'ike-weak-group')!.message, /group 2 \(modp1024\) chosen/);
  assert.match(found.find((f) => f.id === 'ike-weak-cipher')!.message, /3DES, SHA-1 chosen/);
  // From the initiator's third message on (no proposal) nothing tells: the first sender is the initiator, as it is.
  const third = ikeSas(audit('ike-v1-main.pcap', { frames: [3, Infinity] }))[0]!;
  assert.equal(third.initiator, whole.initiator);
});

test('ikev1: raised for IKEv1 peers only', () => {
  assert.ok(ids(audit('ike-v1-main.pcap')).includes('ikev1'));
  assert.ok(!ids(audit('ike-v2-transport.pcap')).includes('ikev1'));
});

test('ike-failed: a notify error that ended the negotiation, not one the initiator recovered from', () => {
  const failed = evaluate(audit('ike-v2-no-proposal.pcap')).filter((f) => f.id === 'ike-failed');
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.message, /NO_PROPOSAL_CHOSEN in IKE_SA_INIT/);
  // INVALID_KE_PAYLOAD, then a retry with the group the responder wanted: the SA came up.
  const t = audit('ike-v2-invalid-ke.pcap');
  assert.ok(!ids(t).includes('ike-failed'));
  const [sa] = ikeSas(t);
  assert.equal(sa!.state, 'up');
  assert.equal(sa!.group, 'modp2048');
  assert.deepEqual(
    (sa!.errors as { name: string }[]).map((e) => e.name),
    ['INVALID_KE_PAYLOAD'],
  );
  assert.match((sa!.story as string[])[1]!, /responder IKE_SA_INIT response: error INVALID_KE_PAYLOAD/);
});

test('the IKE story survives a split: two halves merged equal the whole', () => {
  for (const name of ['ike-v2-invalid-ke.pcap', 'ike-v1-aggressive.pcap']) {
    const whole = buildReport(audit(name), []);
    for (const seam of [2, 3, 5]) {
      const first = audit(name, { frames: [1, seam] });
      const second = audit(name, { frames: [seam + 1, 1e9] });
      first.absorb(structuredClone(second));
      assert.deepEqual(buildReport(first, []), whole, `${name} split after frame ${seam}`);
    }
  }
});

const withKeys = (name: string): EngineOptions => ({
  ...DEFAULT_OPTIONS,
  sas: new SaDatabase(
    existsSync(join(FIXTURES, `${name}.esp_sa`))
      ? parseEspSa(readFileSync(join(FIXTURES, `${name}.esp_sa`), 'latin1'), `${name}.esp_sa`)
      : [],
    parseIkev2Keys(readFileSync(join(FIXTURES, `${name}.ikev2-keys`), 'latin1'), `${name}.ikev2-keys`),
  ),
});

test(
  'ike-no-child-sa: IKE up and its child refused (decrypted IKE_AUTH), ' +
    'not when the child came up, not without keys',
  () => {
    for (const [name, why] of [
      ['ike-v2-ts-unacceptable', 'TS_UNACCEPTABLE'],
      ['ike-v2-transport', 'NO_PROPOSAL_CHOSEN'],
    ] as const) {
      const found = evaluate(audit(`${name}.pcap`, { options: withKeys(name) })).filter(
        (f) => f.id === 'ike-no-child-sa',
      );
      assert.equal(found.length, 1, name);
      assert.match(found[0]!.message, new RegExp(`${why} in IKE_AUTH`));
      // Encrypted, the refusal cannot be seen: nothing is claimed.
      assert.ok(!ids(audit(`${name}.pcap`)).includes('ike-no-child-sa'), `${name} without keys`);
    }
    const child = audit('ike-v2-child.pcap', { options: withKeys('ike-v2-child') });
    assert.ok(!ids(child).includes('ike-no-child-sa'));
    const [sa] = ikeSas(child);
    const [c, rekey] = sa!.children as Record<string, unknown>[];
    // The child SA's SPIs are those the ESP packets carry, before and after the rekey, all decrypted.
    assert.equal(c!.mode, 'tunnel');
    assert.equal(c!.espPackets, 6);
    assert.equal(rekey!.exchange, 'CREATE_CHILD_SA');
    assert.equal(rekey!.rekeys, c!.initiatorSpi);
    assert.equal(rekey!.espPackets, 6);
    const esp = buildReport(child, []).esp[0]!;
    assert.deepEqual(
      (esp.spis as number[]).map((s) => s.toString(16)).sort(),
      [c!.initiatorSpi, c!.responderSpi, rekey!.initiatorSpi, rekey!.responderSpi].sort(),
    );
    assert.equal(
      (esp.sas as { decrypted: number }[]).reduce((n, s) => n + s.decrypted, 0),
      12,
    );
  },
);

test('ike-failed on AUTHENTICATION_FAILED needs the decrypted answer; transport mode asked is in the story', () => {
  const failed = evaluate(audit('ike-v2-auth-failed.pcap', { options: withKeys('ike-v2-auth-failed') })).filter(
    (f) => f.id === 'ike-failed',
  );
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.message, /AUTHENTICATION_FAILED in IKE_AUTH/);
  const [sa] = ikeSas(audit('ike-v2-auth-failed.pcap'));
  assert.equal(sa!.state, 'unknown');
  assert.match(sa!.why as string, /--ikev2-keys/);
  const [t] = ikeSas(audit('ike-v2-transport.pcap', { options: withKeys('ike-v2-transport') }));
  assert.equal((t!.children as { transportRequested: boolean }[])[0]!.transportRequested, true);
});

test(
  "an encrypted SA's mode is IKE's where IKE_AUTH was opened, unknown " + 'without the IKE keys, read where ESP was',
  () => {
    type Sa = { spi: number; mode: string; modeFrom?: string; decrypted: number };
    const sasOf = (t: TunnelTable) => {
      const esp = buildReport(t, []).esp[0]!;
      return { pair: esp.mode, sas: esp.sas as Sa[] };
    };
    const ikeKeysOnly = {
      ...DEFAULT_OPTIONS,
      sas: new SaDatabase(
        [],
        parseIkev2Keys(readFileSync(join(FIXTURES, 'ike-v2-child.ikev2-keys'), 'latin1'), 'ike-v2-child.ikev2-keys'),
      ),
    };
    const named = sasOf(audit('ike-v2-child.pcap', { options: ikeKeysOnly }));
    assert.equal(named.sas.length, 4);
    for (const sa of named.sas) {
      assert.equal(sa.decrypted, 0);
      assert.deepEqual([sa.mode, sa.modeFrom], ['tunnel', 'ike'], sa.spi.toString(16));
    }
    assert.equal(named.pair, 'tunnel');
    // Without the IKE keys the child SAs are not seen: nothing is guessed.
    const blind = sasOf(audit('ike-v2-child.pcap'));
    for (const sa of blind.sas) assert.deepEqual([sa.mode, sa.modeFrom], ['unknown', undefined]);
    assert.equal(blind.pair, undefined);
    // With the ESP keys too, the mode is read from what the packets carry.
    for (const sa of sasOf(audit('ike-v2-child.pcap', { options: withKeys('ike-v2-child') })).sas)
      assert.deepEqual([sa.mode, sa.modeFrom], ['tunnel', undefined]);
    // Transport mode negotiated (both sides said USE_TRANSPORT_MODE) is named as such, for its own SPIs only.
    const peers = new EspPeers(['198.18.0.1', '198.18.0.2']);
    const sa = new EspSa(0xc0ffee01, 'esp', '198.18.0.1', '198.18.0.2');
    const other = new EspSa(0xc0ffee02, 'esp', '198.18.0.1', '198.18.0.2');
    const record = audit('ike-v2-child.pcap', { options: ikeKeysOnly }).esp.values().next().value!.ikeLog.sas;
    const ike = structuredClone([...record.values()][0]!);
    ike.children = [{ ...ike.children[0]!, initiatorSpi: 'c0ffee01', responderSpi: 'c0ffee03', mode: 'transport' }];
    peers.ikeLog.sas.set(ike.ispi, ike);
    assert.equal(peers.saMode(sa), 'transport');
    assert.equal(peers.saMode(other), 'unknown');
  },
);

// Failures made by two charons (scripts/make-ike-fixtures.sh), each with its look-alike that came up.
test('ike-failed: the initiator refusing the responder AUTH (with keys), IKE_SA_INIT never answered', () => {
  const refused = audit('ike-v2-i-authfail.pcap', { options: withKeys('ike-v2-i-authfail') });
  const [sa] = ikeSas(refused);
  assert.equal(sa!.state, 'failed');
  assert.match(sa!.why as string, /AUTHENTICATION_FAILED from the initiator/);
  assert.deepEqual(
    evaluate(refused)
      .filter((f) => f.id.startsWith('ike-'))
      .map((f) => f.id),
    ['ike-failed'],
  );
  // Without the keys the INFORMATIONAL that followed at once may be that refusal: not "up".
  assert.equal(ikeSas(audit('ike-v2-i-authfail.pcap'))[0]!.state, 'unknown');
  // One INFORMATIONAL a second and more after IKE_AUTH: the SA lived (a delete).
  assert.equal(ikeSas(audit('ike-v2-invalid-ke.pcap'))[0]!.state, 'up');

  const silent = evaluate(audit('ike-v2-no-response.pcap')).filter((f) => f.id === 'ike-failed');
  assert.equal(silent.length, 1);
  assert.match(silent[0]!.message, /IKE_SA_INIT sent 4 times over 6 s, never answered/);
  // One request alone (no retransmission) says nothing; an answer with a zero SPI (INVALID_KE_PAYLOAD) is an answer.
  assert.equal(ikeSas(audit('ike-v2-no-response.pcap', { frames: [1, 1] }))[0]!.state, 'negotiating');
  assert.ok(
    !evaluate(audit('ike-v2-invalid-ke.pcap', { frames: [1, 3] })).some((f) => /never answered/.test(f.message)),
  );
});

test('IKEv1 with pre-shared keys that differ: failed where the stuck step was sent again; up when finished', () => {
  const why = (name: string) => evaluate(audit(name)).find((f) => f.id === 'ike-failed')?.message ?? '';
  assert.match(why('ike-v1-wrong-psk.pcap'), /fifth message \(the initiator's identity, encrypted\) sent 2 times/);
  assert.match(why('ike-v1-aggr-wrong-psk.pcap'), /second message sent 2 times, no third came/);
  // Sent once only (the capture cut after it): not yet a failure.
  for (const [name, frames] of [
    ['ike-v1-wrong-psk.pcap', [1, 6]],
    ['ike-v1-aggr-wrong-psk.pcap', [1, 3]],
  ] as const)
    assert.equal(ikeSas(audit(name, { frames: [...frames] }))[0]!.state, 'negotiating', name);
  for (const name of ['ike-v1-main.pcap', 'ike-v1-aggressive.pcap'])
    assert.equal(ikeSas(audit(name))[0]!.state, 'up', name);
});

test('ike-reflection: one SPI answered by six hosts to an address that sent none; not a scanner, not one-way', () => {
  const t = audit('ike-reflection.pcap');
  const findings = evaluate(t);
  const reflection = findings.filter((f) => f.id === 'ike-reflection');
  assert.equal(reflection.length, 1);
  assert.equal(
    reflection[0]!.message,
    '192.0.2.66 was sent 8 IKEv1 answers by 6 hosts, all to initiator SPI c9832c40b1d51852, and no request with it ' +
      'was sent in this capture',
  );
  // The reflectors' choices are not 192.0.2.66's: no other finding names it. Three hosts answering 192.0.2.67's one
  // SPI are too few to tell from chance: their SAs keep their findings.
  assert.ok(!findings.some((f) => f.id !== 'ike-reflection' && f.message.includes('192.0.2.66')));
  assert.equal(findings.filter((f) => f.id === 'ikev1').length, 3);
  const r = buildReport(t, findings);
  assert.deepEqual(r.ikeReflections, [
    {
      target: '192.0.2.66',
      initiatorSpis: ['c9832c40b1d51852'],
      spis: 1,
      versions: [1],
      responders: 6,
      answers: 8,
      firstSeen: 1767225600,
      lastSeen: 1767225600.07,
    },
  ]);
  const flagged = r.ike.flatMap((p) => p.sas as Record<string, unknown>[]).filter((sa) => sa.reflected);
  assert.equal(flagged.length, 6);
  assert.ok(flagged.every((sa) => sa.initiator === '192.0.2.66'));
  const text = reportText(r, { palette: null, files: ['ike-reflection.pcap'] });
  assert.match(text, /IKE reflection towards 192\.0\.2\.66: 8 answers from 6 hosts to initiator SPI c9832c40b1d51852/);
  assert.doesNotMatch(text, /IKE only 192\.0\.2\.66/);
  assert.match(text, /IKE only 192\.0\.2\.67 <-> 203\.0\.113\.10/);

  // Six hosts answering six SPIs of 192.0.2.68 (its requests not captured), and 192.0.2.69 sending one SPI to six
  // hosts itself: negotiations, each with its findings.
  const lookalike = evaluate(audit('ike-reflection-lookalike.pcap'));
  assert.ok(!lookalike.some((f) => f.id === 'ike-reflection'));
  assert.equal(lookalike.filter((f) => f.id === 'ikev1').length, 12);
  assert.equal(buildReport(audit('ike-reflection-lookalike.pcap'), lookalike).ikeReflections, undefined);
});

/** The audit of IKE messages made here: [source, destination, ISAKMP message], one a second. */
function auditMessages(messages: [string, string, Uint8Array][]): TunnelTable {
  const engine = new Engine();
  const table = new TunnelTable();
  messages.forEach(([src, dst, message], i) => {
    const data = b.eth(b.ipv4(b.udp(message, { srcPort: 500, dstPort: 500 }), { src, dst, proto: 17 }), {
      type: 0x0800,
    });
    table.observe(engine.dissect({ ...frameOf(data), tsSec: 1767225600 + i }));
  });
  return table;
}

/** charon's main mode offer and answer (ike-v1-main.pcap), under other cookies. */
function mainMode(): { offer: (ispi: string) => Uint8Array; answer: (ispi: string, rspi: string) => Uint8Array } {
  const src = openCapture(join(FIXTURES, 'ike-v1-main.pcap'));
  const payloads: Uint8Array[] = [];
  try {
    while (payloads.length < 2 && src.next()) {
      const f = src.frame;
      payloads.push(f.data.slice(f.off + 14 + 20 + 8, f.off + f.caplen));
    }
  } finally {
    src.close();
  }
  const withCookies = (m: Uint8Array, ispi: string, rspi: string) => {
    const out = m.slice();
    out.set(Buffer.from(ispi + rspi, 'hex'));
    return out;
  };
  return {
    offer: (ispi) => withCookies(payloads[0]!, ispi, '0000000000000000'),
    answer: (ispi, rspi) => withCookies(payloads[1]!, ispi, rspi),
  };
}

test('ike-reflection: a long flood, refusals, the target answering, several SPIs, the requests behind a NAT', () => {
  const mm = mainMode();
  const spi = 'c9832c40b1d51852';
  const reflectors = [10, 11, 12, 13, 14, 15].map((n) => `198.51.100.${n}`);
  const rspi = (i: number) => `${(0xa0 + i).toString(16)}`.repeat(8);
  const reflections = (t: TunnelTable) => evaluate(t).filter((f) => f.id === 'ike-reflection');
  const only = (t: TunnelTable) => [...new Set(evaluate(t).map((f) => f.id))];

  // Thirty answers from each reflector: more than an SA's story keeps.
  const flood = reflectors.flatMap((r, i) =>
    Array.from({ length: 30 }, () => [r, '192.0.2.66', mm.answer(spi, rspi(i))] as [string, string, Uint8Array]),
  );
  assert.match(reflections(auditMessages(flood))[0]!.message, /was sent 180 IKEv1 answers by 6 hosts/);
  assert.deepEqual(only(auditMessages(flood)), ['ike-reflection']);

  // The target refusing each answer (an Informational) sends no request; a reflector refusing the forged offer
  // (NO-PROPOSAL-CHOSEN, RFC 2408 3.14.1) is a responder.
  const informational = (ispi: string, r: string, notify: number) => {
    const m = new Uint8Array(28 + 12);
    m.set(Buffer.from(ispi + r, 'hex'));
    m[16] = 11; // Notification
    m[17] = 0x10; // version 1.0
    m[18] = 5; // Informational
    new DataView(m.buffer).setUint32(24, m.length);
    m.set([0, 0, 0, 12, 0, 0, 0, 1, 1, 0, notify >> 8, notify & 0xff], 28);
    return m;
  };
  const refused = reflectors.flatMap((r, i): [string, string, Uint8Array][] => [
    [r, '192.0.2.66', i < 4 ? mm.answer(spi, rspi(i)) : informational(spi, rspi(i), 14)],
    ['192.0.2.66', r, informational(spi, rspi(i), 4)], // INVALID-COOKIE
  ]);
  assert.match(reflections(auditMessages(refused))[0]!.message, /was sent 6 IKEv1 answers by 6 hosts/);
  assert.deepEqual(only(auditMessages(refused)), ['ike-reflection']);

  // Two SPIs against one target: one finding, one line.
  const spi2 = '0badc0de0badc0de';
  const two = auditMessages(
    reflectors.flatMap((r, i): [string, string, Uint8Array][] => [
      [r, '192.0.2.66', mm.answer(spi, rspi(i))],
      [r.replace('198.51.100', '203.0.113'), '192.0.2.66', mm.answer(spi2, rspi(i))],
    ]),
  );
  assert.equal(reflections(two).length, 1);
  assert.match(
    reflections(two)[0]!.message,
    /by 12 hosts, all to 2 initiator SPIs \(c9832c40b1d51852, 0badc0de0badc0de\)/,
  );
  assert.equal(buildReport(two, []).ikeReflections!.length, 1);

  // The requests, with the same SPI, from the address a NAT translated: a scanner, not a reflection.
  const nat = auditMessages(
    reflectors.flatMap((r, i): [string, string, Uint8Array][] => [
      ['198.18.0.5', r, mm.offer(spi)],
      [r, '192.0.2.80', mm.answer(spi, rspi(i))],
    ]),
  );
  assert.deepEqual(reflections(nat), []);
});

test("a child SA whose answer stays encrypted (keys for the initiator's side only) is answered, not unanswered", () => {
  const table = readFileSync(join(FIXTURES, 'ike-v2-child.ikev2-keys'), 'latin1');
  const [ispi, rspi, ei, , , ai] = table
    .split('\n')
    .find((l) => l && !l.startsWith('#'))!
    .split(',');
  const text = `I 0x${ispi} 0x${rspi} sha256:0x${ai} aes128:0x${ei}`;
  const keys = ikev2KeysFromTcpdump([{ text, origin: 'I' }]);
  const t = audit('ike-v2-child.pcap', { options: { ...DEFAULT_OPTIONS, sas: new SaDatabase([], keys) } });
  const children = ikeSas(t)[0]!.children as Record<string, unknown>[];
  assert.deepEqual(
    children.map((c) => [c.exchange, c.answer, c.responderSpi]),
    [
      ['IKE_AUTH', 'encrypted', null],
      ['CREATE_CHILD_SA', 'encrypted', null],
    ],
  );
  // With both sides' keys the answers are read.
  const both = audit('ike-v2-child.pcap', {
    options: { ...DEFAULT_OPTIONS, sas: new SaDatabase([], parseIkev2Keys(table, 'k')) },
  });
  assert.ok((ikeSas(both)[0]!.children as Record<string, unknown>[]).every((c) => c.answer === undefined));
});
