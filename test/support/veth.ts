import { spawnSync } from 'node:child_process';

/**
 * Two network namespaces joined by a veth pair, for live tests and the live
 * bench: `${prefix}A`/`${prefix}B` and their ends `${prefix}a`/`${prefix}b`,
 * addressed `${net}.1/24` and `${net}.2/24` (net from the documentation and
 * benchmarking ranges only, e.g. 198.18.0). Never touches a real interface.
 */
export class VethPair {
  readonly nsA: string;
  readonly nsB: string;
  readonly vA: string;
  readonly vB: string;

  constructor(
    prefix: string,
    private readonly net: string,
  ) {
    [this.nsA, this.nsB, this.vA, this.vB] = [`${prefix}A`, `${prefix}B`, `${prefix}a`, `${prefix}b`];
  }

  /** Makes them; the shell's result (status 0, or stderr saying why not). */
  make(): ReturnType<typeof spawnSync> & { stderr: string } {
    const { nsA, nsB, vA, vB, net } = this;
    return spawnSync(
      'sh',
      [
        '-c',
        [
          `ip netns add ${nsA}`,
          `ip netns add ${nsB}`,
          `ip link add ${vA} netns ${nsA} type veth peer name ${vB} netns ${nsB}`,
          `ip -n ${nsA} addr add ${net}.1/24 dev ${vA}`,
          `ip -n ${nsB} addr add ${net}.2/24 dev ${vB}`,
          `ip -n ${nsA} link set ${vA} up`,
          `ip -n ${nsB} link set ${vB} up`,
        ].join(' && '),
      ],
      { encoding: 'utf8' },
    );
  }

  /** Removes both namespaces (and so the pair); quiet when they are not there. */
  remove(): void {
    spawnSync('sh', ['-c', `ip netns del ${this.nsA} 2>/dev/null; ip netns del ${this.nsB} 2>/dev/null`]);
  }
}
