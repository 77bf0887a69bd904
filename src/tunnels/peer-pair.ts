import type { Layer } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { ipv4Dst, ipv4Src } from '../dissect/ipv4.js';
import { addressText } from './addresses.js';

interface Known<T> {
  value: T;
  /** The pair's first address as a number: a packet from it goes in direction 0. */
  num0: number;
}

/**
 * IPsec peer pairs: the two addresses of a network layer as text, lower
 * first, named `first|second`. IPv4 pairs seen before are found by their
 * addresses as numbers: every packet of an IPsec capture asks, and only a
 * new pair makes text. What a pair stands for is the caller's: known()
 * finds it, or names the new pair for the caller to remember() what it made.
 * (Plain data, no functions: tables are cloned across threads.)
 */
export class PeerPairs<T> {
  private readonly byNumber = new Map<number, Map<number, Known<T>>>();
  private count = 0;
  /** Set by known(): 0 when the packet went from the pair's first address, 1 otherwise. */
  direction: 0 | 1 = 0;
  /** Set by known() when it found nothing: the new pair's addresses and name. */
  first = '';
  second = '';
  key = '';
  /** The new pair's numbers (IPv4), for remember(); lo < 0 for IPv6. */
  private lo = -1;
  private hi = -1;
  private num0 = -1;

  /** `most`: IPv4 pairs remembered by number before they are all forgotten (found again as packets come). */
  constructor(private readonly most = Infinity) {}

  known(net: Layer): T | undefined {
    this.lo = -1;
    let a = 0;
    let b = 0;
    if (net.proto === P.ipv4) {
      a = ipv4Src(net);
      b = ipv4Dst(net);
      const known = this.byNumber.get(Math.min(a, b))?.get(Math.max(a, b));
      if (known) {
        this.direction = a === known.num0 ? 0 : 1;
        return known.value;
      }
    }
    const src = addressText(net, 'src');
    const dst = addressText(net, 'dst');
    this.direction = src <= dst ? 0 : 1;
    [this.first, this.second] = this.direction === 0 ? [src, dst] : [dst, src];
    this.key = `${this.first}|${this.second}`;
    if (net.proto === P.ipv4) {
      this.lo = Math.min(a, b);
      this.hi = Math.max(a, b);
      this.num0 = this.direction === 0 ? a : b;
    }
    return undefined;
  }

  /** What the pair known() did not find stands for, found by number from now on (IPv4). */
  remember(value: T): void {
    if (this.lo < 0) return;
    if (this.count >= this.most) this.forget();
    let byHi = this.byNumber.get(this.lo);
    if (!byHi) this.byNumber.set(this.lo, (byHi = new Map()));
    byHi.set(this.hi, { value, num0: this.num0 });
    this.count++;
  }

  /** Forget the pairs found by number (when what they stand for was evicted). */
  forget(): void {
    this.byNumber.clear();
    this.count = 0;
  }
}
