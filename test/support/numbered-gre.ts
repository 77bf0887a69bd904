import { PcapWriter } from '../../src/capture/pcap-writer.js';
import * as b from './builder.js';

/**
 * A capture of `n` GRE packets of about 1.1 KB (key 7, 192.0.2.1 to
 * 198.51.100.7), GRE sequence numbers 0 to n - 1 to tell a lost or repeated
 * packet, `perSecond` of them a second of capture time.
 */
export function numberedGre(path: string, n: number, perSecond: number): string {
  const w = new PcapWriter(path);
  const payload = new Uint8Array(1100).fill(0x5a);
  const step = 1e9 / perSecond;
  for (let seq = 0; seq < n; seq++) {
    const inner = b.ipv4(b.udp(payload, { srcPort: 40000, dstPort: 9 }), {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 17,
    });
    const gre = b.gre(inner, { protocolType: 0x0800, key: 7, seq });
    const frame = b.eth(b.ipv4(gre, { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }), { type: 0x0800 });
    w.write(1767225600 + Math.floor(seq / perSecond), (seq % perSecond) * step, frame);
  }
  w.close();
  return path;
}
