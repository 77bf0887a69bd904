import type { Finding } from './catalogue.js';
import type { TunnelTable } from '../tunnels/table.js';
import { DISCOVERY_PROTOCOLS } from '../tunnels/routing.js';
import { l2tpv2SessionId, l2tpv2TunnelId, type KeepaliveSender, type Tunnel } from '../tunnels/tunnel.js';
import type { EspPeers, EspSa } from '../tunnels/esp-table.js';
import { dmvpnReport, type DmvpnCloud } from '../tunnels/dmvpn.js';
import { ospfRouterRecord } from '../tunnels/routing.js';
import { ikeRecord, ikeReflections, type IkeSaRecord } from '../tunnels/ike.js';

/** The audit as CONTRACT.md's JSON document; the text report is rendered from it too. */
export interface AuditReport {
  schema: 1;
  packets: number;
  bytes: number;
  malformed: number;
  firstSeen: number | null;
  lastSeen: number | null;
  tunnels: Record<string, unknown>[];
  esp: Record<string, unknown>[];
  /** IKE seen between peers that exchanged no ESP or AH (in this capture). */
  ike: Record<string, unknown>[];
  /** IKE answers to requests forged with an address (only when there are: ikeReflections). */
  ikeReflections?: Record<string, unknown>[];
  /** DMVPN clouds (only when the capture holds NHRP): README.md, "The DMVPN view". */
  dmvpn?: DmvpnCloud[];
  findings: Finding[];
  malformedReasons: Record<string, number>;
  reassembly?: Record<string, number>;
  /** Bounds that were reached, and how often. */
  limits?: Record<string, number>;
}

const round = (ts: number) => Math.round(ts * 1e6) / 1e6;
/** Initiator SPIs an IKE reflection lists (it counts them all). */
const REFLECTION_SPIS_LISTED = 16;

function tunnelRecord(t: Tunnel): Record<string, unknown> {
  const [ab, ba] = t.directions;
  const r: Record<string, unknown> = {
    kind: t.kind,
    role: t.role,
    endpoints: t.endpoints,
    key: t.key,
    packets: t.packets,
    bytes: t.bytes,
    protection: t.protection,
    multicast: [...t.multicast.values()].map((g) => g.group).sort(),
    inner: Object.fromEntries(t.inner),
    firstSeen: round(t.firstSeen),
    lastSeen: round(t.lastSeen),
    directions: [
      {
        from: t.endpoints[0],
        to: t.endpoints[1],
        packets: ab.packets,
        bytes: ab.bytes,
        seqMissing: ab.seq.missing,
        seqReordered: ab.seq.reordered,
        seqDuplicates: ab.seq.duplicates,
      },
      {
        from: t.endpoints[1],
        to: t.endpoints[0],
        packets: ba.packets,
        bytes: ba.bytes,
        seqMissing: ba.seq.missing,
        seqReordered: ba.seq.reordered,
        seqDuplicates: ba.seq.duplicates,
      },
    ],
    groups: [...t.multicast.values()].map((g) => ({
      group: g.group,
      protocols: Object.fromEntries(g.protocols),
      packets: g.packets,
      lastSeen: round(g.lastSeen),
    })),
  };
  if (t.entropy) r.entropy = t.entropy;
  if (t.ipVersions.size) r.ipip = [...t.ipVersions].sort();
  if ((t.kind === 'vxlan' || t.kind === 'geneve') && t.key !== null) r.vni = t.key;
  if (t.kind === 'l2tpv2' && t.key !== null)
    r.l2tp = { tunnelId: l2tpv2TunnelId(t.key), sessionId: l2tpv2SessionId(t.key) };
  if (t.kind === 'gretap' && t.key !== null) r.nvgre = { vsid: t.key >>> 8, flowId: t.key & 0xff };
  if (t.outerVlans.size) r.outerVlans = [...t.outerVlans].sort((a, b) => a - b);
  if (t.nestedIn.size) r.nestedIn = [...t.nestedIn];
  if (t.insideEsp) r.insideEsp = true;
  if (t.insideEsp || t.insideAh) r.readThrough = t.insideAh ? 'AH' : 'ESP';
  const m = t.multicastEnds;
  if (m) r.multicastDistribution = m;
  r.id = t.id;
  if (t.keepalives) r.keepalives = keepaliveRecord(t);
  if (t.checksumErrors) r.checksumErrors = t.checksumErrors;
  if (t.fragmented) r.outerFragmented = t.fragmented;
  if (t.icmpFragNeeded) r.pathMtu = t.pathMtu;
  if (t.maxMss) r.maxMss = t.maxMss;
  if (t.overhead) r.overhead = t.overhead;
  if (!t.routing.empty) r.routing = routingRecord(t);
  return r;
}

/** Keepalives by sender: who probes, how often (between its own probes), how many were answered and how fast. */
function keepaliveRecord(t: Tunnel): Record<string, unknown> {
  const senders = ([0, 1] as const).map((i) => senderRecord(t.endpoints[i], t.keepaliveSenders[i]));
  const busiest = [...t.keepaliveSenders].sort((a, b) => b.probes - a.probes)[0]!;
  const interval = busiest.intervalSec;
  return { count: t.keepalives, intervalSec: interval === null ? null : round(interval), senders };
}

function senderRecord(
  from: string,
  k: KeepaliveSender,
): {
  from: string;
  probes: number;
  intervalSec: number | null;
  answered: number;
  rttMs: number | null;
  repliesWithoutProbe: number;
} {
  const interval = k.intervalSec;
  return {
    from,
    probes: k.probes,
    intervalSec: interval === null ? null : round(interval),
    answered: k.answered,
    rttMs: k.answered > 0 ? Math.round((k.rttSum / k.answered) * 1e6) / 1e3 : null,
    repliesWithoutProbe: k.unmatched,
  };
}

function routingRecord(t: Tunnel): Record<string, unknown> {
  const r = t.routing;
  const o: Record<string, unknown> = {};
  if (r.ospf.size) o.ospf = [...r.ospf.values()].map(ospfRouterRecord);
  if (r.rip.packets)
    o.rip = {
      packets: r.rip.packets,
      versions: [...r.rip.versions],
      authTypes: [...r.rip.authTypes],
      routes: r.ripRoutes(),
    };
  if (r.eigrp.packets)
    o.eigrp = { packets: r.eigrp.packets, as: [...r.eigrp.as], authenticated: r.eigrp.authenticated };
  if (r.pim.packets) o.pim = { packets: r.pim.packets, neighbors: [...r.pim.neighbors].sort() };
  for (const protocol of DISCOVERY_PROTOCOLS)
    if (r[protocol].packets) o[protocol] = { packets: r[protocol].packets, devices: [...r[protocol].devices].sort() };
  const adj = r.adjacencies;
  if (adj.isis.size) o.isis = [...adj.isis.values()].map((s) => ({ ...s, authenticated: s.unauthenticated === 0 }));
  const sessions = [...adj.sessions.values()];
  for (const protocol of ['bgp', 'ldp'] as const) {
    const mine = sessions
      .filter((s) => s.protocol === protocol)
      .map(({ protocol: _p, ...s }) => ({
        ...s,
        authentication: s.ao > 0 ? 'tcp-ao' : s.md5 > 0 ? 'tcp-md5' : 'none',
      }));
    if (mine.length) o[protocol] = mine;
  }
  if (adj.ldpHellos.packets) o.ldpHellos = { packets: adj.ldpHellos.packets, lsrIds: [...adj.ldpHellos.lsrIds].sort() };
  if (adj.bfd.packets)
    o.bfd = { packets: adj.bfd.packets, authenticated: adj.bfd.authenticated, states: [...adj.bfd.states] };
  return o;
}

function saRecord(sa: EspSa, p: EspPeers): Record<string, unknown> {
  const seq = sa.seq;
  const o: Record<string, unknown> = {
    spi: sa.spi,
    protocol: sa.proto,
    src: sa.src,
    dst: sa.dst,
    packets: sa.packets,
    nullEncrypted: sa.nullPackets,
    decrypted: sa.decrypted,
    notDecrypted: sa.notDecrypted,
    seqFirst: seq.first,
    seqLast: seq.last,
    seqMissing: seq.missing,
    seqReplayed: seq.duplicates + seq.reordered,
    protection: sa.protection,
    mode: p.saMode(sa),
    senders: sa.senders,
  };
  // Encrypted without the ESP keys: the mode is IKE's word, not read from the packets.
  if (sa.mode === 'unknown' && o.mode !== 'unknown') o.modeFrom = 'ike';
  if (sa.group) o.group = true;
  if (sa.ospf3.size) o.ospfv3 = [...sa.ospf3.values()];
  return o;
}

function espRecord(p: EspPeers, reflected: ReadonlySet<IkeSaRecord>): Record<string, unknown> {
  const r: Record<string, unknown> = {
    endpoints: p.endpoints,
    spis: [...p.sas.keys()].sort((a, b) => a - b),
    packets: p.packets,
    // The worst of the SAs: one readable SA (NULL encryption, AH alone) makes the pair readable.
    protection: p.protection,
    bytes: p.bytes,
    natT: p.natT,
    firstSeen: round(p.firstSeen),
    lastSeen: round(p.lastSeen),
    sas: [...p.sas.values()].map((sa) => saRecord(sa, p)),
  };
  const mode = p.mode;
  if (mode) r.mode = mode;
  if (p.ahPackets)
    r.ah = {
      packets: p.ahPackets,
      spis: [...p.ahSas.keys()].sort((a, b) => a - b),
      sas: [...p.ahSas.values()].map((sa) => saRecord(sa, p)),
    };
  if (p.ike.packets)
    r.ike = { packets: p.ike.packets, versions: [...p.ike.versions], exchanges: Object.fromEntries(p.ike.exchanges) };
  if (p.gdoi) r.gdoi = { packets: p.gdoi };
  if (p.ikeLog.sas.size) r.ikeSas = ikeSas(p, reflected);
  return r;
}

/** The IKE SAs between a pair, with their child SAs matched to the ESP SPIs seen, those of a reflection marked. */
function ikeSas(p: EspPeers, reflected: ReadonlySet<IkeSaRecord>): Record<string, unknown>[] {
  const spis = new Map<number, number>();
  for (const sa of p.sas.values()) spis.set(sa.spi, sa.packets);
  return [...p.ikeLog.sas.values()]
    .sort((a, b) => a.firstSeen - b.firstSeen)
    .map((sa) => {
      const r = ikeRecord(sa, spis);
      if (reflected.has(sa)) r.reflected = true;
      return r;
    });
}

export function buildReport(table: TunnelTable, findings: Finding[], reassembly?: Record<string, number>): AuditReport {
  table.markGroupSas();
  const clouds = dmvpnReport(table.dmvpn, table.tunnels.values(), table.lastSeen);
  table.markMultipoint(clouds.flatMap((c) => c.tunnels));
  const tunnels = table.reportTunnels().sort((a, b) => b.packets - a.packets || a.id - b.id);
  const peers = [...table.esp.values()];
  const ipsec = peers.filter((p) => p.packets > 0 || p.ahPackets > 0);
  const ikeOnly = peers.filter((p) => p.packets === 0 && p.ahPackets === 0 && (p.ike.packets > 0 || p.gdoi > 0));
  const reflections = ikeReflections(peers.map((p) => p.ikeLog));
  const reflected = new Set(reflections.flatMap((r) => r.sas));
  const report: AuditReport = {
    schema: 1,
    packets: table.packets,
    bytes: table.bytes,
    malformed: table.malformed,
    firstSeen: table.packets ? round(table.firstSeen) : null,
    lastSeen: table.packets ? round(table.lastSeen) : null,
    tunnels: tunnels.map(tunnelRecord),
    esp: ipsec.sort((a, b) => b.packets - a.packets).map((p) => espRecord(p, reflected)),
    ike: ikeOnly.map((p) => {
      const r: Record<string, unknown> = {
        endpoints: p.endpoints,
        packets: p.ike.packets,
        versions: [...p.ike.versions],
        exchanges: Object.fromEntries(p.ike.exchanges),
      };
      if (p.ikeLog.sas.size) r.sas = ikeSas(p, reflected);
      if (p.gdoi) r.gdoi = p.gdoi;
      return r;
    }),
    findings,
    malformedReasons: Object.fromEntries(table.malformedReasons),
  };
  if (reflections.length)
    report.ikeReflections = reflections.map((r) => ({
      target: r.target,
      // A flood may use many SPIs: the first few, and how many.
      initiatorSpis: r.ispis.slice(0, REFLECTION_SPIS_LISTED),
      spis: r.ispis.length,
      versions: r.versions,
      responders: r.responders,
      answers: r.answers,
      firstSeen: round(r.firstSeen),
      lastSeen: round(r.lastSeen),
    }));
  if (clouds.length) report.dmvpn = clouds;
  if (reassembly) report.reassembly = reassembly;
  return report;
}
