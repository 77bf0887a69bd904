import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { esp, eth, gre, ipv4, udp, type Bytes } from './support/builder.js';
import { frameOf } from './support/frames.js';

/** The tunnel table alone, on packets made here: its directions, its keys, tunnels inside tunnels. */

const IPV4 = 0x0800;
const payload = () => udp(new Uint8Array(8), { srcPort: 40000, dstPort: 5000 });
/** A GRE packet from src to dst with this key (none when undefined), carrying `inner` (an IPv4 packet). */
const greIn = (src: string, dst: string, key: number | undefined, inner: Bytes) =>
  ipv4(gre(inner, { protocolType: IPV4, key }), { src, dst, proto: 47 });
const inner = () => ipv4(payload(), { src: '10.1.1.1', dst: '10.2.2.2', proto: 17 });

function tableOf(packets: Bytes[]): TunnelTable {
  const engine = new Engine();
  const table = new TunnelTable();
  for (const p of packets) table.observe(engine.dissect(frameOf(eth(p, { type: IPV4 }))));
  return table;
}

test('directions: one tunnel for both ways; endpoints[0] is the lower address as text, whoever spoke first', () => {
  // 10.0.0.2 sorts before 9.0.0.1 as text and after it as a number: the lookup by numbers must agree with the names.
  for (const [lo, hi] of [
    ['192.0.2.10', '198.51.100.2'],
    ['10.0.0.2', '9.0.0.1'],
  ] as const) {
    const t = tableOf([
      greIn(hi, lo, 7, inner()),
      greIn(hi, lo, 7, inner()),
      greIn(lo, hi, 7, inner()),
      greIn(hi, lo, 7, inner()),
    ]);
    const tunnels = [...t.tunnels.values()];
    assert.equal(tunnels.length, 1);
    assert.deepEqual(tunnels[0]!.endpoints, [lo, hi]);
    assert.deepEqual(
      tunnels[0]!.directions.map((d) => d.packets),
      [1, 3],
      `${lo} ${hi}`,
    );
  }
});

test('keys: each GRE key between the same endpoints is a tunnel of its own, and no key is one more', () => {
  const a = '192.0.2.1';
  const b = '192.0.2.2';
  const t = tableOf([
    greIn(a, b, 1, inner()),
    greIn(b, a, 2, inner()),
    greIn(a, b, undefined, inner()),
    greIn(b, a, 1, inner()),
  ]);
  const labels = [...t.tunnels.values()].map((x) => `${x.label} ${x.packets}`);
  assert.deepEqual(labels, [`gre ${a} <-> ${b} key 0x1 2`, `gre ${a} <-> ${b} key 0x2 1`, `gre ${a} <-> ${b} 1`]);
});

test(
  'nesting: GRE in GRE is two tunnels, the inner one nested in the ' + 'outer; the packet was in both, outermost first',
  () => {
    const innerTunnel = greIn('172.16.0.1', '172.16.0.2', 2, inner());
    const t = tableOf([greIn('192.0.2.1', '192.0.2.2', 1, innerTunnel)]);
    const [outer, nested] = [...t.tunnels.values()];
    assert.equal(outer!.label, 'gre 192.0.2.1 <-> 192.0.2.2 key 0x1');
    assert.equal(nested!.label, 'gre 172.16.0.1 <-> 172.16.0.2 key 0x2');
    assert.deepEqual([...nested!.nestedIn], [outer!.id]);
    assert.deepEqual([...outer!.nestedIn], []);
    assert.deepEqual(
      t.active.map((x) => x.id),
      [outer!.id, nested!.id],
    );
  },
);

test(
  'a look-alike: GRE between the same hosts, but not GRE (IP in IP) is ' + 'another tunnel, not another direction',
  () => {
    const t = tableOf([
      greIn('192.0.2.1', '192.0.2.2', undefined, inner()),
      ipv4(inner(), { src: '192.0.2.2', dst: '192.0.2.1', proto: 4 }),
    ]);
    const tunnels = [...t.tunnels.values()];
    assert.deepEqual(
      tunnels.map((x) => [x.kind, x.directions[0].packets, x.directions[1].packets]),
      [
        ['gre', 1, 0],
        ['ipip', 0, 1],
      ],
    );
  },
);

test('multicast groups are named by the protocol label, never by the text summary; a carrier by its name', () => {
  const groups = (carried: Bytes, proto: number) => {
    const t = tableOf([
      greIn('192.0.2.1', '192.0.2.2', 1, ipv4(carried, { src: '10.1.1.1', dst: '224.0.0.18', proto })),
    ]);
    const g = [...[...t.tunnels.values()][0]!.multicast.values()][0]!;
    return [g.group, ...g.protocols.keys()];
  };
  // VRRPv2 advertisement, vrid 7, priority 100: the summary says "VRRPv2 vrid 7 prio 100", the label the message.
  const vrrp = Uint8Array.from([0x21, 7, 100, 1, 0, 1, 0, 0, 10, 1, 1, 254]);
  assert.deepEqual(groups(vrrp, 112), ['224.0.0.18', 'VRRPv2 Advertisement']);
  // ESP to a group carries a message of no protocol of its own: "esp", not its summary's "ESP spi".
  assert.deepEqual(groups(esp(new Uint8Array(16), { spi: 0x1234, seq: 1 }), 50), ['224.0.0.18', 'esp']);
});
