import type { Layer } from '../dissect/packet.js';
import { ethernetUnicastMac } from '../dissect/ethernet.js';
import { read, type Plain } from './state.js';

/** Inner unicast MACs kept per direction of a gretap tunnel: a mirror shows in far fewer, and a flood stops here. */
const MAX_MACS = 256;

/**
 * The inner unicast Ethernet addresses one direction of a gretap tunnel
 * carried, as sources and as destinations. A real L2 tunnel carries frames
 * from the hosts behind the sender to hosts behind the receiver: a host's MAC
 * is a source in one direction and a destination in the other. Mirrored
 * copies (VMware-style "ERSPAN" over plain gretap, Linux tc mirred to a
 * gretap) carry both directions of each conversation the one way they go:
 * the same MACs are sources and destinations in one direction.
 */
export class InnerMacs {
  /** MACs folded to 30 bits (small integers: no allocation per frame); a rare collision only adds a MAC. */
  readonly sources = new Set<number>();
  readonly destinations = new Set<number>();

  /** The inner Ethernet header at l. */
  note(l: Layer): void {
    const dst = ethernetUnicastMac(l, 0);
    const src = ethernetUnicastMac(l, 1);
    if (dst >= 0 && this.destinations.size < MAX_MACS) this.destinations.add(dst);
    if (src >= 0 && this.sources.size < MAX_MACS) this.sources.add(src);
  }

  absorb(later: InnerMacs): void {
    for (const m of later.sources) if (this.sources.size < MAX_MACS) this.sources.add(m);
    for (const m of later.destinations) if (this.destinations.size < MAX_MACS) this.destinations.add(m);
  }

  toState(): Plain {
    return { sources: [...this.sources], destinations: [...this.destinations] };
  }

  static fromState(v: unknown, at: string): InnerMacs {
    const o = read.obj(v, at);
    const m = new InnerMacs();
    const mac = (x: unknown, a: string) => read.int(x, a, 0, 0x3fffffff);
    for (const x of read.set(o.sources, `${at}.sources`, MAX_MACS, mac)) m.sources.add(x);
    for (const x of read.set(o.destinations, `${at}.destinations`, MAX_MACS, mac)) m.destinations.add(x);
    return m;
  }
}

/**
 * Why the gretap tunnels between one pair of endpoints (one per key) carry
 * mirrored traffic, or null: they go one way only, and at least two inner
 * MACs, at least half of those seen, are both sources and destinations in
 * that direction. One direction of a real tunnel captured alone has (short
 * of the odd flooded frame) none.
 */
export function mirrorEvidence(
  pair: readonly {
    endpoints: readonly [string, string];
    directions: readonly { packets: number; macs: InnerMacs | null }[];
  }[],
): string | null {
  const used = [0, 1].filter((d) => pair.some((t) => t.directions[d]!.packets > 0));
  if (used.length !== 1) return null;
  const d = used[0]!;
  const sources = new Set<number>();
  const destinations = new Set<number>();
  for (const t of pair) {
    const m = t.directions[d]!.macs;
    if (!m) continue;
    for (const x of m.sources) sources.add(x);
    for (const x of m.destinations) destinations.add(x);
  }
  const both = [...sources].filter((x) => destinations.has(x)).length;
  const all = new Set([...sources, ...destinations]).size;
  if (both < 2 || both * 2 < all) return null;
  const [from, to] = d === 0 ? pair[0]!.endpoints : [pair[0]!.endpoints[1], pair[0]!.endpoints[0]];
  return (
    `one way only (${from} -> ${to}), and ${both} of its ${all} inner ` +
    `unicast MACs are both sources and destinations in that direction: ` +
    `both sides of each conversation, copied`
  );
}
