import { PcapWriter } from '../../src/capture/pcap-writer.js';
import * as b from './builder.js';

/**
 * A sensor's traffic, made with the builder: `tunnels` keyed and sequenced
 * GRE tunnels between branch routers and a hub, each carrying OSPF hellos,
 * TCP, ICMP and now and then a telnet login; ESP between two other sites;
 * every `lossEvery`-th GRE packet of a tunnel lost (a sequence gap), one
 * packet in a while sent twice. Frames come in time order, `gap` seconds
 * apart, from `start`.
 */
export interface DayOptions {
  tunnels: number;
  packets: number;
  start?: number;
  gap?: number;
  lossEvery?: number;
  /** Where the sequence numbers of each tunnel begin (a later slice of the same day goes on from there). */
  firstIndex?: number;
}

export function* sensorDay(o: DayOptions): Generator<{ ts: number; frame: Uint8Array }> {
  const start = o.start ?? 1767225600;
  const gap = o.gap ?? 0.01;
  const loss = o.lossEvery ?? 997;
  const first = o.firstIndex ?? 0;
  for (let i = first; i < first + o.packets; i++) {
    const t = i % (o.tunnels + 1);
    const n = Math.floor(i / (o.tunnels + 1));
    const ts = start + i * gap;
    if (t === o.tunnels) {
      yield {
        ts,
        frame: b.eth(
          b.ipv4(b.esp(new Uint8Array(64).fill(0x5c), { spi: 0xc0010001, seq: n + 1 }), {
            src: '203.0.113.1',
            dst: '203.0.113.2',
            proto: 50,
          }),
          { type: 0x0800 },
        ),
      };
      continue;
    }
    if (n % loss === loss - 1) continue; // lost on the way
    const hub = '198.51.100.1';
    const branch = `10.255.${t >> 8}.${(t & 255) + 1}`;
    const up = n % 2 === 0;
    const kind = n % 10;
    let inner: Uint8Array;
    if (kind === 0)
      inner = b.ipv4(b.ospfHello({ routerId: `1.1.${t >> 8}.${t & 255}` }), {
        src: `172.${16 + (t % 16)}.${t >> 4}.1`,
        dst: '224.0.0.5',
        proto: 89,
      });
    else if (kind === 5 && n % 100 === 5)
      inner = b.ipv4(
        b.tcp(b.bytesOf('USER admin\r\n'), { srcPort: 40000 + t, dstPort: 21, flags: b.TCP.ACK | b.TCP.PSH }),
        { src: '10.1.0.5', dst: `10.3.${t >> 8}.${t & 255}`, proto: 6 },
      );
    else if (kind === 7)
      inner = b.ipv4(b.icmpEcho({ request: up, id: t, seq: n }), {
        src: up ? '10.1.0.5' : `10.3.${t >> 8}.${t & 255}`,
        dst: up ? `10.3.${t >> 8}.${t & 255}` : '10.1.0.5',
        proto: 1,
      });
    else
      inner = b.ipv4(
        b.tcp(new Uint8Array(200), {
          srcPort: up ? 50000 : 443,
          dstPort: up ? 443 : 50000,
          seq: n * 200,
          ack: 1,
          flags: b.TCP.ACK,
        }),
        { src: up ? '10.1.0.5' : '10.2.0.9', dst: up ? '10.2.0.9' : '10.1.0.5', proto: 6 },
      );
    // One sequence space per direction: packet n of a tunnel is number n >> 1 of its direction.
    const frame = b.eth(
      b.ipv4(
        b.gre(inner, { protocolType: 0x0800, key: 1000 + t, seq: n >> 1 }),
        up ? { src: branch, dst: hub, proto: 47 } : { src: hub, dst: branch, proto: 47 },
      ),
      { type: 0x0800 },
    );
    yield { ts, frame };
    if (n % 499 === 7) yield { ts, frame }; // sent twice
  }
}

/** Writes frames to a pcap file; returns how many. */
export function writeFrames(path: string, frames: Iterable<{ ts: number; frame: Uint8Array }>): number {
  const w = new PcapWriter(path);
  let count = 0;
  for (const { ts, frame } of frames) {
    const sec = Math.floor(ts);
    w.write(sec, Math.min(999999, Math.round((ts - sec) * 1e6)) * 1000, frame);
    count++;
  }
  w.close();
  return count;
}
