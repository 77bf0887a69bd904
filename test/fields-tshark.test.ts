import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { protocolCatalogue } from '../src/dissect/field-index.js';
import { BIN, CORPUS, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

const run = promisify(execFile);

/**
 * Every declared field (the catalogue, less the protocols' presence fields)
 * against tshark's own, frame by frame, as both print them with
 * `-T fields -E occurrence=a`: same values, same formats, same occurrences
 * in the same order. One gredump and one tshark process a capture, each
 * given every field at once; two captures at a time.
 */

/** Corpus captures (../shared/corpus) that carry the protocols declared here, a few of each. */
const CORPUS_FILES = [
  // icmp, icmpv6 (errors quoting packets, echo, ND)
  'arkime/arkime_synthetic.pcap', 'arkime/v6.pcap', 'zeek/tunnels__ping6-in-ipv4.pcap',
  'tcpdump/PIM_register_register-stop.pcap', 'tcpdump/erspan-type-i-1.pcap', 'ndpi/6in4tunnel.pcap',
  // ospf v2 and v3
  'arkime/ospf.pcap', 'ndpi/ospfv2_add_new_prefix.pcap', 'tcpdump/OSPFv3_broadcast_adjacency.pcap',
  // mpls, erspan, arp, vxlan, geneve
  'arkime/mpls-basic.pcap', 'tcpdump/mpls-over-udp.pcap', 'tcpdump/lspping-fec-ldp.pcap',
  'arkime/gre-erspan-vxlan.pcap', 'suricata-verify/decode-erspan-typeII-01__input.pcap', 'tcpdump/erspan-type-ii-3.pcap',
  'zeek/erspan.pcap', 'suricata-verify/decode-arp-3__arp-encap.pcap', 'tcpdump/802.1ad_QinQ.pcap',
  'zeek/tunnels__vxlan-encapsulated-igmp-v2.pcap', 'suricata-verify/bug-6402-01__input.pcap',
  // rip, ripng, eigrp, pim, igmp, vrrp
  'tcpdump/ripv1v2.pcap', 'tcpdump/ripv2_auth.pcap', 'tcpdump/hoobr_ripng_print.pcap',
  'tcpdump/EIGRP_adjacency.pcap', 'tcpdump/EIGRP_ipv6.pcap', 'arkime/pim.pcap', 'tcpdump/PIMv2_bootstrap.pcap',
  'arkime/igmp.pcap', 'tcpdump/IGMP_V2.pcap', 'tcpdump/vrrp.pcap', 'ndpi/vrrp3.pcapng',
  // sll, ppp
  'zeek/linux_dlt_sll2.pcap', 'zeek/linuxsll-arp.pcap', 'ndpi/gre.pcapng', 'tcpdump/mpls-ldp-hello.pcap',
];

/**
 * Real differences from tshark: a field (and optionally a capture) whose
 * columns may differ, and why. Anything else that differs fails.
 */
const KNOWN: { field: string; file?: string; why: string }[] = [];

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** Every declared field but the presence ones (`gre`), frame's first. */
function declaredFields(): string[] {
  const out: string[] = [];
  for (const p of protocolCatalogue().values()) for (const f of p.fields) if (f.type !== 'protocol') out.push(f.name);
  return out;
}

const lines = (s: string): string[] => {
  const a = s.split('\n');
  if (a.at(-1) === '') a.pop();
  return a;
};

async function tsharkColumns(file: string, names: string[]): Promise<string[][]> {
  // gredump always looks for NULL-encrypted ESP; tshark does when asked.
  const args = ['-n', '-r', file, '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-T', 'fields', '-E', 'occurrence=a', '-e', 'frame.encap_type'];
  for (const n of names) args.push('-e', n);
  const { stdout } = await run('tshark', args, { maxBuffer: 512 * 1024 * 1024 });
  // The first column tells packets from the pcapng blocks tshark shows as frames too.
  return lines(stdout).map((l) => l.split('\t')).filter((c) => c[0] !== '').map((c) => c.slice(1));
}

async function ourColumns(file: string, names: string[]): Promise<string[][]> {
  const args = [BIN, '-r', file, '-T', 'fields', '-E', 'occurrence=a'];
  for (const n of names) args.push('-e', n);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 512 * 1024 * 1024 });
  return lines(stdout).map((l) => l.split('\t'));
}

const haveTshark = tsharkAvailable();
const files = [...captures(FIXTURES), ...CORPUS_FILES.map((f) => join(CORPUS, f)).filter(existsSync)];

test('declared fields agree with tshark -T fields, frame by frame', { skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)' }, async () => {
  if (!existsSync(CORPUS)) console.log('# ../shared/corpus not found: comparing fixtures/ only');
  const names = declaredFields();
  const failures: string[] = [];
  const used = new Set<(typeof KNOWN)[number]>();
  const seen = new Map<string, number>();
  let frames = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const name = file.startsWith(CORPUS) ? relative(CORPUS, file) : relative(FIXTURES, file);
      const theirs = await tsharkColumns(file, names);
      const ours = await ourColumns(file, names);
      if (theirs.length !== ours.length) failures.push(`${name}: tshark shows ${theirs.length} frames, we ${ours.length}`);
      const n = Math.min(theirs.length, ours.length);
      frames += n;
      const differ = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        names.forEach((field, j) => {
          const a = theirs[i]![j] ?? '';
          const b = ours[i]![j] ?? '';
          if (a !== '') seen.set(field, (seen.get(field) ?? 0) + 1);
          if (a === b) return;
          const known = KNOWN.find((k) => k.field === field && (k.file === undefined || k.file === name));
          if (known) used.add(known);
          else if (!differ.has(field)) differ.set(field, `${name} frame ${i + 1} ${field}: tshark "${a}", we "${b}"`);
        });
      }
      failures.push(...differ.values());
    }
  };
  await Promise.all([worker(), worker()]);
  const never = names.filter((f) => !seen.has(f));
  console.log(`# ${files.length} captures, ${frames} frames, ${names.length} fields (${names.length - never.length} seen in tshark's output)`);
  if (never.length) console.log(`# fields no capture shows: ${never.join(' ')}`);
  for (const k of KNOWN) if (!used.has(k)) console.log(`# known difference not seen: ${k.field} ${k.file ?? ''}`);
  assert.deepEqual(failures, []);
});
