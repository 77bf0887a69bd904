import { spiText } from '../dissect/addr.js';
import { OSPF_AUTH_NONE, OSPF_AUTH_SIMPLE, ospfAuthName } from '../dissect/ospf.js';
import { ISIS_AUTH_CLEARTEXT } from '../dissect/isis.js';
import type { EspPeers, EspSa } from '../tunnels/esp-table.js';
import type { RecursiveRoute } from '../tunnels/routing.js';
import type { TunnelTable } from '../tunnels/table.js';
import type { Tunnel, TunnelRole } from '../tunnels/tunnel.js';
import { CATALOGUE, severityRank, type Finding, type FindingId, type FindingKind } from './catalogue.js';
import { dmvpnReport, type DmvpnCloud } from '../tunnels/dmvpn.js';
import { ikeFindings, reflectionFinding } from './ike-rules.js';
import { ikeReflections } from '../tunnels/ike.js';
import { plural } from '../util/words.js';

/** Ethernet MTU assumed when no ICMP told us the path's. */
const DEFAULT_PATH_MTU = 1500;
/** IPv4 + TCP headers: MSS = MTU - 40. */
const TCP_IP_HEADERS = 40;

/** A finding; a tunnel's role picks the advice worded for it, where the catalogue has one. */
function finding(id: FindingId, message: string, subject?: string, role?: TunnelRole): Finding {
  const k: FindingKind = CATALOGUE[id];
  return { id, severity: k.severity, message, advice: (role && k.adviceByRole?.[role]) ?? k.advice, subject };
}

const FRAMING = new Set(['eth', 'vlan', 'erspan', 'wccp']);

/** Every rule, run over the table at the end of the audit; findings worst first. */
export function evaluate(table: TunnelTable): Finding[] {
  table.markGroupSas();
  const out: Finding[] = [];
  const clouds = dmvpnReport(table.dmvpn, table.tunnels.values(), table.lastSeen);
  // The pairs of a cleartext DMVPN cloud are one multipoint tunnel: dmvpn-cleartext says it once for all.
  const inCleartextCloud = new Set(clouds.filter((c) => c.protection === 'cleartext').flatMap((c) => c.tunnels));
  // A DMVPN cloud's tunnels are multipoint, whatever each pair carried.
  table.markMultipoint(clouds.flatMap((c) => c.tunnels));
  for (const t of table.reportTunnels()) out.push(...tunnelFindings(t, inCleartextCloud.has(t.id)));
  const groups = new Map<string, { sa: EspSa; senders: Set<string>; receivers: Set<string>; packets: number }>();
  // Readable SAs that carry nothing but OSPFv3 are OSPFv3's own authentication (RFC 4552): one note per SPI.
  const ospf3 = new Map<string, { sa: EspSa; routers: Set<string>; packets: number }>();
  const reflections = ikeReflections([...table.esp.values()].map((p) => p.ikeLog));
  // A reflector's answers say how it is set up, not how the address they flood negotiates: one finding says it all.
  const reflected = new Set(reflections.flatMap((r) => r.sas));
  out.push(...reflections.map(reflectionFinding));
  for (const p of table.esp.values()) {
    out.push(...ipsecFindings(p));
    out.push(...ikeFindings(p, reflected));
    for (const sa of p.allSas) {
      if (sa.protection === 'integrity-only' && sa.onlyOspf3) {
        const key = `${sa.proto} ${sa.spi}`;
        let o = ospf3.get(key);
        if (!o) ospf3.set(key, (o = { sa, routers: new Set(), packets: 0 }));
        o.packets += sa.packets;
        for (const id of sa.ospf3.keys()) o.routers.add(id);
      }
      if (!sa.group) continue;
      const key = `${sa.proto} ${sa.spi}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { sa, senders: new Set(), receivers: new Set(), packets: 0 }));
      g.packets += sa.packets;
      for (const d of [0, 1] as const) {
        if (sa.sent[d] === 0) continue;
        g.senders.add(p.endpoints[d]);
        g.receivers.add(p.endpoints[1 - d]!);
      }
    }
  }
  for (const o of ospf3.values()) {
    const routers = [...o.routers].sort();
    const how = o.sa.proto === 'ah' ? 'AH' : 'ESP with NULL encryption';
    out.push(
      finding(
        'ospfv3-ipsec-auth',
        `OSPFv3 ${routers.length === 1 ? 'router' : 'routers'} ${routers.join(', ')} ` +
          `authenticate${routers.length === 1 ? 's' : ''} with IPsec: ${how}, ` +
          `SPI ${spiText(o.sa.spi)} (${plural(o.packets, 'packet')})`,
      ),
    );
  }
  for (const g of groups.values()) {
    const senders = [...g.senders].sort();
    // One sender to several receivers (a group member's one counter) or several senders.
    const who =
      senders.length === 1
        ? `is sent by ${senders[0]} to ${plural(g.receivers.size, 'receiver')} ` +
          `(${[...g.receivers].sort().join(', ')}; ${plural(g.packets, 'packet')})`
        : `is shared by ${plural(senders.length, 'sender')} (${senders.join(', ')}; ${plural(g.packets, 'packet')})`;
    out.push(
      finding(
        'ipsec-group-sa',
        `${g.sa.proto.toUpperCase()} SPI ${spiText(g.sa.spi)} ${who}: a group SA, sequence numbers counted per sender`,
      ),
    );
  }
  for (const c of clouds) out.push(...dmvpnFindings(c));
  return out.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** What is said of one SA: its SPI, direction and, where both directions or a group use it, that. */
function saText(sa: EspSa): string {
  return `SPI ${spiText(sa.spi)} (${sa.src} -> ${sa.dst})`;
}

const spiList = (sas: EspSa[]) => `SPI${sas.length === 1 ? '' : 's'} ${sas.map((sa) => spiText(sa.spi)).join(', ')}`;

function ipsecFindings(p: EspPeers): Finding[] {
  const out: Finding[] = [];
  const pair = `${p.endpoints[0]} and ${p.endpoints[1]}`;
  const subject = `ESP ${p.endpoints[0]} <-> ${p.endpoints[1]}`;
  // SPI 0 is reserved and never sent for an SA (RFC 4302 2.4, RFC 4303 2.1): no peer protects anything with it.
  const nulls = p.nullSas.filter((sa) => !sa.onlyOspf3 && sa.spi !== 0);
  if (nulls.length > 0) {
    const packets = nulls.reduce((n, sa) => n + sa.packets, 0);
    const modes = [...new Set(nulls.map((sa) => sa.mode))].join('/');
    out.push(
      finding(
        'esp-null',
        `ESP between ${pair} uses NULL encryption on ${spiList(nulls)} ` +
          `(${plural(packets, 'packet')}): anyone on the path reads the payload ` +
          `(${modes} mode)`,
        subject,
      ),
    );
  }
  const ahOnly = [...p.ahSas.values()].filter(
    (sa) => sa.protection === 'integrity-only' && !sa.onlyOspf3 && sa.spi !== 0,
  );
  if (ahOnly.length > 0) {
    const packets = ahOnly.reduce((n, sa) => n + sa.packets, 0);
    out.push(
      finding(
        'ah-only',
        `${pair} protect traffic with AH only on ${spiList(ahOnly)} ` +
          `(${plural(packets, 'packet')}): signed, not encrypted`,
        `AH ${p.endpoints[0]} <-> ${p.endpoints[1]}`,
      ),
    );
  }
  for (const sa of p.sas.values()) {
    if (sa.notDecrypted > 0)
      out.push(
        finding(
          'esp-not-decrypted',
          `${saText(sa)}: ${plural(sa.notDecrypted, 'packet')} of ${sa.packets} did not decrypt with the key given`,
          subject,
        ),
      );
    // Numbers are counted per sender and receiver. A group SA's sender runs one counter across all its receivers (and
    // the SA itself is said once, by evaluate()): a gap towards one receiver means nothing there; a number one sender
    // repeats, or sends late, to one receiver still does.
    const seq = sa.seq;
    if (!sa.group && seq.missing > 0)
      out.push(
        finding(
          'esp-sequence-gaps',
          `${saText(sa)}: ${plural(seq.missing, 'sequence number')} skipped in ${plural(seq.gaps, 'gap')}`,
          subject,
        ),
      );
    if (seq.duplicates + seq.reordered > 0) {
      out.push(
        finding(
          'esp-replay',
          `${saText(sa)}: ${plural(seq.duplicates, 'sequence number')} repeated at once, ` +
            `${plural(seq.reordered, 'number')} below one already seen (late or replayed)`,
          subject,
        ),
      );
    }
  }
  return out;
}

/** Each claim names the spoke, request or code, so that it can be checked in the capture. */
function dmvpnFindings(c: DmvpnCloud): Finding[] {
  const out: Finding[] = [];
  const s = `DMVPN ${c.cloud}`;
  const hubs = c.key === null ? '' : ` (hub ${c.hubs.map((h) => h.nbma).join(', ')})`;
  if (c.protection === 'cleartext' && c.tunnels.length > 0) {
    // Cisco's NHRP authentication is a password carried in clear (SPI 1): in a cleartext cloud anyone on the path reads
    // it.
    const password =
      c.nhrpAuthenticated > 0
        ? `; the NHRP authentication password is readable in ${plural(c.nhrpAuthenticated, 'packet')}`
        : '';
    out.push(
      finding(
        'dmvpn-cleartext',
        `${s}${hubs}: GRE and NHRP in clear ` +
          `between ${plural(c.hubs.length + c.spokes.length, 'router')} ` +
          `(${plural(c.tunnels.length, 'tunnel')})${password}`,
        s,
      ),
    );
    if (c.nhrpAuthenticated < c.nhrpPackets)
      out.push(
        finding(
          'nhrp-no-authentication',
          `${s}: ${c.nhrpPackets - c.nhrpAuthenticated} ` +
            `of ${plural(c.nhrpPackets, 'NHRP packet')} without an authentication ` +
            `extension, in a cleartext cloud`,
          s,
        ),
      );
  }
  for (const sp of c.spokes) {
    const r = sp.registration;
    const who = `spoke ${sp.tunnel} at ${sp.nbma ?? sp.outside}`;
    if (r.state === 'refused')
      out.push(
        finding('nhrp-registration-refused', `${s}: hub ${r.hub} refused ${who}: code ${r.code} (${r.codeText})`, s),
      );
    if (r.unanswered > 0)
      out.push(
        finding(
          'nhrp-registration-unanswered',
          r.replies === 0
            ? `${s}: ${who} sent ${plural(r.requests, 'registration request')}, none answered`
            : `${s}: ${who} ` +
                `sent ${plural(r.requests, 'registration request')}, ${r.unanswered} ` +
                `of them unanswered ` +
                `(${r.state === 'accepted' ? 'registered with' : 'refused by'} ${r.hub} ` +
                `in the end)`,
          s,
        ),
      );
    if (sp.natAddress !== undefined && !sp.natT)
      out.push(
        finding(
          'dmvpn-nat-without-natt',
          `${s}: ${who} is seen as ${sp.natAddress} (behind NAT), its GRE not in UDP 4500`,
          s,
        ),
      );
  }
  for (const r of c.resolutions) {
    if (r.unanswered)
      out.push(
        finding(
          'nhrp-resolution-unanswered',
          `${s}: ${r.from} at ${r.fromNbma} asked for ${r.for} (request ${r.id}), no reply`,
          s,
        ),
      );
  }
  for (const e of c.errors)
    out.push(
      finding(
        'nhrp-error-indication',
        `${s}: ${e.from} sent ${e.to ?? e.toNbma} an Error Indication, ` +
          `code ${e.code} (${e.text})${e.about ? ` about its ${e.about}` : ''}`,
        s,
      ),
    );
  for (const v of c.viaHub) {
    if (!v.shortcutFollowed)
      out.push(
        finding(
          'dmvpn-via-hub',
          `${s}: ${v.from} to ${v.to} through hub ${v.hub} ` +
            `(${plural(v.packets, 'packet')}, ${v.flows.slice(0, 3).join(', ')}), ` +
            `no shortcut`,
          s,
        ),
      );
  }
  return out;
}

function tunnelFindings(t: Tunnel, inCleartextCloud: boolean): Finding[] {
  const out: Finding[] = [];
  const s = t.label;
  const role = t.role;
  const say = (id: FindingId, message: string) => out.push(finding(id, message, s, role));
  const protection = t.protection;
  // Mirrored copies: nobody routes, logs in or manages anything across a SPAN session; what they show is the mirrored
  // network's.
  const mirror = role === 'mirror';
  if (t.kind === 'pptp') {
    say(
      'pptp',
      `PPTP ${t.endpoints[0]} ` +
        `<-> ${t.endpoints[1]}${t.key === null ? '' : ` (call ${t.key})`}: ` +
        `${plural(t.packets, 'packet')}${t.pppMppe ? ', MPPE-encrypted data' : ''}`,
    );
  }
  // What the tunnel carries, past its own headers (ERSPAN's, WCCP's redirect header) and Ethernet framing.
  const carried = [...t.inner.keys()]
    .filter((n) => !FRAMING.has(n))
    .slice(0, 6)
    .join(', ');
  // Counted in clear only: the packets of a tunnel partly inside ESP that were decrypted were not readable on the path.
  if (protection === 'cleartext' && t.clearPackets > t.clearKeepalives && !inCleartextCloud) {
    if (mirror)
      say(
        'mirror-cleartext',
        `${s}: ${plural(t.clearPackets, 'mirrored packet')} in ` +
          `clear${carried ? ` carrying ${carried}` : ''}` +
          `${t.mirrored ? ` (a mirror over plain GRE: ${t.mirrored})` : ''}`,
      );
    else if (role === 'redirect')
      say(
        'redirect-cleartext',
        `${s}: ${plural(t.clearPackets, 'packet')} redirected in clear${carried ? ` carrying ${carried}` : ''}`,
      );
    else
      say(
        'cleartext-tunnel',
        `${s}: ${plural(t.clearPackets, 'packet')} in clear${carried ? ` carrying ${carried}` : ''}`,
      );
  }
  const readable = protection === 'cleartext' || protection === 'integrity-only';
  // Inside AH or ESP-NULL the routers' packets are signed: readable, but not forged on the path.
  const unauthenticated = protection === 'cleartext' ? 'cleartext-routing' : 'routing-readable';
  if (readable && !mirror) {
    for (const r of t.routing.ospf.values()) {
      if (r.version === 2 && r.authType === OSPF_AUTH_NONE)
        say(unauthenticated, `OSPFv2 router ${r.routerId} (area ${r.area}) sends unauthenticated packets across ${s}`);
      if (r.version === 2 && r.authType === OSPF_AUTH_SIMPLE)
        say(
          'routing-weak-auth',
          `OSPFv2 router ${r.routerId} authenticates with ` +
            `a ${ospfAuthName(r.authType)}, readable in every packet across ${s}`,
        );
      // An OSPFv3 router without the authentication trailer (RFC 7166) leaves it to IPsec.
      if (r.version === 3 && r.authType === OSPF_AUTH_NONE)
        say(
          unauthenticated,
          protection === 'cleartext'
            ? `OSPFv3 router ${r.routerId} across ${s}: OSPFv3 relies on IPsec for ` +
                `authentication, and this tunnel is readable`
            : `OSPFv3 router ${r.routerId} across ${s}: signed by the IPsec SA around the tunnel, not encrypted`,
        );
    }
    const rip = t.routing.rip;
    if (rip.packets > 0) {
      const noAuth = rip.versions.has(1) || rip.authTypes.has(0);
      if (noAuth)
        say(
          unauthenticated,
          `RIP${[...rip.versions].map((v) => `v${v}`).join('/')} without ` +
            `authentication across ${s} (${plural(rip.routes.size, 'route')} announced)`,
        );
      if (rip.authTypes.has(2)) say('routing-weak-auth', `RIPv2 authenticates with a simple password across ${s}`);
    }
    const eigrp = t.routing.eigrp;
    if (eigrp.packets > eigrp.authenticated)
      say(
        unauthenticated,
        `EIGRP ` +
          `AS ${[...eigrp.as].join(', ')}: ${plural(eigrp.packets - eigrp.authenticated, 'packet')} ` +
          `without authentication across ${s}`,
      );
    const adj = t.routing.adjacencies;
    for (const sys of adj.isis.values()) {
      const levels = sys.levels.map((l) => `L${l}`).join('/');
      if (sys.unauthenticated > 0)
        say(
          unauthenticated,
          `IS-IS ${levels} system ${sys.systemId} ` +
            `sends ${plural(sys.unauthenticated, 'PDU')} without authentication across ${s}`,
        );
      if (sys.authTypes.includes(ISIS_AUTH_CLEARTEXT))
        say(
          'routing-weak-auth',
          `IS-IS system ${sys.systemId} authenticates with a cleartext password, readable in every PDU across ${s}`,
        );
    }
    for (const r of adj.sessions.values()) {
      if (r.md5 + r.ao > 0) continue;
      const who = r.peers.map((p) => (r.as[p] !== undefined ? `${p} (AS ${r.as[p]})` : p)).join(' and ');
      say(
        unauthenticated,
        `${r.protocol === 'bgp' ? 'BGP' : 'LDP'} session between ${who} ` +
          `without TCP-MD5 or TCP-AO across ${s} (${plural(r.packets, 'segment')})`,
      );
    }
  }
  for (const c of t.cleartext.sightings.values()) {
    if (c.what !== 'session') {
      say(
        'cleartext-credentials',
        `${c.protocol} ${c.what} ${c.masked} from ${c.client} ` +
          `to ${c.server} ${mirror ? `was mirrored in clear across ${s}` : `crossed ${s} in clear`}`,
      );
      continue;
    }
    // A session without credentials says something of the tunnel only where the tunnel carries it on
    // purpose: not in mirrored copies, and plain HTTP is web traffic (a redirect's whole job), not management.
    if (mirror || c.protocol === 'http') continue;
    say(
      'cleartext-management',
      `${c.protocol} from ${c.client} to ${c.server} across ${s} (${plural(c.packets, 'packet')})`,
    );
  }
  const mismatches = mirror ? { list: [], moreGroups: 0, moreRouters: 0 } : t.routing.ospfMismatches();
  for (const m of mismatches.list)
    say('ospf-mismatch', `OSPF routers ${m.a} and ${m.b} across ${s} disagree: ${m.what.join('; ')}`);
  if (mismatches.moreGroups > 0) {
    say(
      'ospf-mismatch',
      `${plural(mismatches.moreGroups, 'more group')} of OSPF routers ` +
        `(${plural(mismatches.moreRouters, 'router')}) across ${s} disagree ` +
        `with the largest group`,
    );
  }
  // Routing inside a mirror's or a redirect's packets is another network's, not run over this tunnel.
  const routedOver = !mirror && role !== 'redirect';
  if (routedOver) {
    const stuckRouters = t.routing.ospfMtuMismatches();
    for (const { stuck, larger } of stuckRouters.list)
      say(
        'ospf-mtu-mismatch',
        `OSPF router ${stuck.routerId} across ${s} (interface MTU ${stuck.interfaceMtu}) stays in ExStart with ` +
          `${larger.routerId} (MTU ${larger.interfaceMtu}): ` +
          `${plural(stuck.dbdInit!, 'initial Database Description')}, none past ExStart`,
      );
    if (stuckRouters.more > 0)
      say(
        'ospf-mtu-mismatch',
        `${plural(stuckRouters.more, 'more OSPF router')} across ${s} stuck in ExStart beside a larger interface MTU`,
      );
  }
  if (routedOver) {
    // One line a prefix, with each endpoint it holds (a summary may hold both).
    const held = new Map<string, { r: RecursiveRoute; endpoints: string[] }>();
    for (const r of t.routing.recursive) {
      const key = `${r.prefix} ${r.protocol} ${r.router}`;
      const seen = held.get(key);
      if (seen) seen.endpoints.push(r.endpoint);
      else held.set(key, { r, endpoints: [r.endpoint] });
    }
    for (const { r, endpoints } of held.values())
      say(
        'recursive-routing',
        `${s}: ${r.prefix}, which holds its ${endpoints.length > 1 ? 'endpoints' : 'endpoint'} ` +
          `${endpoints.join(' and ')}, is announced across it ` +
          `(${r.protocol} ${r.protocol === 'OSPF' ? 'advertising router' : 'speaker'} ${r.router})`,
      );
  }
  const [ab, ba] = t.directions;
  for (const [d, from, to] of [
    [ab, t.endpoints[0], t.endpoints[1]],
    [ba, t.endpoints[1], t.endpoints[0]],
  ] as const) {
    if (d.seq.missing > 0)
      say(
        'gre-sequence-gaps',
        `${s}: ${plural(d.seq.missing, 'packet')} missing from ${from} ` +
          `to ${to} (${plural(d.seq.gaps, 'gap')} in the sequence numbers)`,
      );
    // Three packets or more with one number: a sender that never counts, not packets sent twice.
    if (d.seq.duplicates >= 2 && d.seq.first === d.seq.last && d.seq.gaps + d.seq.reordered === 0)
      say(
        'gre-sequence-constant',
        `${s}: from ${from} to ${to}, all ${d.seq.duplicates + 1} packets carry sequence number ${d.seq.first}`,
      );
    else if (d.seq.reordered + d.seq.duplicates > 0)
      say(
        'gre-sequence-disorder',
        `${s}: from ${from} to ${to}, ${d.seq.reordered} out of order, ${plural(d.seq.duplicates, 'duplicate')}`,
      );
  }
  if (t.checksumErrors > 0)
    say('gre-checksum-errors', `${s}: ${plural(t.checksumErrors, 'packet')} with a wrong GRE checksum`);
  const mtu = t.pathMtu || DEFAULT_PATH_MTU;
  const tunnelMtu = mtu - t.overhead;
  // The MSS of mirrored or redirected packets is their own network's: no tunnel MTU or MSS clamp applies to them.
  const clamps = role !== 'mirror' && role !== 'redirect';
  const advice =
    t.overhead > 0 && clamps
      ? ` (tunnel overhead ${t.overhead} bytes: set the tunnel MTU ` +
        `to ${tunnelMtu} and the MSS to ${tunnelMtu - TCP_IP_HEADERS})`
      : t.overhead > 0
        ? ` (overhead ${t.overhead} bytes)`
        : '';
  if (t.fragmented > 0)
    say('outer-fragmentation', `${s}: ${plural(t.fragmented, 'packet')} arrived in outer IP fragments${advice}`);
  if (t.icmpFragNeeded > 0)
    say(
      'path-mtu-exceeded',
      `${s}: ${plural(t.icmpFragNeeded, 'ICMP "fragmentation needed"')} reported a path MTU of ${t.pathMtu}${advice}`,
    );
  if (clamps && t.maxMss > 0 && t.overhead > 0 && t.maxMss + TCP_IP_HEADERS + t.overhead > mtu) {
    say(
      'mss-too-large',
      `${s}: inner TCP announces MSS ${t.maxMss}, but ${t.overhead} bytes ` +
        `of tunnel overhead on a ${mtu}-byte path leave room ` +
        `for ${tunnelMtu - TCP_IP_HEADERS}`,
    );
  }
  const malformed = [...t.malformed.values()].reduce((a, b) => a + b, 0);
  if (malformed > 0)
    say(
      'malformed-gre',
      `${s}: ${plural(malformed, 'packet')} could not be fully read (${[...t.malformed.keys()].join(', ')})`,
    );
  return out;
}
