import type { SaEntry } from './sa-file.js';

/** The SAs a run was given, looked up by SPI first (then wildcards), and by the packet's addresses. */
export class SaDatabase {
  private readonly bySpi = new Map<number, SaEntry[]>();
  private readonly anySpi: SaEntry[] = [];

  constructor(readonly entries: SaEntry[]) {
    for (const e of entries) {
      if (e.spi === null) this.anySpi.push(e);
      else this.bySpi.set(e.spi, [...(this.bySpi.get(e.spi) ?? []), e]);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  find(spi: number, family: 4 | 6, src: string, dst: string): SaEntry | undefined {
    const matches = (e: SaEntry) => (e.family === 0 || e.family === family) && (e.src === null || e.src === src) && (e.dst === null || e.dst === dst);
    return this.bySpi.get(spi)?.find(matches) ?? this.anySpi.find(matches);
  }
}
