import { appendedTitle, type Field, type FieldSpec, Values, visitText } from './field.js';
import type { Layer } from './packet.js';
import {
  FRAGMENT_ERRORS,
  FRAGMENT_MULTIPLE_TAILS,
  FRAGMENT_OVERLAP,
  FRAGMENT_OVERLAP_CONFLICT,
  FRAGMENT_TOO_LONG,
  type Reassembled,
} from './reassembly.js';

/**
 * What an IPv4 or IPv6 datagram put together from fragments tells, as Wireshark's reassembly draws it (its
 * show_fragment_tree) at the end of the IP layer's tree, on the frame that completed it:
 *
 *     [2 IPv4 Fragments (1440 bytes): #1(1000), #2(440)]
 *         [Frame: 1, payload: 0-999 (1000 bytes)]
 *         [Frame: 2, payload: 1000-1439 (440 bytes)]
 *         [Fragment count: 2]
 *         [Reassembled IPv4 length: 1440]
 *         [Reassembled IPv4 data: a000080057f8…]
 *
 * A fragment that overlaps another, runs past the end or is a second last fragment has its flags drawn under it,
 * and is then a `.fragment.error` rather than a `.fragment`. `Reassembled IPv4 in frame` (ip.reassembled_in,
 * ipv6.reassembled.in) is not declared: tshark draws it on the other fragments only when it reads a capture twice
 * (-2), which gredump does not.
 */

/** The names and labels of one family's items: `ip` and `IPv4`, or `ipv6` and `IPv6`. */
interface Family {
  abbrev: 'ip' | 'ipv6';
  version: 'IPv4' | 'IPv6';
  /** The layer's datagram when it was put together in this packet, else null. */
  datagram: (l: Layer) => Reassembled | null;
}

/** The flags drawn under a fragment, in tshark's order, by the names of their fields after `<abbrev>.fragment.`. */
const FLAGS: readonly (readonly [number, string, string])[] = [
  [FRAGMENT_OVERLAP, 'overlap', 'Fragment overlap'],
  [FRAGMENT_OVERLAP_CONFLICT, 'overlap.conflict', 'Conflicting data in fragment overlap'],
  [FRAGMENT_MULTIPLE_TAILS, 'multipletails', 'Multiple tail fragments found'],
  [FRAGMENT_TOO_LONG, 'toolongfragment', 'Fragment too long'],
];

/** Where a fragment's bytes lie in the datagram (those past its end are left out of it). */
const bytesIn = (data: Uint8Array, off: number, len: number) => Math.max(0, Math.min(len, data.length - off));

/** The fields of one family's reassembly, each read from the datagram the layer put together. */
export function reassemblyFields({ abbrev, version, datagram }: Family): FieldSpec[] {
  /** A generated item read from the layer's datagram, where it put one together. */
  const generated = (
    name: string,
    label: string,
    type: 'uint' | 'bool' | 'bytes' | 'none',
    read: (d: Reassembled, v: Values) => void,
  ): FieldSpec => ({
    name: `${abbrev}.${name}`,
    label,
    type,
    bits: type === 'uint' ? 32 : 0,
    generated: true,
    read: (l, v) => {
      const d = datagram(l);
      if (d !== null) read(d, v);
    },
  });
  /** The frames of the fragments with (errors true) or without error flags. */
  const frames = (errors: boolean) => (d: Reassembled, v: Values) => {
    for (const f of d.fragments) {
      if (((f.flags & FRAGMENT_ERRORS) !== 0) === errors) v.num(f.frame, d.data, f.off, bytesIn(d.data, f.off, f.len));
    }
  };
  const payload = (d: Reassembled, v: Values) => v.bytes(d.data, 0, d.data.length);
  return [
    // IPv4 registers the item as bytes (its value the payload), IPv6 as a mark.
    generated('fragments', `${version} Fragments`, abbrev === 'ip' ? 'bytes' : 'none', payload),
    generated('fragment', `${version} Fragment`, 'uint', frames(false)),
    ...FLAGS.map(([flag, name, label]) =>
      generated(`fragment.${name}`, label, 'bool', (d, v) => {
        for (const f of d.fragments) if (f.flags & flag) v.num(1, d.data, 0, 0);
      }),
    ),
    generated('fragment.error', 'Defragmentation error', 'uint', frames(true)),
    generated('fragment.count', 'Fragment count', 'uint', (d, v) => v.num(d.fragments.length, d.data, 0, 0)),
    generated('reassembled.length', `Reassembled ${version} length`, 'uint', (d, v) =>
      v.num(d.data.length, d.data, 0, 0),
    ),
    generated('reassembled.data', `Reassembled ${version} data`, 'bytes', payload),
  ];
}

const flagValue = new Values();

/**
 * Draws the reassembly's subtree at depth 1 of the IP layer's tree, from `fields` (reassemblyFields', declared):
 * nothing where the layer put no datagram together.
 */
export function drawReassembly(
  l: Layer,
  { abbrev, version, datagram }: Family,
  fields: readonly Field[],
  show: (f: Field, depth: number) => void,
  visit: (f: Field, v: Values, depth: number) => void,
): void {
  const d = datagram(l);
  if (d === null) return;
  const named = (name: string) => fields.find((f) => f.name === `${abbrev}.${name}`)!;
  const count = d.fragments.length;
  const size = d.data.length;
  let title = `${count} ${version} ${count === 1 ? 'Fragment' : 'Fragments'} (${size} byte${size === 1 ? '' : 's'}): `;
  title += d.fragments.map((f) => `#${f.frame}(${f.len})`).join(', ');
  visitText(visit, appendedTitle(title), d.data, 0, size, 1, true);
  for (const f of d.fragments) {
    const text =
      f.len === 0
        ? `Frame: ${f.frame} (no data)`
        : `Frame: ${f.frame}, payload: ${f.off}-${f.off + f.len - 1} (${f.len} byte${f.len === 1 ? '' : 's'})`;
    visitText(visit, text, d.data, f.off, bytesIn(d.data, f.off, f.len), 2, true);
    for (const [flag, name] of FLAGS) {
      if ((f.flags & flag) === 0) continue;
      flagValue.n = 0;
      flagValue.num(1, d.data, 0, 0);
      visit(named(`fragment.${name}`), flagValue, 3);
    }
  }
  for (const name of ['fragment.count', 'reassembled.length', 'reassembled.data']) show(named(name), 2);
}
