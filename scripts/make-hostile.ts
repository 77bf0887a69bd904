/**
 * Writes the large adversarial captures described in fixtures/hostile/README.md
 * (the tests build small ones in memory with the same builders):
 *
 *   node dist/scripts/make-hostile.js KIND PACKETS OUT.pcap
 *
 * KIND: hash-flood (one tunnel a packet, all colliding in an unkeyed hash),
 * many-keys (one tunnel a packet, distinct GRE keys), ospf-crowd (256 OSPF
 * routers in one tunnel, each with its own hello interval), tiny-fragments
 * (one-byte IPv4 fragments of a few datagrams).
 */
import { PcapWriter } from '../src/capture/pcap-writer.js';
import * as h from '../test/support/hostile.js';

export const HOSTILE_KINDS: Record<string, (i: number) => Uint8Array> = {
  'hash-flood': h.hashFloodPacket,
  'many-keys': h.oneShotTunnelPacket,
  'ospf-crowd': (i) => h.ospfCrowdPacket(i, 256),
  'tiny-fragments': (i) => h.tinyFragmentPacket(i, i >> 13),
};

/** Writes `packets` packets of `kind`, one a millisecond. */
export function writeHostile(kind: string, packets: number, out: string): void {
  const make = HOSTILE_KINDS[kind];
  if (!make) throw new Error(`unknown kind ${kind}: one of ${Object.keys(HOSTILE_KINDS).join(', ')}`);
  const w = new PcapWriter(out);
  for (let i = 0; i < packets; i++) w.write(1767225600 + Math.floor(i / 1000), (i % 1000) * 1_000_000, make(i));
  w.close();
}

if (process.argv[1]?.endsWith('make-hostile.js')) {
  const [kind, n, out] = process.argv.slice(2);
  if (!kind || !n || !out) {
    process.stderr.write('usage: node dist/scripts/make-hostile.js KIND PACKETS OUT.pcap\n');
    process.exit(2);
  }
  writeHostile(kind, Number(n), out);
}
