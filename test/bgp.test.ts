import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { Engine } from '../src/dissect/engine.js';
import { eth, ipv4, tcp } from './support/builder.js';
import { frameOf } from './support/frames.js';
import { checkFields, checkJsonMembers } from './support/fuzz.js';
import { BIN, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';
import { linesByFrame, mutatedCapture } from './support/tshark-mutations.js';

const run = promisify(execFile);
const haveTshark = tsharkAvailable();
const BGP = join(FIXTURES, 'bgp.pcap');

const gredump = async (args: string[]) =>
  (await run(process.execPath, [BIN, '-r', BGP, ...args], { maxBuffer: 64 << 20 })).stdout;
// Without TCP reassembly, as gredump reads BGP.
const tshark = async (args: string[]) =>
  (await run('tshark', ['-n', '-r', BGP, '-o', 'bgp.desegment:FALSE', ...args], { maxBuffer: 64 << 20 })).stdout;
const frames = (text: string) => text.split('\n').filter(Boolean).map(Number);

/** The frames of bgp.pcap (scripts/make-protocol-fixtures.py: an iBGP session inside GRE) each filter picks. */
const PICKED: [string, number[]][] = [
  ['bgp.type == 1', [4, 5, 25, 37]],
  ['bgp.open.myas == 23456 && bgp.cap.4as == 4200000001', [5]],
  ['bgp.cap.gr.timers.restart_time == 120 && bgp.cap.gr.flag.pfs', [4]],
  ['bgp.cap.orf.fqdn.hostname == "spoke"', [4]],
  // Two KEEPALIVEs in one segment; one after a continuation.
  ['bgp.type == 4', [6, 7, 16]],
  ['bgp.continuation', [15, 16]],
  ['bgp.nlri_prefix == 10.255.0.7 && bgp.prefix_length == 32', [8]],
  // tshark's guesses: ADD-PATH's path identifiers, and 2-octet AS numbers in an AS_PATH.
  ['bgp.nlri_path_id == 2', [9]],
  ['bgp.update.path_attribute.as_path_segment.as2 == 65020', [9]],
  ['bgp.update.path_attribute.community_wellknown == 0xffffff01', [8]],
  ['bgp.withdrawn_prefix == 192.168.128.0', [10]],
  ['bgp.mp_reach_nlri_ipv6_prefix == 2001:db8:20:1:: && bgp.mp_unreach_nlri_ipv6_prefix == 2001:db8:30::', [11]],
  ['bgp.update.path_attributes.length == 0 && bgp.update.withdrawn_routes.length == 0', [12, 35]],
  ['bgp.route_refresh.safi == 1', [13]],
  ['bgp.notify.error_open.bad_peer_as == 65001', [17]],
  ['bgp.notify.major_error == 4', [18]],
  ['bgp.notify.communication == "maintenance 7"', [19]],
  ['bgp.notify.minor_error_cease == 4', [20]],
  // A length under the header's: the segment's protocol, no BGP item.
  ['tcp.len == 19 && !bgp', [21]],
  ['bgp.type == 7', [22]],
  ['bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local == fe80::1', [24]],
  ['bgp.mp_unreach_nlri_ipv4_prefix == 10.60.0.0 && bgp.update.path_attribute.mp_reach_nlri.snpa == ab:cd', [23]],
  ['bgp.open.opt.param.auth == 01:02:03', [25]],
  ['bgp.notify.minor_error_unknown == 1', [30]],
  // An unsupported capability's NOTIFICATION lists the capability, as an OPEN does.
  ['bgp.notify.minor_error_open == 7 && bgp.cap.ap.sendreceive == 3', [31]],
  // Odd ones, as tshark reads them: path identifiers in withdrawn routes, confederations, large communities, a type
  // neither knows, a bad peer AS of 5 bytes (its first 4 read).
  ['bgp.nlri_path_id == 7 && bgp.withdrawn_prefix == 10.9.9.0', [32]],
  ['bgp.update.path_attribute.as_path_segment.type == 3 && bgp.large_communities.ga == 4200000001', [33]],
  ['bgp.update.path_attributes.unknown', [33]],
  ['bgp.notify.error_open.bad_peer_as == 65000', [38]],
  // Extended communities: a route target by its name, the tunnel's encapsulation (GRE), a link bandwidth (a float).
  ['bgp.ext_com.stype_tr_as2 == "Route Target" && bgp.ext_com.value_an4 == 100', [41, 42, 43]],
  ['bgp.ext_com.tunnel_type == 2 && bgp.ext_com.value_link_bw > 1e8 && bgp.ext_com.value_link_bw < 1.3e8', [41]],
  // A route's tunnels (TUNNEL_ENCAPSULATION): GRE by its key, VXLAN by its VNI, an SR policy's name; a segment list
  // of no length, whose sub-TLVs tshark reads on from the next bytes; an UPDATE cut inside the attribute, whose
  // tunnels tshark does not draw (their titles' bytes are not all there).
  ['bgp.update.encaps_tunnel_tlv_type == 2 && bgp.update.encaps_tunnel_tlv_subtlv_gre_key == 1003', [44]],
  [
    'bgp.update.encaps_tunnel_tlv_subtlv.vxlan.vnid == 5001 && ' +
      'bgp.update.encaps_tunnel_tlv_subtlv.vxlan.flags.valid_mac',
    [44],
  ],
  ['bgp.update.encaps_tunnel_tlv_subtlv.policy_name.name == "gre-policy"', [44]],
  ['bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv', [44, 47]],
  ['bgp.update.path_attribute.type_code == 23 && !bgp.update.encaps_tunnel_tlv_type', [48]],
  // A customer's attributes carried across the provider (ATTR_SET), one set in another.
  ['bgp.update.path_attribute.attr_set.origin_as == 65002 && bgp.update.path_attribute.multi_exit_disc == 7', [44]],
];

test('BGP: each filter finds the messages of a session built to show it, as tshark without reassembly', async () => {
  for (const [filter, expected] of PICKED) {
    const ours = frames(await gredump(['-Y', filter, '-T', 'fields', '-e', 'frame.number']));
    assert.deepEqual(ours, expected, filter);
    if (haveTshark) assert.deepEqual(frames(await tshark(['-Y', filter, '-T', 'fields', '-e', 'frame.number'])), ours);
  }
});

test('BGP: text lines name each message, an OPEN its speaker and a NOTIFICATION its error', async () => {
  const lines = (await gredump([])).split('\n');
  assert.match(lines[3]!, /TCP 40179 > 179 \[PA\] length 107 BGP OPEN as 65000 hold 180 id 10\.0\.0\.2$/);
  assert.match(lines[6]!, /length 38 BGP KEEPALIVE BGP KEEPALIVE$/);
  assert.match(lines[18]!, /BGP NOTIFICATION Cease subcode 2$/);
  // A message split over segments is no fault of the packet's: a warning, not malformed (the audit counts none).
  assert.match(lines[13]!, /BGP UPDATE \[bgp-continues: BGP message of 119 bytes continues in the next segment/);
  assert.match(lines[20]!, /BGP \[bad-length: bgp length field says 12/);
});

test('hostile BGP messages (any lengths, types, parameters, attributes, prefixes) never break the dissector', {
  timeout: 60_000,
}, () => {
  const engine = new Engine();
  const marker = new Uint8Array(16).fill(0xff);
  // A message of any type and length field, then bytes that are half the time near what a body holds.
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    fc.array(fc.constantFrom(0, 1, 2, 3, 4, 14, 15, 16, 23, 32, 64, 65, 128, 0x40, 0x50, 0x90, 0xc0, 0xff), {
      maxLength: 120,
    }),
  );
  const message = fc.record({
    type: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 255 })),
    length: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 0xffff })),
    body,
  });
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), fc.nat({ max: 20 }), (messages, skip) => {
      const parts: number[] = [];
      for (const m of messages) {
        const length = m.length < 0 ? 19 + m.body.length : m.length;
        parts.push(...marker, length >> 8, length & 0xff, m.type, ...m.body);
      }
      const payload = new Uint8Array(parts.slice(skip));
      const segment = tcp(payload, { srcPort: 179, dstPort: 40179, seq: 1, ack: 1, flags: 0x18 });
      const ip = ipv4(segment, { src: '10.0.0.1', dst: '10.0.0.2', proto: 6 });
      const ctx = engine.dissect(frameOf(eth(ip, { type: 0x0800 })));
      assert.equal(ctx.lastError, null);
      checkFields(ctx);
      checkJsonMembers(ctx);
    }),
    { numRuns: 1500 },
  );
});

test('the audit takes a BGP length under the header for malformed, not a message split over segments', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'audit', BGP, '--json'], { maxBuffer: 16 << 20 });
  const report = JSON.parse(stdout) as { malformed: number; findings: { id: string; message: string }[] };
  // Frame 21 (a length of 12) is; frame 14 (the first part of a message the next segment ends) is not.
  assert.equal(report.malformed, 1);
  const malformed = report.findings.find((f) => f.id === 'malformed-gre');
  assert.equal(malformed?.message, 'gre 192.0.2.1 <-> 198.51.100.2: 1 packet could not be fully read (bad-length)');
  // Each packet counts once among what the tunnel carries, though one holds two messages.
  const tunnel = JSON.parse(stdout).tunnels[0] as { packets: number; inner: Record<string, number> };
  assert.deepEqual(tunnel.inner, { ipv4: 48, tcp: 48, bgp: 45 });
});

/** tshark's line of an attribute type it reads and gredump does not (README: SSA, PMSI, AIGP, Prefix-SID...). */
const UNREAD_ATTRIBUTE = /^ *Type Code: .*\((19|22|26|29|33|36|40|99)\)$/;

test("BGP: 500 mutations of the tunnels' UPDATEs, some cut by the capture, read line for line as tshark reads them", {
  skip: haveTshark ? false : 'tshark is not installed',
  timeout: 300_000,
}, async () => {
  // Frames 44 to 47 of bgp.pcap: TUNNEL_ENCAPSULATION, ATTR_SET, lengths read past; their path attributes mutated.
  const mutated = mutatedCapture(
    readFileSync(BGP),
    (frame) => frame >= 44 && frame <= 47,
    500,
    7,
    (data) => data.indexOf(Buffer.alloc(16, 0xff)) + 23,
  );
  const dir = mkdtempSync(join(tmpdir(), 'gredump-bgp-'));
  try {
    const path = join(dir, 'mutated.pcap');
    writeFileSync(path, mutated);
    // tshark's stream analysis would take the repeated segments for retransmissions and hand them to no protocol.
    const options = ['-o', 'bgp.desegment:FALSE', '-o', 'tcp.analyze_sequence_numbers:FALSE'];
    const bgp = (text: string) => linesByFrame(text, ['Border Gateway Protocol']);
    const theirs = bgp((await run('tshark', ['-n', '-r', path, '-V', ...options], { maxBuffer: 256 << 20 })).stdout);
    const ours = bgp((await run(process.execPath, [BIN, '-r', path, '-V'], { maxBuffer: 256 << 20 })).stdout);
    assert.equal(theirs.size, 500);
    let compared = 0;
    for (const [frame, lines] of theirs) {
      const mine = ours.get(frame) ?? [];
      // Left out: a frame a mutation gave what gredump does not read (README), an attribute or an extended community.
      if (lines.some((l) => UNREAD_ATTRIBUTE.test(l)) || mine.some((l) => /^ *Unknown type 0x/.test(l))) continue;
      assert.deepEqual(mine, lines, `frame ${frame}`);
      compared++;
    }
    assert.ok(compared >= 450, `${compared} frames compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
