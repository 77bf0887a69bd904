import type { IkeSaKeys } from './ikev2-keys.js';
import { addressMatcher, type SaEntry } from './sa-file.js';

/** The SAs a run was given, looked up by SPI first (then wildcards), and by the packet's addresses. */
export class SaDatabase {
  private readonly bySpi = new Map<number, SaEntry[]>();
  private readonly anySpi: SaEntry[] = [];

  private readonly ike = new Map<string, IkeSaKeys>();

  /** ESP SAs, and IKEv2 SAs' keys (--ikev2-keys) by their SPI pair. */
  constructor(
    readonly entries: SaEntry[],
    ikeKeys: IkeSaKeys[] = [],
  ) {
    for (const k of ikeKeys) this.ike.set(`${k.ispi}/${k.rspi}`, k);
    for (const e of entries) {
      if (e.spi === null) this.anySpi.push(e);
      else this.bySpi.set(e.spi, [...(this.bySpi.get(e.spi) ?? []), e]);
    }
  }

  get size(): number {
    return this.entries.length + this.ike.size;
  }

  /** The keys of an IKEv2 SA, by its SPIs as 16 hex digits each. */
  ikeKeys(ispi: string, rspi: string): IkeSaKeys | undefined {
    return this.ike.get(`${ispi}/${rspi}`);
  }

  find(spi: number, family: 4 | 6, src: string, dst: string): SaEntry | undefined {
    const matches = (e: SaEntry) =>
      (e.family === 0 || e.family === family) && this.matches(e.src, src) && this.matches(e.dst, dst);
    return this.bySpi.get(spi)?.find(matches) ?? this.anySpi.find(matches);
  }

  /** Each pattern's test, made at its first use (an address, an IPv4 address with `*`, a network). */
  private readonly tests = new Map<string, (addr: string) => boolean>();

  private matches(pattern: string | null, addr: string): boolean {
    if (pattern === null || pattern === addr) return true;
    let test = this.tests.get(pattern);
    if (!test) this.tests.set(pattern, (test = addressMatcher(pattern)?.test ?? (() => false)));
    return test(addr);
  }
}
